package io.sluice.client;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static io.sluice.client.CrossDoorTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A consumer group's committed offsets are one set whichever door commits them: the native client's commits are
 * read by kafka-clients' {@code committed()}, kafka-clients' {@code commitSync} is read natively, and both
 * survive a broker restart.
 */
@Timeout(120)
class CommittedOffsetsTest
{
    private static final String TOPIC = "positions";
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(20);
    private static final String[] SETTINGS = {"group.initial.rebalance.delay.ms=0", "offsets.topic.num.partitions=3"};

    @TempDir
    Path dir;

    private NativeTestBroker broker;

    @BeforeEach
    void start()
    {
        broker = NativeTestBroker.start(dir, SETTINGS);
        try (SluiceAdmin admin = new SluiceAdmin(broker.context()))
        {
            admin.createTopic(TOPIC, 3, Map.of());
        }
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldReadNativeCommitsWithKafkaConsumerCommitted()
    {
        try (SluiceProducer producer = new SluiceProducer(broker.context()))
        {
            for (int i = 0; i < 3; i++)
            {
                producer.send(new OutgoingRecord().topic(TOPIC).partition(1).value(bytes("record " + i)), null, 0);
            }
            producer.flush();
        }
        try (SluiceConsumer consumer = new SluiceConsumer(broker.context().offsetReset(ClientContext.OffsetReset.EARLIEST));
            KafkaConsumer<byte[], byte[]> kafka = kafkaConsumer("native-writers"))
        {
            consumer.commit("native-writers", Map.of(
                new TopicPartition(TOPIC, 0), new OffsetAndMetadata(10, "from the native door"),
                new TopicPartition(TOPIC, 2), new OffsetAndMetadata(20)));
            final Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                kafka.committed(Set.of(partition(0), partition(1), partition(2)), KAFKA_TIMEOUT);
            assertThat(committed.get(partition(0)))
                .isEqualTo(new org.apache.kafka.clients.consumer.OffsetAndMetadata(10, "from the native door"));
            assertThat(committed.get(partition(1))).as("nothing committed").isNull();
            assertThat(committed.get(partition(2))).isEqualTo(new org.apache.kafka.clients.consumer.OffsetAndMetadata(20, ""));

            consumer.assign(TOPIC, 1);
            int read = 0;
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (read < 3)
            {
                assertThat(System.nanoTime() - deadline).as("read the three records").isNegative();
                final RecordView records = consumer.poll(500);
                while (records.next())
                {
                    read++;
                }
            }
            consumer.commit("native-writers");
            assertThat(kafka.committed(Set.of(partition(1)), KAFKA_TIMEOUT).get(partition(1)).offset())
                .as("the consumer's position").isEqualTo(3);
        }
    }

    @Test
    void shouldReadKafkaCommitSyncNatively()
    {
        try (KafkaConsumer<byte[], byte[]> kafka = kafkaConsumer("kafka-writers");
            SluiceConsumer consumer = new SluiceConsumer(broker.context()))
        {
            kafka.assign(List.of(partition(0), partition(1)));
            kafka.commitSync(Map.of(
                partition(0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(5, "from kafka-clients"),
                partition(1), new org.apache.kafka.clients.consumer.OffsetAndMetadata(7)), KAFKA_TIMEOUT);

            final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed("kafka-writers",
                List.of(new TopicPartition(TOPIC, 2), new TopicPartition(TOPIC, 1), new TopicPartition(TOPIC, 0)));
            assertThat(committed).containsExactly(
                Map.entry(new TopicPartition(TOPIC, 1), new OffsetAndMetadata(7, "")),
                Map.entry(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(5, "from kafka-clients")));
            assertThat(consumer.committed("kafka-writers", TOPIC, 2)).isEqualTo(-1);
            assertThat(consumer.committed("nobody", TOPIC, 0)).isEqualTo(-1);
        }
    }

    @Test
    void shouldKeepOffsetsFromBothDoorsAcrossARestart()
    {
        try (KafkaConsumer<byte[], byte[]> kafka = kafkaConsumer("restarted");
            SluiceConsumer consumer = new SluiceConsumer(broker.context()))
        {
            kafka.assign(List.of(partition(0)));
            kafka.commitSync(Map.of(partition(0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(11, "kafka")),
                KAFKA_TIMEOUT);
            consumer.commit("restarted", Map.of(new TopicPartition(TOPIC, 2), new OffsetAndMetadata(22, "native")));
        }
        broker.close();
        broker = NativeTestBroker.start(dir, SETTINGS);

        try (SluiceConsumer consumer = new SluiceConsumer(broker.context());
            KafkaConsumer<byte[], byte[]> kafka = kafkaConsumer("restarted"))
        {
            assertThat(consumer.committed("restarted", List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 2))))
                .containsExactly(
                    Map.entry(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(11, "kafka")),
                    Map.entry(new TopicPartition(TOPIC, 2), new OffsetAndMetadata(22, "native")));
            assertThat(kafka.committed(Set.of(partition(0), partition(2)), KAFKA_TIMEOUT)).containsOnly(
                Map.entry(partition(0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(11, "kafka")),
                Map.entry(partition(2), new org.apache.kafka.clients.consumer.OffsetAndMetadata(22, "native")));
        }
    }

    @Test
    void shouldRefuseMetadataTooLargeAndCommitsIntoAGroupWithMembers()
    {
        try (SluiceConsumer consumer = new SluiceConsumer(broker.context()))
        {
            assertThatThrownBy(() -> consumer.commit("annotated",
                Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(1, "m".repeat(5000)))))
                .isInstanceOf(SluiceException.class)
                .hasMessage("committing offsets of group 'annotated' failed for positions-0: error 12 " +
                    "(metadata longer than the broker's offset.metadata.max.bytes)");
            assertThat(consumer.committed("annotated", TOPIC, 0)).isEqualTo(-1);

            try (KafkaConsumer<byte[], byte[]> member = kafkaConsumer("busy"))
            {
                member.subscribe(List.of(TOPIC));
                final long deadline = System.nanoTime() + 30_000_000_000L;
                while (member.assignment().isEmpty())
                {
                    assertThat(System.nanoTime() - deadline).as("joined the group").isNegative();
                    member.poll(Duration.ofMillis(100));
                }
                assertThatThrownBy(() -> consumer.commit("busy", TOPIC, 0, 1))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("error 25 (the group has members")
                    .extracting(ex -> ((SluiceException)ex).errorCode()).isEqualTo((short)25);
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> kafkaConsumer(final String groupId)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static org.apache.kafka.common.TopicPartition partition(final int partition)
    {
        return new org.apache.kafka.common.TopicPartition(TOPIC, partition);
    }
}
