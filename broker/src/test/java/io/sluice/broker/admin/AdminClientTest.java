package io.sluice.broker.admin;

import io.sluice.broker.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DeleteRecordsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** kafka-clients' Admin against an in-process broker: every admin call a Kafka user makes, end to end. */
@Timeout(60)
class AdminClientTest
{
    @TempDir
    Path dir;

    private TestBroker broker;
    private Admin admin;

    @BeforeEach
    void start()
    {
        broker = TestBroker.start(dir);
        admin = admin();
    }

    @AfterEach
    void stop()
    {
        if (admin != null)
        {
            admin.close();
        }
        if (broker != null)
        {
            broker.close();
        }
    }

    @Test
    void shouldCreateTopicsAndAnswerWithIdPartitionsAndConfigs() throws Exception
    {
        final CreateTopicsResult created = admin.createTopics(List.of(
            new NewTopic("orders", 3, (short)1).configs(Map.of("retention.ms", "3600000")),
            new NewTopic("defaults", Optional.empty(), Optional.empty())));
        created.all().get();

        final Uuid id = created.topicId("orders").get();
        assertThat(id).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(created.numPartitions("orders").get()).isEqualTo(3);
        assertThat(created.replicationFactor("orders").get()).isEqualTo(1);
        final Config configs = created.config("orders").get();
        assertThat(configs.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(configs.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(configs.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(created.numPartitions("defaults").get()).isEqualTo(1);

        assertThat(admin.listTopics().names().get()).contains("orders", "defaults");
        final TopicDescription byName = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
        assertThat(byName.topicId()).isEqualTo(id);
        assertThat(byName.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2);
        final int nodeId = admin.describeCluster().controller().get().id();
        for (final TopicPartitionInfo partition : byName.partitions())
        {
            assertThat(partition.leader().id()).isEqualTo(nodeId);
            assertThat(partition.replicas()).extracting(Node::id).containsExactly(nodeId);
            assertThat(partition.isr()).extracting(Node::id).containsExactly(nodeId);
        }
    }

    @Test
    void shouldDescribeTopicsPageByPageAsTheAdminClientFollowsTheCursor() throws Exception
    {
        admin.createTopics(List.of(new NewTopic("paged-a", 5, (short)1), new NewTopic("paged-b", 3, (short)1))).all().get();

        final Map<String, TopicDescription> described = admin.describeTopics(List.of("paged-a", "paged-b"),
            new DescribeTopicsOptions().partitionSizeLimitPerResponse(2)).allTopicNames().get();

        assertThat(described.get("paged-a").partitions()).extracting(TopicPartitionInfo::partition)
            .containsExactly(0, 1, 2, 3, 4);
        assertThat(described.get("paged-b").partitions()).extracting(TopicPartitionInfo::partition)
            .containsExactly(0, 1, 2);
    }

    @Test
    void shouldDescribeTopicsByTheirIds() throws Exception
    {
        final CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("identified", 2, (short)1)));
        final Uuid id = created.topicId("identified").get();

        final TopicDescription byId = admin.describeTopics(TopicCollection.ofTopicIds(List.of(id)))
            .allTopicIds().get().get(id);

        assertThat(byId.name()).isEqualTo("identified");
        assertThat(byId.partitions()).hasSize(2);
    }

    @Test
    void shouldValidateWithoutCreating() throws Exception
    {
        final CreateTopicsResult validated = admin.createTopics(
            List.of(new NewTopic("checked", 2, (short)1)), new CreateTopicsOptions().validateOnly(true));
        validated.all().get();
        assertThat(validated.numPartitions("checked").get()).isEqualTo(2);
        assertThat(admin.listTopics().names().get()).doesNotContain("checked");

        assertThat(cause(admin.createTopics(List.of(new NewTopic("bad name", 1, (short)1)),
            new CreateTopicsOptions().validateOnly(true)).all())).isInstanceOf(InvalidTopicException.class);
    }

    @Test
    void shouldRefuseExistingTopicBadNameBadConfigAndReplicationAboveOne() throws Exception
    {
        admin.createTopics(List.of(new NewTopic("taken", 1, (short)1))).all().get();

        assertThat(cause(admin.createTopics(List.of(new NewTopic("taken", 1, (short)1))).all()))
            .isInstanceOf(TopicExistsException.class);
        assertThat(cause(admin.createTopics(List.of(new NewTopic("no/slashes", 1, (short)1))).all()))
            .isInstanceOf(InvalidTopicException.class);
        assertThat(cause(admin.createTopics(
            List.of(new NewTopic("unknown-config", 1, (short)1).configs(Map.of("no.such.config", "1")))).all()))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("no.such.config");
        assertThat(cause(admin.createTopics(
            List.of(new NewTopic("bad-value", 1, (short)1).configs(Map.of("retention.ms", "soon")))).all()))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("retention.ms");
        assertThat(cause(admin.createTopics(
            List.of(new NewTopic("bad-ratio", 1, (short)1).configs(Map.of("min.cleanable.dirty.ratio", "1.5")))).all()))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("min.cleanable.dirty.ratio");
        assertThat(cause(admin.createTopics(List.of(new NewTopic("replicated", 1, (short)3))).all()))
            .isInstanceOf(InvalidReplicationFactorException.class)
            .hasMessageContaining("only 1 broker");
        assertThat(admin.listTopics().names().get()).containsOnly("taken");
    }

    @Test
    void shouldDeleteTopicsByNameAndById() throws Exception
    {
        final CreateTopicsResult created = admin.createTopics(List.of(
            new NewTopic("by-name", 2, (short)1), new NewTopic("by-id", 2, (short)1)));
        created.all().get();
        final Uuid id = created.topicId("by-id").get();

        admin.deleteTopics(TopicCollection.ofTopicNames(List.of("by-name"))).all().get();
        admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get();

        assertThat(admin.listTopics().names().get()).doesNotContain("by-name", "by-id");
        assertThat(cause(admin.deleteTopics(TopicCollection.ofTopicNames(List.of("by-name"))).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(cause(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all()))
            .isInstanceOf(UnknownTopicIdException.class);

        admin.createTopics(List.of(new NewTopic("by-name", 1, (short)1))).all().get();
        assertThat(admin.describeTopics(List.of("by-name")).allTopicNames().get().get("by-name").partitions()).hasSize(1);
    }

    @Test
    void shouldRefuseToDeleteTheConsumerOffsetsTopicAndKeepTheCommittedOffsets() throws Exception
    {
        admin.createTopics(List.of(new NewTopic("orders", 1, (short)1))).all().get();
        final TopicPartition partition = new TopicPartition("orders", 0);
        admin.alterConsumerGroupOffsets("billing", Map.of(partition, new OffsetAndMetadata(42))).all().get();

        assertThat(cause(admin.deleteTopics(List.of("__consumer_offsets")).all()))
            .isInstanceOf(InvalidRequestException.class)
            .hasMessageContaining("cannot be deleted");

        assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get())
            .contains("__consumer_offsets");
        assertThat(admin.listConsumerGroupOffsets("billing").partitionsToOffsetAndMetadata().get().get(partition).offset())
            .isEqualTo(42);
    }

    @Test
    void shouldGrowPartitionsAndRefuseAnythingElse() throws Exception
    {
        admin.createTopics(List.of(new NewTopic("growing", 2, (short)1))).all().get();

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5)),
            new CreatePartitionsOptions().validateOnly(true)).all().get();
        assertThat(partitionCount("growing")).isEqualTo(2);

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all().get();
        assertThat(partitionCount("growing")).isEqualTo(5);
        send("growing", 4, new byte[10]);

        assertThat(cause(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all()))
            .isInstanceOf(InvalidPartitionsException.class);
        assertThat(cause(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all()))
            .isInstanceOf(InvalidPartitionsException.class);
        assertThat(cause(admin.createPartitions(Map.of("absent", NewPartitions.increaseTo(3))).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void shouldDescribeTopicAndBrokerConfigs() throws Exception
    {
        admin.createTopics(List.of(new NewTopic("described", 1, (short)1).configs(Map.of("cleanup.policy", "compact"))))
            .all().get();
        final String nodeId = Integer.toString(admin.describeCluster().controller().get().id());
        final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "described");
        final ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, nodeId);

        final Map<ConfigResource, Config> described = admin.describeConfigs(
            List.of(topic, brokerResource), new DescribeConfigsOptions().includeSynonyms(true)).all().get();

        final Config topicConfigs = described.get(topic);
        final ConfigEntry policy = topicConfigs.get("cleanup.policy");
        assertThat(policy.value()).isEqualTo("compact");
        assertThat(policy.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(policy.isReadOnly()).isFalse();
        assertThat(policy.isSensitive()).isFalse();
        assertThat(policy.type()).isEqualTo(ConfigEntry.ConfigType.LIST);
        assertThat(policy.synonyms()).extracting(ConfigEntry.ConfigSynonym::name)
            .containsExactly("cleanup.policy", "log.cleanup.policy");
        final ConfigEntry retention = topicConfigs.get("retention.ms");
        assertThat(retention.value()).isEqualTo("604800000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(topicConfigs.get("max.message.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        final Config brokerConfigs = described.get(brokerResource);
        final ConfigEntry node = brokerConfigs.get("node.id");
        assertThat(node.value()).isEqualTo(nodeId);
        assertThat(node.isReadOnly()).isTrue();
        final ConfigEntry shards = brokerConfigs.get("num.shards");
        assertThat(shards.value()).isEqualTo("2");
        assertThat(shards.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(brokerConfigs.get("log.retention.hours").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        assertThat(cause(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "absent"))).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void shouldAlterTopicConfigsLiveDurablyAndVisibly() throws Exception
    {
        admin.createTopics(List.of(new NewTopic("altered", 1, (short)1))).all().get();
        final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "altered");
        send("altered", 0, new byte[1000]);

        admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("max.message.bytes", "200"), AlterConfigOp.OpType.SET),
            new AlterConfigOp(new ConfigEntry("retention.ms", "60000"), AlterConfigOp.OpType.SET),
            new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)))).all().get();

        assertThat(cause(sendAsync("altered", 0, new byte[1000]))).isInstanceOf(RecordTooLargeException.class);
        assertThat(topicConfig(topic, "max.message.bytes").value()).isEqualTo("200");
        assertThat(topicConfig(topic, "cleanup.policy").value()).isEqualTo("delete,compact");

        admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE),
            new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SUBTRACT)))).all().get();
        assertThat(topicConfig(topic, "retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(topicConfig(topic, "cleanup.policy").value()).isEqualTo("delete");

        admin.close();
        broker.close();
        broker = TestBroker.start(dir);
        admin = admin();

        final ConfigEntry maxBytes = topicConfig(topic, "max.message.bytes");
        assertThat(maxBytes.value()).isEqualTo("200");
        assertThat(maxBytes.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(topicConfig(topic, "retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(cause(sendAsync("altered", 0, new byte[1000]))).isInstanceOf(RecordTooLargeException.class);
    }

    @Test
    void shouldRefuseBadAlterationsAndLeaveConfigsAsTheyWere() throws Exception
    {
        admin.createTopics(List.of(new NewTopic("guarded", 1, (short)1))).all().get();
        final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "guarded");

        assertThat(cause(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "60000"), AlterConfigOp.OpType.SET),
            new AlterConfigOp(new ConfigEntry("no.such.config", "1"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(InvalidConfigurationException.class);
        assertThat(cause(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "60000"), AlterConfigOp.OpType.APPEND)))).all()))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("not LIST");
        admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "60000"), AlterConfigOp.OpType.SET))),
            new AlterConfigsOptions().validateOnly(true)).all().get();
        assertThat(topicConfig(topic, "retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        assertThat(cause(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, "absent"),
            List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);

        final String nodeId = Integer.toString(admin.describeCluster().controller().get().id());
        assertThat(cause(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, nodeId),
            List.of(new AlterConfigOp(new ConfigEntry("log.retention.ms", "1"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(InvalidRequestException.class)
            .hasMessageContaining("log.retention.ms");
    }

    @Test
    void shouldDescribeTheClusterAsThisOneNodeWithAStableId() throws Exception
    {
        final DescribeClusterResult cluster = admin.describeCluster();
        final String clusterId = cluster.clusterId().get();
        final Node controller = cluster.controller().get();
        final Collection<Node> nodes = cluster.nodes().get();
        assertThat(clusterId).isNotBlank();
        assertThat(nodes).containsExactly(controller);
        assertThat(controller.port()).isEqualTo(broker.port());
        assertThat(admin.describeCluster(new DescribeClusterOptions()
            .includeAuthorizedOperations(true)).authorizedOperations().get())
            .contains(AclOperation.DESCRIBE, AclOperation.ALTER_CONFIGS);

        admin.close();
        broker.close();
        broker = TestBroker.start(dir);
        admin = admin();
        assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
    }

    @Test
    void shouldDeleteRecordsAndMoveTheBeginningOffset() throws Exception
    {
        admin.createTopics(List.of(new NewTopic("trimmed", 2, (short)1))).all().get();
        final TopicPartition first = new TopicPartition("trimmed", 0);
        final TopicPartition second = new TopicPartition("trimmed", 1);
        send(10, new ProducerRecord<>("trimmed", 0, null, new byte[10]), new ProducerRecord<>("trimmed", 1, null, new byte[10]));

        final DeleteRecordsResult deleted = admin.deleteRecords(Map.of(
            first, RecordsToDelete.beforeOffset(4), second, RecordsToDelete.beforeOffset(-1)));
        assertThat(deleted.lowWatermarks().get(first).get().lowWatermark()).isEqualTo(4);
        assertThat(deleted.lowWatermarks().get(second).get().lowWatermark()).isEqualTo(10);
        assertThat(beginningOffsets(first, second)).isEqualTo(Map.of(first, 4L, second, 10L));

        assertThat(cause(admin.deleteRecords(Map.of(first, RecordsToDelete.beforeOffset(11))).all()))
            .isInstanceOf(OffsetOutOfRangeException.class);

        admin.close();
        broker.close();
        broker = TestBroker.start(dir);
        admin = admin();
        assertThat(beginningOffsets(first, second)).isEqualTo(Map.of(first, 4L, second, 10L));
    }

    @Test
    void shouldDescribeLogDirsWithPartitionSizes() throws Exception
    {
        admin.createTopics(List.of(new NewTopic("sized", 1, (short)1))).all().get();
        send("sized", 0, new byte[100]);
        final int nodeId = admin.describeCluster().controller().get().id();

        final Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(nodeId)).allDescriptions().get().get(nodeId);

        assertThat(dirs).containsOnlyKeys(dir.toAbsolutePath().normalize().toString());
        final LogDirDescription description = dirs.values().iterator().next();
        assertThat(description.error()).isNull();
        assertThat(description.replicaInfos().get(new TopicPartition("sized", 0)).size()).isGreaterThan(100);
        assertThat(description.totalBytes()).isNotEmpty();
    }

    private int partitionCount(final String topic) throws Exception
    {
        return admin.describeTopics(List.of(topic), new DescribeTopicsOptions()).allTopicNames().get().get(topic)
            .partitions().size();
    }

    private ConfigEntry topicConfig(final ConfigResource topic, final String name) throws Exception
    {
        return admin.describeConfigs(List.of(topic)).all().get().get(topic).get(name);
    }

    private Map<TopicPartition, Long> beginningOffsets(final TopicPartition... partitions)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            return consumer.beginningOffsets(Set.of(partitions));
        }
    }

    private void send(final String topic, final int partition, final byte[] value) throws Exception
    {
        sendAsync(topic, partition, value).get();
    }

    private Future<?> sendAsync(final String topic, final int partition, final byte[] value)
    {
        return send(1, new ProducerRecord<>(topic, partition, null, value));
    }

    /** Send each record {@code times} times with one producer; the future of the last send. */
    @SafeVarargs
    private Future<?> send(final int times, final ProducerRecord<byte[], byte[]>... records)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        properties.put(ProducerConfig.RETRIES_CONFIG, 0);
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer()))
        {
            Future<?> sent = null;
            for (int i = 0; i < times; i++)
            {
                for (final ProducerRecord<byte[], byte[]> record : records)
                {
                    sent = producer.send(record);
                }
            }
            producer.flush();
            return sent;
        }
    }

    private static Throwable cause(final Future<?> future)
    {
        try
        {
            future.get();
        }
        catch (final ExecutionException ex)
        {
            return ex.getCause();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return ex;
        }
        return null;
    }

    private Admin admin()
    {
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        return Admin.create(properties);
    }
}
