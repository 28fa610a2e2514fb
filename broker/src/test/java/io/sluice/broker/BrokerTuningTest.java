package io.sluice.broker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code sluice.idle.strategy.*} and {@code sluice.affinity.*} properties in a running broker: the threads
 * they shape still serve Kafka clients, and the shard thread is pinned where the host allows it.
 */
@Timeout(60)
class BrokerTuningTest
{
    private static final Path PROC_TASKS = Path.of("/proc/self/task");

    @TempDir
    Path dir;

    @RegisterExtension
    final BrokerLogCapture brokerLog = new BrokerLogCapture();

    private TestBroker broker;

    @AfterEach
    void stop()
    {
        if (broker != null)
        {
            broker.close();
        }
    }

    @Test
    void shouldServeProduceAndFetchWithBusySpinShardsSleepingNetworkThreadsAndAPinnedShard() throws Exception
    {
        broker = TestBroker.start(dir,
            "num.shards=1",
            "sluice.idle.strategy.shard=busy-spin",
            "sluice.idle.strategy.network=sleeping:1ms",
            "sluice.affinity.shard=0");

        final List<String> sent = List.of("a", "bb", "ccc");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
            clientProperties(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG), new ByteArraySerializer(),
            new ByteArraySerializer()))
        {
            for (int i = 0; i < sent.size(); i++)
            {
                final RecordMetadata metadata =
                    producer.send(new ProducerRecord<>("tuned", bytes(sent.get(i)))).get();
                assertThat(metadata.offset()).isEqualTo(i);
            }
        }
        assertThat(consume("tuned", sent.size())).containsExactlyElementsOf(sent);

        assertThat(threadNames()).contains("sluice-shard-0", "sluice-network-0");
        final String pinned = "pinned thread sluice-shard-0 to CPU 0 (sluice.affinity.shard)";
        awaitLog("the shard thread's affinity line", pinned,
            "CPU affinity unavailable", "sluice.affinity.shard=0: CPUs 0", "could not pin thread sluice-shard-0");
        if (log().contains(pinned))
        {
            final String allowed = cpusAllowed("sluice-shard-0");
            if (allowed != null)
            {
                assertThat(allowed).isEqualTo("0");
            }
        }
        assertThat(log()).doesNotContain("sluice.affinity.network");
    }

    @Test
    void shouldServeProducersOnBothColocatedShardThreadsWhileTheirTwoSlotRingsFill() throws Exception
    {
        broker = TestBroker.start(dir,
            "sluice.thread.model=colocated", "num.shards=2", "sluice.shard.ring.size=2", "num.partitions=8");
        final int producers = 3;
        final int perProducer = 3_000;
        final int partitions = 8;
        // Separate producers have separate connections, dealt to both shard threads; small batches to all eight
        // partitions make each request span both shards, so each thread publishes into the other's ring and its own.
        final List<Thread> threads = new ArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            final Thread thread = new Thread(() -> produce(producer, perProducer, partitions, failures), "producer-" + p);
            thread.start();
            threads.add(thread);
        }
        for (final Thread thread : threads)
        {
            thread.join(40_000);
        }
        assertThat(failures).isEmpty();

        final Map<String, Integer> nextPerProducerAndPartition = new HashMap<>();
        final Properties properties = clientProperties(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final List<TopicPartition> assigned = new ArrayList<>();
            for (int partition = 0; partition < partitions; partition++)
            {
                assigned.add(new TopicPartition("colocated", partition));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            final long deadlineMs = System.currentTimeMillis() + 30_000;
            while (read < producers * perProducer && System.currentTimeMillis() < deadlineMs)
            {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)))
                {
                    final String[] producerAndSequence = new String(record.value(), StandardCharsets.UTF_8).split(":");
                    final String stream = producerAndSequence[0] + "@" + record.partition();
                    final int sequence = Integer.parseInt(producerAndSequence[1]);
                    assertThat(sequence).as("order of %s", stream)
                        .isEqualTo(nextPerProducerAndPartition.getOrDefault(stream, record.partition()));
                    nextPerProducerAndPartition.put(stream, sequence + partitions);
                    read++;
                }
            }
        }
        assertThat(read).isEqualTo(producers * perProducer);
        assertThat(threadNames()).contains("sluice-shard-0", "sluice-shard-1")
            .noneMatch(name -> name.startsWith("sluice-network-"));
        assertThat(log()).contains("sluice.thread.model=colocated: each of the 2 shard threads runs a network event loop");
    }

    private void produce(final int producer, final int records, final int partitions, final List<Throwable> failures)
    {
        final Properties properties = clientProperties(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        try (KafkaProducer<byte[], byte[]> kafkaProducer =
            new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer()))
        {
            final List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < records; i++)
            {
                sends.add(kafkaProducer.send(
                    new ProducerRecord<>("colocated", i % partitions, null, bytes(producer + ":" + i))));
            }
            for (final Future<RecordMetadata> send : sends)
            {
                send.get(30, TimeUnit.SECONDS);
            }
        }
        catch (final Exception ex)
        {
            failures.add(ex);
        }
    }

    private List<String> consume(final String topic, final int expected)
    {
        final Properties properties = clientProperties(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        final List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long deadlineMs = System.currentTimeMillis() + 30_000;
            while (values.size() < expected && System.currentTimeMillis() < deadlineMs)
            {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)))
                {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private Properties clientProperties(final String bootstrapKey)
    {
        final Properties properties = new Properties();
        properties.put(bootstrapKey, broker.bootstrap());
        return properties;
    }

    private void awaitLog(final String what, final String... anyOf)
    {
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (Stream.of(anyOf).noneMatch(log()::contains))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what + " in the broker log:\n" + log());
            }
            LockSupport.parkNanos(10_000_000);
        }
    }

    private String log()
    {
        return brokerLog.text();
    }

    private static List<String> threadNames()
    {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
    }

    /**
     * The {@code Cpus_allowed_list} of the native thread named {@code name} (the JVM names native threads after Java
     * ones on Linux), or null where {@code /proc} does not say.
     */
    private static String cpusAllowed(final String name) throws IOException
    {
        if (!Files.isDirectory(PROC_TASKS))
        {
            return null;
        }
        try (Stream<Path> tasks = Files.list(PROC_TASKS))
        {
            for (final Path task : tasks.toList())
            {
                final String allowed = cpusAllowed(task, name);
                if (allowed != null)
                {
                    return allowed;
                }
            }
        }
        return null;
    }

    private static String cpusAllowed(final Path task, final String name)
    {
        try
        {
            if (name.equals(Files.readString(task.resolve("comm")).trim()))
            {
                for (final String line : Files.readAllLines(task.resolve("status")))
                {
                    if (line.startsWith("Cpus_allowed_list:"))
                    {
                        return line.substring("Cpus_allowed_list:".length()).trim();
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            // The thread ended (a client's) while the list was read: it is not the one sought.
        }
        return null;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
