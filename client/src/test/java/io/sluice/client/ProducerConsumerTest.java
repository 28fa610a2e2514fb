package io.sluice.client;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.sluice.client.CrossDoorTest.bytes;
import static io.sluice.client.CrossDoorTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The native producer and consumer against an in-process broker: acks, claims, seeks, long poll, errors. */
@Timeout(120)
class ProducerConsumerTest
{
    @TempDir
    Path dir;

    private NativeTestBroker broker;
    private SluiceAdmin admin;

    @BeforeEach
    void start()
    {
        broker = NativeTestBroker.start(dir, "auto.create.topics.enable=false");
        admin = new SluiceAdmin(broker.context());
    }

    @AfterEach
    void stop()
    {
        admin.close();
        broker.close();
    }

    @Test
    void shouldAcknowledgeEveryAcksSettingWithContiguousOffsets() throws Exception
    {
        admin.createTopic("acks", 1, Map.of());
        for (final int acks : new int[] {-1, 1, 0})
        {
            try (SluiceProducer producer = new SluiceProducer(broker.context().acks(acks)))
            {
                final List<CompletableFuture<Long>> offsets = new ArrayList<>();
                for (int i = 0; i < 100; i++)
                {
                    offsets.add(producer.send("acks", null, bytes("acks " + acks + " #" + i)));
                }
                producer.flush();
                for (int i = 0; i < offsets.size(); i++)
                {
                    final long offset = offsets.get(i).get(10, TimeUnit.SECONDS);
                    assertThat(offset).isEqualTo(acks == 0 ? -1 : (acks == -1 ? i : 100 + i));
                }
            }
        }
        try (SluiceConsumer consumer = new SluiceConsumer(broker.context()))
        {
            consumer.assign("acks", 0);
            consumer.seekToBeginning("acks", 0);
            assertThat(readValues(consumer, 300)).hasSize(300).startsWith("acks -1 #0").endsWith("acks 0 #99");
        }
    }

    @Test
    void shouldSendClaimedRecordsWrittenInPlace() throws Exception
    {
        admin.createTopic("claims", 2, Map.of());
        final CountDownLatch done = new CountDownLatch(50);
        final AtomicLong failures = new AtomicLong();
        try (SluiceProducer producer = new SluiceProducer(broker.context()))
        {
            final RecordClaim claim = new RecordClaim();
            for (int i = 0; i < 50; i++)
            {
                assertThat(producer.tryClaim("claims", 1, 8, claim)).isTrue();
                claim.buffer().putLong(claim.offset(), 1000L + i);
                claim.commit((topic, partition, offset, context, error) ->
                {
                    if (error != null || partition != 1 || offset != context)
                    {
                        failures.incrementAndGet();
                    }
                    done.countDown();
                }, i);
            }
            assertThat(producer.tryClaim("claims", 0, 8, claim)).isTrue();
            claim.abort();
            producer.flush();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failures.get()).isZero();
        try (SluiceConsumer consumer = new SluiceConsumer(broker.context()))
        {
            consumer.assign("claims");
            consumer.seekToBeginning("claims", 0);
            consumer.seekToBeginning("claims", 1);
            final List<Long> values = new ArrayList<>();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (values.size() < 50 && System.nanoTime() < deadline)
            {
                final RecordView records = consumer.poll(100);
                while (records.next())
                {
                    assertThat(records.partition()).isEqualTo(1);
                    assertThat(records.keyLength()).isEqualTo(-1);
                    values.add(records.buffer().getLong(records.valueOffset()));
                }
            }
            assertThat(values).hasSize(50).startsWith(1000L).endsWith(1049L);
            assertThat(consumer.position("claims", 0)).as("the aborted claim sent nothing").isZero();
        }
    }

    @Test
    void shouldSeekByOffsetTimestampBeginningAndEnd() throws Exception
    {
        admin.createTopic("seeks", 1, Map.of());
        final long now = System.currentTimeMillis();
        try (SluiceProducer producer = new SluiceProducer(broker.context()))
        {
            final OutgoingRecord record = new OutgoingRecord();
            for (int i = 0; i < 20; i++)
            {
                producer.send(record.reset().topic("seeks").timestamp(now - 20_000 + i * 1000L).value(bytes("r" + i)),
                    null, i);
            }
            producer.flush();
        }
        try (SluiceConsumer consumer = new SluiceConsumer(broker.context()))
        {
            consumer.assign("seeks");
            assertThat(consumer.position("seeks", 0)).as("offsetReset LATEST").isEqualTo(20);
            consumer.seek("seeks", 0, 15);
            assertThat(readValues(consumer, 5)).containsExactly("r15", "r16", "r17", "r18", "r19");
            consumer.seekToTimestamp("seeks", 0, now - 20_000 + 7_500);
            assertThat(consumer.position("seeks", 0)).isEqualTo(8);
            consumer.seekToBeginning("seeks", 0);
            assertThat(readValues(consumer, 2)).startsWith("r0");
            consumer.seekToEnd("seeks", 0);
            assertThat(consumer.poll(50).next()).isFalse();
            consumer.seekToTimestamp("seeks", 0, now + 60_000);
            assertThat(consumer.position("seeks", 0)).as("after the last record: the end").isEqualTo(20);
        }
    }

    @Test
    void shouldWakeALongPollWhenARecordArrives() throws Exception
    {
        admin.createTopic("waits", 1, Map.of());
        try (SluiceConsumer consumer = new SluiceConsumer(broker.context().fetchMaxWaitMs(5_000));
            SluiceProducer producer = new SluiceProducer(broker.context().lingerMs(0)))
        {
            consumer.assign("waits");
            assertThat(consumer.position("waits", 0)).isZero();
            final Thread sender = new Thread(() ->
            {
                try
                {
                    Thread.sleep(300);
                    producer.send("waits", null, bytes("late")).get();
                }
                catch (final InterruptedException | ExecutionException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            sender.start();
            final long start = System.nanoTime();
            final List<String> values = readValues(consumer, 1);
            assertThat(values).containsExactly("late");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4_000);
            sender.join();
        }
    }

    @Test
    void shouldRefuseUnknownTopicsPartitionsAndCommitsClearly()
    {
        admin.createTopic("known", 2, Map.of());
        try (SluiceProducer producer = new SluiceProducer(broker.context().maxBlockMs(5_000)))
        {
            assertThatThrownBy(() -> producer.send("missing", null, bytes("x")))
                .isInstanceOf(SluiceException.class).hasMessageContaining("topic 'missing' does not exist");
            assertThatThrownBy(() -> producer.send(new OutgoingRecord().topic("known").partition(5).value(bytes("x")),
                null, 0)).isInstanceOf(SluiceException.class).hasMessageContaining("there is no partition 5");
        }
        try (SluiceConsumer consumer = new SluiceConsumer(broker.context()))
        {
            assertThatThrownBy(() -> consumer.assign("missing"))
                .isInstanceOf(SluiceException.class).hasMessageContaining("does not exist");
            consumer.assign("known", 1);
            assertThatThrownBy(() -> consumer.commit("group", "missing", 0, 1))
                .isInstanceOf(SluiceException.class).hasMessage("topic 'missing' does not exist");
            assertThatThrownBy(() -> consumer.commit("group", "known", 5, 1))
                .isInstanceOf(SluiceException.class)
                .hasMessage("committing offsets of group 'group' failed for known-5: error 3 (no such partition)")
                .extracting(ex -> ((SluiceException)ex).errorCode()).isEqualTo((short)3);
            assertThatThrownBy(() -> consumer.committed("group", "missing", 0))
                .isInstanceOf(SluiceException.class).hasMessage("topic 'missing' does not exist");
            assertThat(consumer.poll(10).isEmpty()).as("the connection still serves").isTrue();
        }
    }

    @Test
    void shouldReadAReusedViewWithoutCopying()
    {
        admin.createTopic("view", 1, Map.of());
        try (SluiceProducer producer = new SluiceProducer(broker.context()))
        {
            final OutgoingRecord record = new OutgoingRecord();
            final UnsafeBuffer value = new UnsafeBuffer(new byte[16]);
            value.putLong(0, 42);
            producer.send(record.reset().topic("view").key(bytes("key")).value(value, 0, 8)
                .header("h1", bytes("one")).header("h2", null), null, 0);
            producer.flush();
        }
        try (SluiceConsumer consumer = new SluiceConsumer(broker.context().offsetReset(ClientContext.OffsetReset.EARLIEST)))
        {
            consumer.assign("view");
            final RecordView records = consumer.poll(5_000);
            assertThat(records.next()).isTrue();
            assertThat(records.buffer().getStringWithoutLengthUtf8(records.keyOffset(), records.keyLength())).isEqualTo("key");
            assertThat(records.buffer().getLong(records.valueOffset())).isEqualTo(42);
            assertThat(records.headerCount()).isEqualTo(2);
            assertThat(records.nextHeader()).isTrue();
            assertThat(records.headerKey()).isEqualTo("h1");
            assertThat(text(records.headerValue())).isEqualTo("one");
            assertThat(records.nextHeader()).isTrue();
            assertThat(records.headerValueLength()).isEqualTo(-1);
            assertThat(records.nextHeader()).isFalse();
            assertThat(records.next()).isFalse();
        }
    }

    static List<String> readValues(final SluiceConsumer consumer, final int count)
    {
        final List<String> values = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (values.size() < count && System.nanoTime() < deadline)
        {
            final RecordView records = consumer.poll(100);
            while (records.next())
            {
                values.add(text(records.value()));
            }
        }
        return values;
    }
}
