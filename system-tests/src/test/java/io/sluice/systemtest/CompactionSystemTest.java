package io.sluice.systemtest;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compacted user topics, through a broker process and Kafka's own clients: the cleaner keeps the latest value of
 * every key and gives the space back, and a {@code kill -9} while cleaning and appends run loses no key's latest
 * acknowledged value.
 */
@Tag("system")
class CompactionSystemTest
{
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLEANING_TIMEOUT = Duration.ofSeconds(90);
    private static final int KEYS = 50;
    private static final int SEGMENT_BYTES = 16384;
    private static final Map<String, String> COMPACTED = Map.of(
        "cleanup.policy", "compact",
        "segment.bytes", Integer.toString(SEGMENT_BYTES),
        "min.cleanable.dirty.ratio", "0.01");

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
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldKeepTheLatestValueOfEveryKeyAndShrinkOnceATopicIsAlteredToCompact() throws Exception
    {
        broker = start();
        final String topic = KafkaClients.uniqueTopic("compacted");
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.createTopic(admin, topic, 1, Map.of("segment.bytes", Integer.toString(SEGMENT_BYTES), "min.cleanable.dirty.ratio", "0.01"));
        }
        final Map<String, String> latest = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker))
        {
            produceUpdates(producer, topic, 0, 100, latest);
            producer.send(record(topic, "key-7", null)).get();
            latest.put("key-7", null);
        }
        final Path partitionDir = broker.logDir().resolve(topic + "-0");
        final long written = logBytes(partitionDir);
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.await(admin.incrementalAlterConfigs(Map.of(
                new ConfigResource(ConfigResource.Type.TOPIC, topic),
                List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SET)))).all());
        }

        awaitLogBytesBelow(partitionDir, written / 4);

        final List<ConsumerRecord<byte[], byte[]>> records =
            KafkaClients.readAll(broker, List.of(new TopicPartition(topic, 0)), READ_TIMEOUT);
        assertThat(lastValues(records)).isEqualTo(latest);
        assertThat(records.size()).as("records left after cleaning").isLessThan(KEYS * 100 / 4);
        assertThat(records).extracting(ConsumerRecord::offset).isSorted().doesNotHaveDuplicates();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldLoseNoAcknowledgedLatestValueWhenKilledWhileCleaning() throws Exception
    {
        final Random random = new Random(42);
        broker = start();
        final String topic = KafkaClients.uniqueTopic("compact-crash");
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.createTopic(admin, topic, 1, COMPACTED);
        }
        final Path partitionDir = broker.logDir().resolve(topic + "-0");
        final AtomicIntegerArray acked = new AtomicIntegerArray(KEYS);
        for (int key = 0; key < KEYS; key++)
        {
            acked.set(key, -1);
        }
        int firstUpdate = 0;
        int killsMidCleaning = 0;
        for (int round = 0; round < 3; round++)
        {
            final KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker);
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicInteger sentUpdates = new AtomicInteger(firstUpdate);
            final Thread sender = new Thread(() -> sendUntilStopped(producer, topic, sentUpdates, acked, stop), "sender");
            sender.start();
            try
            {
                awaitCleaningFiles(partitionDir);
                Thread.sleep(random.nextInt(50));
                broker.kill();
                broker.awaitExit(BrokerProcess.STOP_TIMEOUT);
                if (hasFileEndingIn(partitionDir, ".cleaned", ".swap"))
                {
                    killsMidCleaning++;
                }
            }
            finally
            {
                stop.set(true);
                producer.close(Duration.ZERO);
                sender.join(TimeUnit.SECONDS.toMillis(30));
            }
            firstUpdate = sentUpdates.get();
            broker = start();
            assertNoAcknowledgedValueLost(topic, acked, "after the kill in round " + round);
        }
        assertThat(killsMidCleaning).as("kills that left a cleaning's files behind").isPositive();
        awaitLogBytesBelow(partitionDir, 4 * SEGMENT_BYTES);
        assertNoAcknowledgedValueLost(topic, acked, "after cleaning resumed");
    }

    private void assertNoAcknowledgedValueLost(final String topic, final AtomicIntegerArray acked, final String when)
    {
        final Map<String, String> last = lastValues(
            KafkaClients.readAll(broker, List.of(new TopicPartition(topic, 0)), READ_TIMEOUT));
        for (int key = 0; key < KEYS; key++)
        {
            if (acked.get(key) < 0)
            {
                continue;
            }
            final String value = last.get("key-" + key);
            assertThat(value).as(when + ": key-" + key + " (acknowledged up to update " + acked.get(key) + ")").isNotNull();
            assertThat(updateOf(value)).as(when + ": key-" + key + "'s surviving value").isGreaterThanOrEqualTo(acked.get(key));
        }
    }

    /** Updates of every key in turn until {@code stop}, raising each key's acknowledged update as acks arrive. */
    private static void sendUntilStopped(
        final KafkaProducer<byte[], byte[]> producer,
        final String topic,
        final AtomicInteger nextUpdate,
        final AtomicIntegerArray acked,
        final AtomicBoolean stop)
    {
        try
        {
            while (!stop.get())
            {
                final int update = nextUpdate.getAndIncrement();
                for (int key = 0; key < KEYS && !stop.get(); key++)
                {
                    final int keyIndex = key;
                    producer.send(record(topic, "key-" + key, value(update, key)), (metadata, failure) ->
                    {
                        if (failure == null)
                        {
                            acked.accumulateAndGet(keyIndex, update, Math::max);
                        }
                    });
                }
            }
        }
        catch (final RuntimeException ex)
        {
            // the producer was closed under the loop: the round is over
        }
    }

    private BrokerProcess start()
    {
        return new BrokerProcess(workDir, broker == null ? BrokerProcess.freePort() : broker.port())
            .override("log.cleaner.backoff.ms", "100")
            .start();
    }

    /** {@code updates} values for each key, interleaved, acknowledged (acks=all) before this returns. */
    private static void produceUpdates(
        final KafkaProducer<byte[], byte[]> producer,
        final String topic,
        final int firstUpdate,
        final int updates,
        final Map<String, String> latest) throws Exception
    {
        for (int update = firstUpdate; update < firstUpdate + updates; update++)
        {
            for (int key = 0; key < KEYS; key++)
            {
                final String value = value(update, key);
                producer.send(record(topic, "key-" + key, value));
                latest.put("key-" + key, value);
            }
        }
        producer.flush();
        producer.send(record(topic, "key-0", latest.get("key-0"))).get();
    }

    private static String value(final int update, final int key)
    {
        return "value-" + update + "-of-key-" + key + "-padded-so-that-segments-roll-sooner";
    }

    private static int updateOf(final String value)
    {
        return Integer.parseInt(value.substring("value-".length(), value.indexOf('-', "value-".length())));
    }

    private static ProducerRecord<byte[], byte[]> record(final String topic, final String key, final String value)
    {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
            value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Each key's value in the last record that has it (null for a tombstone). */
    private static Map<String, String> lastValues(final List<ConsumerRecord<byte[], byte[]>> records)
    {
        final Map<String, String> last = new HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> record : records)
        {
            last.put(new String(record.key(), StandardCharsets.UTF_8),
                record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
        }
        return last;
    }

    /** Waits until the cleaner is writing or swapping in cleaned files. */
    private static void awaitCleaningFiles(final Path dir) throws InterruptedException
    {
        final long deadline = System.nanoTime() + CLEANING_TIMEOUT.toNanos();
        while (!hasFileEndingIn(dir, ".cleaned", ".swap"))
        {
            assertThat(System.nanoTime()).as("a cleaning started within " + CLEANING_TIMEOUT).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    private static void awaitLogBytesBelow(final Path dir, final long bytes) throws InterruptedException
    {
        final long deadline = System.nanoTime() + CLEANING_TIMEOUT.toNanos();
        while (logBytes(dir) >= bytes)
        {
            assertThat(System.nanoTime()).as("log below " + bytes + " bytes within " + CLEANING_TIMEOUT).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static boolean hasFileEndingIn(final Path dir, final String... suffixes)
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map(file -> file.getFileName().toString())
                .anyMatch(name -> Stream.of(suffixes).anyMatch(name::endsWith));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The file's size, or 0 when the cleaner removed it after it was listed. */
    private static long sizeIfPresent(final Path file) throws IOException
    {
        try
        {
            return Files.size(file);
        }
        catch (final NoSuchFileException ex)
        {
            return 0;
        }
    }

    private static long logBytes(final Path dir)
    {
        try (Stream<Path> files = Files.list(dir))
        {
            long bytes = 0;
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (file.getFileName().toString().endsWith(".log"))
                {
                    bytes += sizeIfPresent(file);
                }
            }
            return bytes;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
