package io.sluice.systemtest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * kafka-clients' Admin against a real broker process: topics, partitions, configs, offsets, records.
 */
@Tag("system")
class AdminSystemTest
{
    private static final String DEFAULT_PARTITIONS = "3";

    @TempDir
    static Path workDir;
    private static BrokerProcess broker;
    private Admin admin;

    @BeforeAll
    static void startBroker()
    {
        broker = new BrokerProcess(workDir)
            .override("num.partitions", DEFAULT_PARTITIONS)
            .override("auto.create.topics.enable", "false")
            .start();
    }

    @AfterAll
    static void stopBroker()
    {
        if (null != broker)
        {
            broker.close();
        }
    }

    @BeforeEach
    void createAdmin()
    {
        admin = KafkaClients.admin(broker);
    }

    @AfterEach
    void closeAdmin()
    {
        admin.close(Duration.ofSeconds(10));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDescribeTheSingleNodeCluster() throws Exception
    {
        final DescribeClusterResult cluster = admin.describeCluster();
        final Collection<Node> nodes = KafkaClients.await(cluster.nodes());
        assertThat(nodes).singleElement().satisfies(node ->
        {
            assertThat(node.host()).isEqualTo("127.0.0.1");
            assertThat(node.port()).isEqualTo(broker.port());
        });
        assertThat(KafkaClients.await(cluster.clusterId())).isNotBlank();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldCreateListDescribeAndDeleteTopics() throws Exception
    {
        final String configured = KafkaClients.uniqueTopic("admin-configured");
        final String plain = KafkaClients.uniqueTopic("admin-plain");
        KafkaClients.await(admin.createTopics(List.of(
            new NewTopic(configured, 4, (short)1).configs(Map.of("retention.ms", "3600000")),
            new NewTopic(plain, 1, (short)1))).all());

        assertThat(KafkaClients.await(admin.listTopics().names())).contains(configured, plain);

        final Map<String, TopicDescription> descriptions =
            KafkaClients.await(admin.describeTopics(List.of(configured, plain)).allTopicNames());
        final TopicDescription description = descriptions.get(configured);
        assertThat(description.partitions()).hasSize(4);
        assertThat(description.topicId()).isNotNull().isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(description.isInternal()).isFalse();
        description.partitions().forEach(p ->
        {
            assertThat(p.leader()).isNotNull();
            assertThat(p.leader().port()).isEqualTo(broker.port());
            assertThat(p.replicas()).containsExactly(p.leader());
            assertThat(p.isr()).containsExactly(p.leader());
        });
        assertThat(descriptions.get(plain).partitions()).hasSize(1);
        assertThat(descriptions.get(plain).topicId()).isNotEqualTo(description.topicId());

        assertThatThrownBy(() -> KafkaClients.await(admin.createTopics(List.of(new NewTopic(plain, 1, (short)1))).all()))
            .isInstanceOf(TopicExistsException.class);

        KafkaClients.await(admin.deleteTopics(List.of(plain)).all());
        awaitTopicGone(plain);
        assertThatThrownBy(() -> KafkaClients.await(admin.describeTopics(List.of(plain)).allTopicNames()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(KafkaClients.await(admin.listTopics().names())).contains(configured);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCreateNothingWhenOnlyValidating() throws Exception
    {
        final String topic = KafkaClients.uniqueTopic("admin-validate-only");
        KafkaClients.await(admin.createTopics(
            List.of(new NewTopic(topic, 2, (short)1)), new CreateTopicsOptions().validateOnly(true)).all());

        assertThat(KafkaClients.await(admin.listTopics().names())).doesNotContain(topic);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseInvalidAndUnknownTopics() throws Exception
    {
        assertThatThrownBy(() -> KafkaClients.createTopic(admin, "not a valid/name", 1))
            .isInstanceOf(InvalidTopicException.class);

        final String unknown = KafkaClients.uniqueTopic("admin-unknown");
        assertThatThrownBy(() -> KafkaClients.await(admin.describeTopics(List.of(unknown)).allTopicNames()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(KafkaClients.await(admin.listTopics().names()))
            .as("auto.create.topics.enable=false creates nothing on a lookup").doesNotContain(unknown);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldAddPartitionsThatTakeRecords() throws Exception
    {
        final String topic = KafkaClients.uniqueTopic("admin-grow");
        KafkaClients.createTopic(admin, topic, 2);

        KafkaClients.await(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(5))).all());

        final TopicDescription description =
            KafkaClients.await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        assertThat(description.partitions()).extracting(p -> p.partition()).containsExactly(0, 1, 2, 3, 4);

        final byte[] value = "in-a-new-partition".getBytes(StandardCharsets.UTF_8);
        final RecordMetadata metadata;
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker))
        {
            metadata = producer.send(new ProducerRecord<>(topic, 4, null, value)).get(30, TimeUnit.SECONDS);
        }
        assertThat(metadata.partition()).isEqualTo(4);
        final List<ConsumerRecord<byte[], byte[]>> records =
            KafkaClients.readAll(broker, List.of(new TopicPartition(topic, 4)), Duration.ofSeconds(30));
        assertThat(records).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(value));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDescribeAndAlterTopicConfigs() throws Exception
    {
        final String topic = KafkaClients.uniqueTopic("admin-configs");
        KafkaClients.createTopic(admin, topic, 1, Map.of("retention.ms", "3600000"));
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);

        final ConfigEntry retention = describe(resource).get("retention.ms");
        assertThat(retention).isNotNull();
        assertThat(retention.value()).isEqualTo("3600000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(describe(resource).get("cleanup.policy")).isNotNull()
            .satisfies(e -> assertThat(e.value()).isEqualTo("delete"));

        KafkaClients.await(admin.incrementalAlterConfigs(Map.of(resource, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET)))).all());

        assertThat(describe(resource).get("retention.ms").value()).isEqualTo("7200000");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldDescribeBrokerConfigsAsConfigured() throws Exception
    {
        final Node node = KafkaClients.await(admin.describeCluster().nodes()).iterator().next();
        final Config config = describe(new ConfigResource(ConfigResource.Type.BROKER, node.idString()));

        assertThat(config.get("num.partitions")).isNotNull()
            .satisfies(e -> assertThat(e.value()).isEqualTo(DEFAULT_PARTITIONS));
        assertThat(config.get("auto.create.topics.enable")).isNotNull()
            .satisfies(e -> assertThat(e.value()).isEqualTo("false"));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldDeleteRecordsBeforeAnOffsetAndListOffsetsByTime() throws Exception
    {
        final String topic = KafkaClients.uniqueTopic("admin-records");
        final TopicPartition partition = new TopicPartition(topic, 0);
        KafkaClients.createTopic(admin, topic, 1);

        final long base = System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(10);
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker))
        {
            for (int i = 0; i < 10; i++)
            {
                // timestamps rise by 10 ms, except offset 7 which carries the largest
                final long timestamp = i == 7 ? base + 1_000 : base + 10L * i;
                producer.send(new ProducerRecord<>(topic, 0, timestamp, null, value(i))).get(30, TimeUnit.SECONDS);
            }
        }

        assertThat(listOffset(partition, OffsetSpec.earliest()).offset()).isEqualTo(0);
        assertThat(listOffset(partition, OffsetSpec.latest()).offset()).isEqualTo(10);
        assertThat(listOffset(partition, OffsetSpec.forTimestamp(base + 45)).offset()).isEqualTo(5);
        final ListOffsetsResultInfo max = listOffset(partition, OffsetSpec.maxTimestamp());
        assertThat(max.offset()).isEqualTo(7);
        assertThat(max.timestamp()).isEqualTo(base + 1_000);

        final long lowWatermark = KafkaClients.await(
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(4))).lowWatermarks().get(partition))
            .lowWatermark();
        assertThat(lowWatermark).isEqualTo(4);

        assertThat(listOffset(partition, OffsetSpec.earliest()).offset()).isEqualTo(4);
        final List<ConsumerRecord<byte[], byte[]>> records =
            KafkaClients.readAll(broker, List.of(partition), Duration.ofSeconds(30));
        assertThat(records).extracting(ConsumerRecord::offset).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(records.get(0).value()).isEqualTo(value(4));
    }

    private Config describe(final ConfigResource resource) throws Exception
    {
        return KafkaClients.await(admin.describeConfigs(List.of(resource)).all()).get(resource);
    }

    private ListOffsetsResultInfo listOffset(final TopicPartition partition, final OffsetSpec spec) throws Exception
    {
        return KafkaClients.await(admin.listOffsets(Map.of(partition, spec)).all()).get(partition);
    }

    private void awaitTopicGone(final String topic) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<String> names = KafkaClients.await(admin.listTopics().names());
        while (names.contains(topic) && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            names = KafkaClients.await(admin.listTopics().names());
        }
        assertThat(names).as("topics 10 s after deleting %s", topic).doesNotContain(topic);
    }

    private static byte[] value(final int index)
    {
        return ("record-" + index).getBytes(StandardCharsets.UTF_8);
    }
}
