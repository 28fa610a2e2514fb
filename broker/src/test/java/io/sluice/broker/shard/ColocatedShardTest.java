package io.sluice.broker.shard;

import io.sluice.broker.metrics.BrokerCounters;
import io.sluice.journal.LogConfig;
import io.sluice.transport.LoopCompanion;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Colocated shards run on threads that publish requests too (an event loop's). This test's thread stands in for
 * shard 0's loop; shard 1 runs on a runner of its own. A thread that waits for ever for room in its own ring never
 * returns to JUnit, so the timeout runs the test on a thread of its own, and fails it rather than hanging the build.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ColocatedShardTest
{
    private static final int RING_SIZE = 2;

    @TempDir
    Path dir;

    private final RecordingConnection connection = new RecordingConnection();
    private final UUID topicId = UUID.randomUUID();
    private ShardProxy shards;
    private AgentRunner shardOneRunner;

    @AfterEach
    void stop()
    {
        if (shardOneRunner != null)
        {
            shardOneRunner.close();
        }
        if (shards != null)
        {
            shards.close();
        }
    }

    @Test
    void shouldServeItsOwnShardWhilePublishingIntoItsFullRingInsteadOfWaitingForEver() throws Exception
    {
        shards = new ShardProxy(2, RING_SIZE, false, null, SystemEpochClock.INSTANCE,
            BrokerCounters.inMemory(1024, 2, RING_SIZE), Thread::new, null, true);
        final LoopCompanion shardZero = shards.companion(0);
        shardZero.onStart();
        shardOneRunner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null,
            shards.companion(1));
        AgentRunner.startOnThread(shardOneRunner);
        final Partition[] partitions = new Partition[4];
        for (int i = 0; i < partitions.length; i++)
        {
            partitions[i] = new Partition("t", topicId, i, shards.shardOf("t", i));
        }
        final CompletableFuture<String> opened = new CompletableFuture<>();
        shards.openLogs(partitions, p -> dir.resolve("t-" + p.index()), new LogConfig().conclude(), opened::complete);
        serveUntil(shardZero, opened::isDone);
        assertThat(opened.get()).isNull();

        // Many more requests than a ring holds, each to every partition: this thread fills its own shard's ring
        // (nobody else drains it) as well as shard 1's.
        final int requests = 50;
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger failedPartitions = new AtomicInteger();
        for (int r = 0; r < requests; r++)
        {
            final ProduceGather gather = shards.acquireProduce().reset(g ->
            {
                for (int slot = 0; slot < g.partitionCount(); slot++)
                {
                    failedPartitions.addAndGet(g.errorCode(slot) == 0 ? 0 : 1);
                }
                answered.incrementAndGet();
            }, connection, r, 1, (short)11, (short)1);
            gather.addTopic("t", topicId);
            for (final Partition partition : partitions)
            {
                final UnsafeBuffer frame = ShardProxyTest.batch("r" + r);
                gather.addAppend(partition, frame, 0, frame.capacity());
            }
            shards.publish(gather);
        }
        serveUntil(shardZero, () -> answered.get() == requests);

        assertThat(failedPartitions.get()).isZero();
        for (final Partition partition : partitions)
        {
            final CompletableFuture<Long> end = new CompletableFuture<>();
            shards.execute(partition.shard(), () -> end.complete(partition.log().logEndOffset()));
            serveUntil(shardZero, end::isDone);
            assertThat(end.get()).as("records in partition %d", partition.index()).isEqualTo(requests);
        }
    }

    /** Run shard 0's duty cycles on this thread, as its event loop would, until {@code done} (10 s at most). */
    private static void serveUntil(final LoopCompanion shard, final BooleanSupplier done) throws Exception
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean())
        {
            assertThat(System.nanoTime()).as("served within 10 s").isLessThan(deadline);
            shard.doWork();
        }
    }
}
