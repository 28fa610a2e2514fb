package io.sluice.broker.shard;

import io.sluice.journal.LogConfig;
import io.sluice.transport.BlockingIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class ShardProxyTest
{
    @TempDir
    Path dir;

    private final RecordingConnection connection = new RecordingConnection();
    private final UUID topicId = UUID.randomUUID();
    private ShardProxy shards;
    private Partition[] partitions;

    @BeforeEach
    void start() throws Exception
    {
        // Idle shards block for up to a minute unless whoever hands them work wakes them: every answer below that
        // comes within its 10 s bound shows that publishing a request and sending a command wake the shard.
        shards = new ShardProxy(2, 64, true, wait -> new BlockingIdleStrategy(0, 0, TimeUnit.MINUTES.toNanos(1), wait),
            SystemEpochClock.INSTANCE);
        shards.start();
        partitions = new Partition[4];
        for (int i = 0; i < partitions.length; i++)
        {
            partitions[i] = new Partition("t", topicId, i, shards.shardOf("t", i));
        }
        final CompletableFuture<String> opened = new CompletableFuture<>();
        shards.openLogs(partitions, p -> dir.resolve("t-" + p.index()), new LogConfig().conclude(), opened::complete);
        assertThat(opened.get(10, TimeUnit.SECONDS)).isNull();
    }

    @AfterEach
    void stop()
    {
        shards.close();
    }

    @Test
    void shouldGiveEachPartitionOneShardAndUseEveryShard()
    {
        final Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 8; i++)
        {
            final int shard = shards.shardOf("t", i);
            assertThat(shards.shardOf("t", i)).isEqualTo(shard);
            assertThat(ShardProxy.shardOf("t", i, 2)).isEqualTo(shard);
            used.add(shard);
        }
        assertThat(used).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void shouldAppendAProduceSpanningShardsAndCompleteItOnce() throws Exception
    {
        final CompletableFuture<long[]> done = new CompletableFuture<>();
        final ProduceGather gather = shards.acquireProduce().reset(g ->
        {
            final long[] offsets = new long[g.partitionCount()];
            for (int slot = 0; slot < offsets.length; slot++)
            {
                offsets[slot] = g.errorCode(slot) == 0 ? g.baseOffset(slot) : -100 - g.errorCode(slot);
            }
            if (!done.complete(offsets))
            {
                throw new IllegalStateException("completed twice");
            }
        }, connection, 0, 1, (short)11, (short)1);
        gather.addTopic("t", topicId);
        for (final Partition partition : partitions)
        {
            final UnsafeBuffer frame = batch("value-" + partition.index());
            gather.addAppend(partition, frame, 0, frame.capacity());
        }
        shards.publish(gather);

        assertThat(done.get(10, TimeUnit.SECONDS)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void shouldAnswerAcksAllOnlyOnceTheBatchIsForced() throws Exception
    {
        final CompletableFuture<Boolean> forced = new CompletableFuture<>();
        final Partition partition = partitions[0];
        final ProduceGather gather = shards.acquireProduce().reset(
            g -> forced.complete(partition.log().recoveryPoint() == partition.log().logEndOffset()),
            connection, 0, 1, (short)11, (short)-1);
        gather.addTopic("t", topicId);
        final UnsafeBuffer frame = batch("durable");
        gather.addAppend(partition, frame, 0, frame.capacity());
        shards.publish(gather);

        assertThat(forced.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldParkAFetchUntilAnAppendOnAnotherShardWakesIt() throws Exception
    {
        final CompletableFuture<Integer> fetched = new CompletableFuture<>();
        final FetchGather fetch = shards.acquireFetch().reset(g ->
        {
            int bytes = 0;
            for (int slot = 0; slot < g.partitionCount(); slot++)
            {
                bytes += g.length(slot);
            }
            fetched.complete(bytes);
        }, connection, 0, 1, (short)12, 60_000, 1, 1 << 20, SystemEpochClock.INSTANCE.time());
        fetch.addTopic("t", topicId);
        for (final Partition partition : partitions)
        {
            fetch.addRead(partition, 0, 1 << 20);
        }
        shards.publish(fetch);

        final Partition target = partitions[1];
        final AtomicReference<Short> produced = new AtomicReference<>();
        final ProduceGather produce = shards.acquireProduce()
            .reset(g -> produced.set(g.errorCode(0)), connection, 1, 2, (short)11, (short)1);
        produce.addTopic("t", topicId);
        final UnsafeBuffer frame = batch("wake up");
        produce.addAppend(target, frame, 0, frame.capacity());
        shards.publish(produce);

        assertThat(fetched.get(10, TimeUnit.SECONDS)).isEqualTo(frame.capacity());
        assertThat(produced.get()).isEqualTo((short)0);
    }

    @Test
    void shouldAnswerAParkedFetchWithNothingWhenItsWaitEnds() throws Exception
    {
        final CompletableFuture<Integer> fetched = new CompletableFuture<>();
        final FetchGather fetch = shards.acquireFetch().reset(g ->
        {
            int bytes = 0;
            for (int slot = 0; slot < g.partitionCount(); slot++)
            {
                bytes += g.length(slot);
            }
            fetched.complete(bytes);
        }, connection, 0, 1, (short)12, 100, 1, 1 << 20, SystemEpochClock.INSTANCE.time());
        fetch.addTopic("t", topicId);
        fetch.addRead(partitions[0], 0, 1 << 20);
        fetch.addRead(partitions[1], 0, 1 << 20);
        shards.publish(fetch);

        assertThat(fetched.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void shouldKeepRegionsInOrderWithinMaxBytesAndAlwaysTheFirst()
    {
        final FetchGather gather = new FetchGather(1);
        gather.reset(g -> { }, connection, 0, 1, (short)12, 0, 1, 100, 0);
        gather.addTopic("t", topicId);
        for (int i = 0; i < 4; i++)
        {
            gather.addRead(partitions[i], 0, 1000);
        }
        gather.result(0, (short)0, 1, 0, null, 0, 150, 0);
        gather.result(1, (short)0, 1, 0, null, 0, 0, 0);
        gather.result(2, (short)0, 1, 0, null, 0, 10, 0);
        gather.result(3, (short)0, 1, 0, null, 0, 5, 0);

        gather.applyResponseLimit();

        assertThat(new int[]{gather.length(0), gather.length(1), gather.length(2), gather.length(3)})
            .containsExactly(150, 0, 0, 0);

        gather.result(0, (short)0, 1, 0, null, 0, 60, 0);
        gather.result(2, (short)0, 1, 0, null, 0, 50, 0);
        gather.result(3, (short)0, 1, 0, null, 0, 40, 0);
        gather.applyResponseLimit();

        assertThat(new int[]{gather.length(0), gather.length(1), gather.length(2), gather.length(3)})
            .containsExactly(60, 0, 0, 40);
    }

    static UnsafeBuffer batch(final String value)
    {
        final MemoryRecords records = MemoryRecords.withRecords(
            Compression.NONE, new SimpleRecord(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8)));
        final ByteBuffer bytes = records.buffer();
        final byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return new UnsafeBuffer(copy);
    }
}
