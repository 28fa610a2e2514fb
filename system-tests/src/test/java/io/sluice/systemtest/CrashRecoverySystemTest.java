package io.sluice.systemtest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the broker process, then a restart on the same data directory: what was acknowledged is
 * there, exactly once.
 */
@Tag("system")
class CrashRecoverySystemTest
{
    private static final int RECORDS = 60_000;
    private static final int PARTITIONS = 3;
    private static final int[] KILL_AFTER_ACKS = { 12_000, 36_000 };
    private static final int MAX_UNFINISHED_SENDS = 5_000;
    private static final int PENDING = 0;
    private static final int ACKED = 1;
    private static final int FAILED = 2;

    @TempDir
    Path workDir;
    private BrokerProcess broker;

    @AfterEach
    void stopBroker()
    {
        if (null != broker)
        {
            broker.close();
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldKeepEveryAcknowledgedRecordExactlyOnceAcrossKill9sDuringAcksAllProduce() throws Exception
    {
        broker = new BrokerProcess(workDir).start();
        final String topic = KafkaClients.uniqueTopic("crash");
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.createTopic(admin, topic, PARTITIONS);
        }

        final AtomicIntegerArray state = new AtomicIntegerArray(RECORDS);
        final int[] ackedPartition = new int[RECORDS];
        final long[] ackedOffset = new long[RECORDS];
        final AtomicInteger acked = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Exception> sendLoopFailure = new AtomicReference<>();

        // default settings: idempotence on, acks=all; the delivery timeout outlasts the restart
        final KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker);
        final Thread sender = new Thread(() ->
        {
            try
            {
                for (int i = 0; i < RECORDS; i++)
                {
                    // keep the run going while the broker is killed and restarted, rather than queue it all up front
                    while (i - finished.get() > MAX_UNFINISHED_SENDS)
                    {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                    final int index = i;
                    producer.send(new ProducerRecord<>(topic, key(i), value(i)), (metadata, error) ->
                    {
                        if (null == error)
                        {
                            ackedPartition[index] = metadata.partition();
                            ackedOffset[index] = metadata.offset();
                            state.set(index, ACKED);
                            acked.incrementAndGet();
                        }
                        else
                        {
                            state.set(index, FAILED);
                        }
                        finished.incrementAndGet();
                    });
                }
            }
            catch (final Exception ex)
            {
                sendLoopFailure.set(ex);
            }
        }, "crash-test-sender");
        final List<Integer> ackedAtKills = new ArrayList<>();
        try
        {
            sender.start();
            for (final int killAfter : KILL_AFTER_ACKS)
            {
                awaitCount(acked, killAfter, Duration.ofSeconds(90), "acks before kill " + (ackedAtKills.size() + 1));
                broker.kill();
                ackedAtKills.add(acked.get());
                broker.start();
            }

            sender.join(TimeUnit.SECONDS.toMillis(150));
            assertThat(sender.isAlive()).as("send loop still running").isFalse();
        }
        finally
        {
            // completes (or fails) every send, so all callbacks have run once this returns
            producer.close(Duration.ofSeconds(60));
        }
        assertThat(sendLoopFailure.get()).as("send loop failure").isNull();
        assertThat(finished.get()).as("sends completed (acked or failed)").isEqualTo(RECORDS);

        final List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++)
        {
            partitions.add(new TopicPartition(topic, p));
        }
        final List<ConsumerRecord<byte[], byte[]>> records =
            KafkaClients.readAll(broker, partitions, Duration.ofSeconds(90));

        final int[] copies = new int[RECORDS];
        final List<String> misplaced = new ArrayList<>();
        for (final ConsumerRecord<byte[], byte[]> record : records)
        {
            final int index = ByteBuffer.wrap(record.value()).getInt();
            copies[index]++;
            assertThat(record.value()).isEqualTo(value(index));
            if (state.get(index) == ACKED &&
                (ackedPartition[index] != record.partition() || ackedOffset[index] != record.offset()))
            {
                misplaced.add(index + " acked at " + ackedPartition[index] + "/" + ackedOffset[index] +
                    ", found at " + record.partition() + "/" + record.offset());
            }
        }

        final List<Integer> lostOrDuplicatedAcked = new ArrayList<>();
        final List<Integer> duplicated = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++)
        {
            if (state.get(i) == ACKED && copies[i] != 1)
            {
                lostOrDuplicatedAcked.add(i);
            }
            if (copies[i] > 1)
            {
                duplicated.add(i);
            }
        }

        final String summary = "acked " + acked.get() + " (" + ackedAtKills + " at the kills), failed " +
            (RECORDS - acked.get()) + ", read back " + records.size();
        assertThat(lostOrDuplicatedAcked).as("acked records not there exactly once; %s", summary).isEmpty();
        assertThat(duplicated).as("records there more than once; %s", summary).isEmpty();
        assertThat(misplaced).as("acked records at another partition/offset; %s", summary).isEmpty();
        assertThat(acked.get()).as("acked records; %s", summary)
            .isGreaterThan(ackedAtKills.get(ackedAtKills.size() - 1));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldKeepTopicCreatedJustBeforeKill9() throws Exception
    {
        broker = new BrokerProcess(workDir).start();
        final String topic = KafkaClients.uniqueTopic("crash-topic");
        final TopicDescription before;
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.createTopic(admin, topic, 5, Map.of("retention.ms", "5400000"));
            before = KafkaClients.await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        }

        broker.kill();
        broker.start();

        try (Admin admin = KafkaClients.admin(broker))
        {
            final TopicDescription after =
                KafkaClients.await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
            assertThat(after.topicId()).isEqualTo(before.topicId());
            assertThat(after.partitions()).hasSize(5);
        }
    }

    private static void awaitCount(final AtomicInteger counter, final int target, final Duration timeout, final String what)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.get() < target)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(what + ": " + counter.get() + " of " + target + " after " + timeout);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static byte[] key(final int index)
    {
        return ("k" + index % 101).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(final int index)
    {
        final byte[] value = new byte[Integer.BYTES + 60];
        ByteBuffer.wrap(value).putInt(index);
        for (int i = Integer.BYTES; i < value.length; i++)
        {
            value[i] = (byte)(index * 31 + i);
        }
        return value;
    }
}
