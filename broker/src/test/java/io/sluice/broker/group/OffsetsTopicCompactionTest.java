package io.sluice.broker.group;

import io.sluice.broker.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code __consumer_offsets} is compacted by the journal's cleaner, and what is left still loads. */
@Tag("system")
@Timeout(120)
class OffsetsTopicCompactionTest
{
    private static final String[] SETTINGS = {"offsets.topic.num.partitions=1", "offsets.topic.segment.bytes=4096"};

    @TempDir
    Path dir;

    @Test
    void shouldKeepOnlyTheLatestCommitPerPartitionAndLoadItAfterARestart() throws Exception
    {
        final int commits = 400;
        long written;
        try (TestBroker broker = TestBroker.start(dir, SETTINGS))
        {
            try (Admin admin = admin(broker))
            {
                admin.createTopics(List.of(new NewTopic("orders", 2, (short)1))).all().get();
            }
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(broker))
            {
                for (int i = 1; i <= commits; i++)
                {
                    consumer.commitSync(Map.of(
                        new TopicPartition("orders", 0), new OffsetAndMetadata(i),
                        new TopicPartition("orders", 1), new OffsetAndMetadata(10_000 + i)));
                }
            }
            written = commits * 2L * 60;
            final Path log = dir.resolve(GroupCoordinatorContext.OFFSETS_TOPIC + "-0");
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (logBytes(log) > written / 4)
            {
                assertThat(System.nanoTime()).as("cleaned within 60 s").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
        try (TestBroker broker = TestBroker.start(dir, SETTINGS);
            KafkaConsumer<byte[], byte[]> consumer = consumer(broker))
        {
            final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(
                java.util.Set.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1)), Duration.ofSeconds(30));
            assertThat(committed.get(new TopicPartition("orders", 0)).offset()).isEqualTo(commits);
            assertThat(committed.get(new TopicPartition("orders", 1)).offset()).isEqualTo(10_000 + commits);
        }
    }

    private static long logBytes(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).mapToLong(file ->
            {
                try
                {
                    return Files.size(file);
                }
                catch (final IOException ex)
                {
                    return 0;
                }
            }).sum();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(final TestBroker broker)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "compacted");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(properties);
    }

    private static Admin admin(final TestBroker broker)
    {
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        return Admin.create(properties);
    }
}
