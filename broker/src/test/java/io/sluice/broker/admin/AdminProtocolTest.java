package io.sluice.broker.admin;

import io.sluice.broker.RawKafkaClient;
import io.sluice.broker.TestBroker;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin APIs on the wire, at the versions each client family sends (kafka-clients the newest, librdkafka
 * and kafkajs older ones), including the requests real clients rarely make: the same topic twice, manual
 * assignments, paging cursors, resources Sluice does not serve.
 */
@Timeout(60)
class AdminProtocolTest
{
    @TempDir
    Path dir;

    private TestBroker broker;
    private RawKafkaClient client;

    @BeforeEach
    void start() throws Exception
    {
        broker = TestBroker.start(dir);
        client = new RawKafkaClient(broker.port());
    }

    @AfterEach
    void stop() throws Exception
    {
        if (client != null)
        {
            client.close();
        }
        if (broker != null)
        {
            broker.close();
        }
    }

    @Test
    void shouldAdvertiseEveryVersionKafkaClientsCanSend() throws Exception
    {
        final ApiVersionsResponseData versions = client.call(new ApiVersionsRequestData()
            .setClientSoftwareName("raw").setClientSoftwareVersion("1"), (short)3);

        final Map<ApiKeys, int[]> expected = Map.of(
            ApiKeys.CREATE_TOPICS, new int[]{2, 7},
            ApiKeys.DELETE_TOPICS, new int[]{1, 6},
            ApiKeys.CREATE_PARTITIONS, new int[]{0, 3},
            ApiKeys.DESCRIBE_TOPIC_PARTITIONS, new int[]{0, 0},
            ApiKeys.DESCRIBE_CONFIGS, new int[]{1, 4},
            ApiKeys.INCREMENTAL_ALTER_CONFIGS, new int[]{0, 1},
            ApiKeys.ALTER_CONFIGS, new int[]{0, 2},
            ApiKeys.DESCRIBE_CLUSTER, new int[]{0, 2},
            ApiKeys.DELETE_RECORDS, new int[]{0, 2},
            ApiKeys.DESCRIBE_LOG_DIRS, new int[]{1, 5});
        for (final Map.Entry<ApiKeys, int[]> entry : expected.entrySet())
        {
            final ApiVersionsResponseData.ApiVersion advertised = versions.apiKeys().find(entry.getKey().id);
            assertThat(advertised).as(entry.getKey().name).isNotNull();
            assertThat(new int[]{advertised.minVersion(), advertised.maxVersion()}).as(entry.getKey().name)
                .containsExactly(entry.getValue()[0], entry.getValue()[1]);
            assertThat(advertised.maxVersion()).isEqualTo(entry.getKey().latestVersion());
        }
    }

    @Test
    void shouldCreateAtTheOldestVersionWithoutTheNewerFields() throws Exception
    {
        final CreateTopicsResponseData created = client.call(create(topic("old", 2)), (short)2);

        final CreatableTopicResult result = created.topics().find("old");
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.numPartitions()).isEqualTo(-1);
        assertThat(broker.broker().topics().snapshot().topic("old").partitionCount()).isEqualTo(2);
    }

    @Test
    void shouldRefuseEveryCopyOfATopicNamedTwiceAndCreateTheRest() throws Exception
    {
        final CreateTopicsRequestData request = create(topic("twice", 1), topic("once", 1), topic("twice", 2));

        final CreateTopicsResponseData created = client.call(request, (short)7);

        assertThat(created.topics()).hasSize(2);
        assertThat(created.topics().find("twice").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(created.topics().find("twice").errorMessage()).isEqualTo("Duplicate topic name.");
        assertThat(created.topics().find("once").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(broker.broker().topics().snapshot().topic("twice")).isNull();
    }

    @Test
    void shouldCheckPartitionsReplicationConfigsAndNamesAsKafkaDoes() throws Exception
    {
        client.call(create(topic("a_b", 1)), (short)7);
        final CreatableTopic nullConfig = topic("null-config", 1);
        nullConfig.configs().add(new CreatableTopicConfig().setName("retention.ms").setValue(null));

        final CreateTopicsResponseData created = client.call(create(
            topic("zero-partitions", 0),
            topic("zero-replicas", 1).setReplicationFactor((short)0),
            topic("three-replicas", 1).setReplicationFactor((short)3),
            topic("a.b", 1),
            topic("__cluster_metadata", 1),
            nullConfig), (short)7);

        assertThat(error(created, "zero-partitions")).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(error(created, "zero-replicas")).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(error(created, "three-replicas")).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(created.topics().find("three-replicas").errorMessage())
            .isEqualTo("Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be " +
                "reached because only 1 broker(s) are registered.");
        assertThat(error(created, "a.b")).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(created.topics().find("a.b").errorMessage()).contains("collides with existing topic: a_b");
        assertThat(error(created, "__cluster_metadata")).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(error(created, "null-config")).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(broker.broker().topics().snapshot().topics()).hasSize(1);
    }

    @Test
    void shouldCreateATopicOnceWhenTwoClientsRaceForIt() throws Exception
    {
        try (RawKafkaClient other = new RawKafkaClient(broker.port()))
        {
            final int mine = client.send(create(topic("raced", 4)), (short)7);
            final int theirs = other.send(create(topic("raced", 4)), (short)7);

            final CreateTopicsResponseData first = client.receive(ApiKeys.CREATE_TOPICS, (short)7, mine);
            final CreateTopicsResponseData second = other.receive(ApiKeys.CREATE_TOPICS, (short)7, theirs);

            assertThat(List.of(error(first, "raced"), error(second, "raced")))
                .containsExactlyInAnyOrder(Errors.NONE, Errors.TOPIC_ALREADY_EXISTS);
        }
    }

    @Test
    void shouldRecreateATopicWhoseDeletionIsStillUnderWay() throws Exception
    {
        final Uuid oldId = client.<CreateTopicsResponseData>call(create(topic("reborn", 1)), (short)7)
            .topics().find("reborn").topicId();
        final ProduceRequestData.TopicProduceData produced = new ProduceRequestData.TopicProduceData().setName("reborn");
        produced.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
            .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("old".getBytes(StandardCharsets.UTF_8)))));
        final ProduceRequestData produce = new ProduceRequestData().setAcks((short)-1).setTimeoutMs(10_000);
        produce.topicData().add(produced);
        assertThat(client.<ProduceResponseData>call(produce, (short)9).responses().iterator().next()
            .partitionResponses().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        final DeleteRecordsRequestData trim = new DeleteRecordsRequestData().setTimeoutMs(10_000);
        trim.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName("reborn").setPartitions(List.of(
            new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(-1))));

        final int deleted = client.send(new DeleteTopicsRequestData().setTopicNames(List.of("reborn")).setTimeoutMs(10_000),
            (short)5);
        final int created = client.send(create(topic("reborn", 2)), (short)7);

        assertThat(client.<DeleteTopicsResponseData>receive(ApiKeys.DELETE_TOPICS, (short)5, deleted)
            .responses().find("reborn").errorCode()).isEqualTo(Errors.NONE.code());
        final CreatableTopicResult recreated =
            client.<CreateTopicsResponseData>receive(ApiKeys.CREATE_TOPICS, (short)7, created).topics().find("reborn");
        assertThat(recreated.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(recreated.topicId()).isNotEqualTo(oldId);
        assertThat(client.<DeleteRecordsResponseData>call(trim, (short)2)
            .topics().find("reborn").partitions().find(0).lowWatermark()).isZero();
        assertThat(broker.broker().topics().snapshot().topic("reborn").partitionCount()).isEqualTo(2);
    }

    @Test
    void shouldAcceptAManualAssignmentOnlyWhenItNamesThisNode() throws Exception
    {
        final CreatableTopic onThisNode = topic("assigned", -1).setReplicationFactor((short)-1);
        final CreatableTopic elsewhere = topic("elsewhere", -1).setReplicationFactor((short)-1);
        final CreatableTopic withCount = topic("with-count", 2).setReplicationFactor((short)-1);
        for (int i = 0; i < 3; i++)
        {
            onThisNode.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(i).setBrokerIds(List.of(1)));
        }
        elsewhere.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(2)));
        withCount.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(1)));

        final CreateTopicsResponseData created = client.call(create(onThisNode, elsewhere, withCount), (short)7);

        assertThat(error(created, "assigned")).isEqualTo(Errors.NONE);
        assertThat(created.topics().find("assigned").numPartitions()).isEqualTo(3);
        assertThat(error(created, "elsewhere")).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(created.topics().find("elsewhere").errorMessage()).contains("broker 2");
        assertThat(error(created, "with-count")).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void shouldDeleteByNameAtVersionOneAndExplainBadIdsAtVersionSix() throws Exception
    {
        final CreateTopicsResponseData created = client.call(create(topic("old-client", 1), topic("new-client", 1)), (short)7);
        final Uuid id = created.topics().find("new-client").topicId();

        final DeleteTopicsResponseData byName = client.call(
            new DeleteTopicsRequestData().setTopicNames(List.of("old-client", "missing")).setTimeoutMs(10_000), (short)1);
        assertThat(byName.responses().find("old-client").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(byName.responses().find("missing").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

        final DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(10_000);
        request.topics().add(new DeleteTopicState().setName("new-client").setTopicId(id));
        request.topics().add(new DeleteTopicState().setName(null).setTopicId(Uuid.randomUuid()));
        request.topics().add(new DeleteTopicState().setName(null).setTopicId(Uuid.ZERO_UUID));
        final DeleteTopicsResponseData byId = client.call(request, (short)6);
        final List<Short> codes = new ArrayList<>();
        for (final DeletableTopicResult result : byId.responses())
        {
            codes.add(result.errorCode());
        }
        assertThat(codes).containsExactlyInAnyOrder(
            Errors.INVALID_REQUEST.code(), Errors.UNKNOWN_TOPIC_ID.code(), Errors.INVALID_REQUEST.code());
        assertThat(broker.broker().topics().snapshot().topic("new-client")).isNotNull();

        final DeleteTopicsRequestData byIdOnly = new DeleteTopicsRequestData().setTimeoutMs(10_000);
        byIdOnly.topics().add(new DeleteTopicState().setName(null).setTopicId(id));
        final DeletableTopicResult deleted = client.<DeleteTopicsResponseData>call(byIdOnly, (short)6)
            .responses().iterator().next();
        assertThat(deleted.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(deleted.name()).isEqualTo("new-client");
        assertThat(broker.broker().topics().snapshot().topic("new-client")).isNull();
    }

    @Test
    void shouldGrowPartitionsWithAnAssignmentOfThisNode() throws Exception
    {
        client.call(create(topic("grown", 1)), (short)7);
        final CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(10_000);
        request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("grown").setCount(3)
            .setAssignments(new ArrayList<>(List.of(
                new CreatePartitionsRequestData.CreatePartitionsAssignment().setBrokerIds(List.of(1))))));

        final CreatePartitionsResponseData tooFew = client.call(request, (short)1);
        assertThat(tooFew.results().get(0).errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());

        request.topics().find("grown").assignments()
            .add(new CreatePartitionsRequestData.CreatePartitionsAssignment().setBrokerIds(List.of(1)));
        final CreatePartitionsResponseData grown = client.call(request, (short)3);
        assertThat(grown.results().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(broker.broker().topics().snapshot().topic("grown").partitionCount()).isEqualTo(3);
    }

    @Test
    void shouldPageTopicPartitionsWithACursor() throws Exception
    {
        client.call(create(topic("pa", 3), topic("pb", 2), topic("pc", 1)), (short)7);

        final DescribeTopicPartitionsResponseData first = describePartitions(2, null, "pa", "pb", "pc");
        assertThat(pages(first)).containsExactly("pa-0", "pa-1");
        assertThat(first.nextCursor().topicName()).isEqualTo("pa");
        assertThat(first.nextCursor().partitionIndex()).isEqualTo(2);

        final DescribeTopicPartitionsResponseData second = describePartitions(2, first.nextCursor(), "pa", "pb", "pc");
        assertThat(pages(second)).containsExactly("pa-2", "pb-0");
        assertThat(second.nextCursor().topicName()).isEqualTo("pb");
        assertThat(second.nextCursor().partitionIndex()).isEqualTo(1);

        final DescribeTopicPartitionsResponseData third = describePartitions(2, second.nextCursor(), "pa", "pb", "pc");
        assertThat(pages(third)).containsExactly("pb-1", "pc-0");
        assertThat(third.nextCursor()).isNull();

        final DescribeTopicPartitionsResponseData exact = describePartitions(3, null);
        assertThat(pages(exact)).containsExactly("pa-0", "pa-1", "pa-2");
        assertThat(exact.nextCursor().topicName()).isEqualTo("pb");
        assertThat(exact.nextCursor().partitionIndex()).isZero();
    }

    @Test
    void shouldDescribeNamedTopicPartitionsWithLeaderReplicasAndErrors() throws Exception
    {
        final Uuid id = client.<CreateTopicsResponseData>call(create(topic("described", 2)), (short)7)
            .topics().find("described").topicId();

        final DescribeTopicPartitionsResponseData described = describePartitions(2000, null, "described", "absent", "bad!");

        final DescribeTopicPartitionsResponseTopic topic = described.topics().find("described");
        assertThat(topic.topicId()).isEqualTo(id);
        assertThat(topic.isInternal()).isFalse();
        for (final DescribeTopicPartitionsResponsePartition partition : topic.partitions())
        {
            assertThat(partition.leaderId()).isEqualTo(1);
            assertThat(partition.leaderEpoch()).isZero();
            assertThat(partition.replicaNodes()).containsExactly(1);
            assertThat(partition.isrNodes()).containsExactly(1);
        }
        assertThat(described.topics().find("absent").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(described.topics().find("bad!").errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());

        final DescribeTopicPartitionsResponseData strayCursor = describePartitions(10,
            new DescribeTopicPartitionsResponseData.Cursor().setTopicName("elsewhere").setPartitionIndex(0), "described");
        assertThat(strayCursor.topics().find("described").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void shouldDescribeConfigsAtTheVersionLibrdkafkaSends() throws Exception
    {
        final CreatableTopic withOverride = topic("configured", 1);
        withOverride.configs().add(new CreatableTopicConfig().setName("retention.ms").setValue("1000"));
        client.call(create(withOverride), (short)7);
        final DescribeConfigsRequestData request = new DescribeConfigsRequestData().setIncludeSynonyms(true);
        request.resources().add(new DescribeConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id())
            .setResourceName("configured").setConfigurationKeys(List.of("retention.ms", "segment.ms")));
        request.resources().add(new DescribeConfigsResource().setResourceType(ConfigResource.Type.BROKER.id())
            .setResourceName("").setConfigurationKeys(null));
        request.resources().add(new DescribeConfigsResource().setResourceType(ConfigResource.Type.BROKER.id())
            .setResourceName("7").setConfigurationKeys(null));
        request.resources().add(new DescribeConfigsResource().setResourceType(ConfigResource.Type.BROKER_LOGGER.id())
            .setResourceName("1").setConfigurationKeys(null));

        final List<DescribeConfigsResult> results = client.<DescribeConfigsResponseData>call(request, (short)1).results();

        final DescribeConfigsResult topic = results.get(0);
        assertThat(topic.configs()).extracting(DescribeConfigsResourceResult::name)
            .containsExactly("retention.ms", "segment.ms");
        final DescribeConfigsResourceResult retention = topic.configs().get(0);
        assertThat(retention.value()).isEqualTo("1000");
        assertThat(retention.configSource()).isEqualTo(ConfigSource.TOPIC_CONFIG.id());
        assertThat(retention.synonyms()).extracting(DescribeConfigsResponseData.DescribeConfigsSynonym::name)
            .containsExactly("retention.ms", "log.retention.hours");
        assertThat(topic.configs().get(1).synonyms()).extracting(DescribeConfigsResponseData.DescribeConfigsSynonym::name)
            .containsExactly("log.roll.hours");
        assertThat(results.get(1).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(results.get(1).configs()).isEmpty();
        assertThat(results.get(2).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(results.get(3).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void shouldRefuseMalformedAlterationsOneResourceAtATime() throws Exception
    {
        client.call(create(topic("alterable", 1)), (short)7);
        final IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData();
        request.resources().add(resource(ConfigResource.Type.TOPIC, "alterable",
            op("retention.ms", AlterConfigOp.OpType.SET, "1"), op("retention.ms", AlterConfigOp.OpType.DELETE, null)));
        request.resources().add(resource(ConfigResource.Type.TOPIC, "twice", op("retention.ms", AlterConfigOp.OpType.SET, "1")));
        request.resources().add(resource(ConfigResource.Type.TOPIC, "twice", op("retention.ms", AlterConfigOp.OpType.SET, "2")));
        request.resources().add(resource(ConfigResource.Type.BROKER, "1", op("log.retention.ms", AlterConfigOp.OpType.SET, null)));
        request.resources().add(resource(ConfigResource.Type.BROKER, "", op("log.retention.ms", AlterConfigOp.OpType.DELETE, null)));

        final List<AlterConfigsResourceResponse> results =
            client.<IncrementalAlterConfigsResponseData>call(request, (short)0).responses();

        assertThat(results).extracting(AlterConfigsResourceResponse::errorCode).containsExactly(
            Errors.INVALID_REQUEST.code(), Errors.INVALID_REQUEST.code(), Errors.INVALID_REQUEST.code(),
            Errors.INVALID_REQUEST.code(), Errors.NONE.code());
        assertThat(results.get(0).errorMessage()).isEqualTo("Error due to duplicate config keys");
        assertThat(results.get(1).errorMessage()).isEqualTo("Each resource must appear at most once.");
        assertThat(results.get(3).errorMessage()).startsWith("Null value not supported");
        assertThat(broker.broker().topics().snapshot().topic("alterable").configs()).isEmpty();
    }

    @Test
    void shouldReplaceEveryOverrideWithTheLegacyAlterConfigsKafkajsSends() throws Exception
    {
        final CreatableTopic configured = topic("replaced", 1);
        configured.configs().add(new CreatableTopicConfig().setName("retention.ms").setValue("1000"));
        client.call(create(configured), (short)7);
        final AlterConfigsRequestData request = new AlterConfigsRequestData();
        request.resources().add(legacyResource(ConfigResource.Type.TOPIC, "replaced", "segment.ms", "60000"));
        request.resources().add(legacyResource(ConfigResource.Type.TOPIC, "replaced-too", "retention.ms", "soon"));
        request.resources().add(legacyResource(ConfigResource.Type.BROKER, "1", "num.partitions", "3"));

        final List<AlterConfigsResponseData.AlterConfigsResourceResponse> results =
            client.<AlterConfigsResponseData>call(request, (short)0).responses();

        assertThat(results).extracting(AlterConfigsResponseData.AlterConfigsResourceResponse::errorCode).containsExactly(
            Errors.NONE.code(), Errors.INVALID_CONFIG.code(), Errors.INVALID_REQUEST.code());
        assertThat(broker.broker().topics().snapshot().topic("replaced").configs()).isEqualTo(Map.of("segment.ms", "60000"));
    }

    @Test
    void shouldRefuseToDeleteRecordsOfCompactedOrUnknownPartitions() throws Exception
    {
        final CreatableTopic compacted = topic("compacted", 1);
        compacted.configs().add(new CreatableTopicConfig().setName("cleanup.policy").setValue("compact"));
        client.call(create(compacted, topic("plain", 1)), (short)7);
        final DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(10_000);
        request.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName("compacted").setPartitions(List.of(
            new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(0))));
        request.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName("plain").setPartitions(List.of(
            new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(-1),
            new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(5).setOffset(0))));

        final DeleteRecordsResponseData deleted = client.call(request, (short)0);

        final DeleteRecordsResponseData.DeleteRecordsPartitionResult policy =
            deleted.topics().find("compacted").partitions().find(0);
        assertThat(policy.errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code());
        assertThat(policy.lowWatermark()).isEqualTo(-1);
        final DeleteRecordsResponseData.DeleteRecordsPartitionResult empty = deleted.topics().find("plain").partitions().find(0);
        assertThat(empty.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(empty.lowWatermark()).isZero();
        final DeleteRecordsResponseData.DeleteRecordsPartitionResult unknown =
            deleted.topics().find("plain").partitions().find(5);
        assertThat(unknown.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(unknown.lowWatermark()).isEqualTo(-1);
    }

    @Test
    void shouldDescribeTheClusterToBrokerRequestsOnly() throws Exception
    {
        final DescribeClusterResponseData cluster = client.call(new DescribeClusterRequestData(), (short)0);
        assertThat(cluster.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(cluster.controllerId()).isEqualTo(1);
        assertThat(cluster.brokers().find(1).port()).isEqualTo(broker.port());
        assertThat(cluster.clusterAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);

        final DescribeClusterResponseData controllers =
            client.call(new DescribeClusterRequestData().setEndpointType((byte)2), (short)1);
        assertThat(controllers.errorCode()).isEqualTo(Errors.MISMATCHED_ENDPOINT_TYPE.code());
        final DescribeClusterResponseData unknown =
            client.call(new DescribeClusterRequestData().setEndpointType((byte)9), (short)2);
        assertThat(unknown.errorCode()).isEqualTo(Errors.UNSUPPORTED_ENDPOINT_TYPE.code());
    }

    private DescribeTopicPartitionsResponseData describePartitions(
        final int limit, final DescribeTopicPartitionsResponseData.Cursor cursor, final String... names) throws Exception
    {
        final DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData()
            .setResponsePartitionLimit(limit)
            .setCursor(cursor == null ? null : new DescribeTopicPartitionsRequestData.Cursor()
                .setTopicName(cursor.topicName()).setPartitionIndex(cursor.partitionIndex()));
        for (final String name : names)
        {
            request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName(name));
        }
        return client.call(request, (short)0);
    }

    private static List<String> pages(final DescribeTopicPartitionsResponseData response)
    {
        final List<String> partitions = new ArrayList<>();
        for (final DescribeTopicPartitionsResponseTopic topic : response.topics())
        {
            for (final DescribeTopicPartitionsResponsePartition partition : topic.partitions())
            {
                partitions.add(topic.name() + "-" + partition.partitionIndex());
            }
        }
        return partitions;
    }

    private static AlterConfigsResource resource(
        final ConfigResource.Type type, final String name, final AlterableConfig... configs)
    {
        final AlterConfigsResource resource = new AlterConfigsResource().setResourceType(type.id()).setResourceName(name);
        for (final AlterableConfig config : configs)
        {
            resource.configs().add(config);
        }
        return resource;
    }

    private static AlterConfigsRequestData.AlterConfigsResource legacyResource(
        final ConfigResource.Type type, final String name, final String key, final String value)
    {
        final AlterConfigsRequestData.AlterConfigsResource resource =
            new AlterConfigsRequestData.AlterConfigsResource().setResourceType(type.id()).setResourceName(name);
        resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName(key).setValue(value));
        return resource;
    }

    private static AlterableConfig op(final String name, final AlterConfigOp.OpType type, final String value)
    {
        return new AlterableConfig().setName(name).setConfigOperation(type.id()).setValue(value);
    }

    private static Errors error(final CreateTopicsResponseData response, final String name)
    {
        return Errors.forCode(response.topics().find(name).errorCode());
    }

    private static CreatableTopic topic(final String name, final int partitions)
    {
        return new CreatableTopic().setName(name).setNumPartitions(partitions).setReplicationFactor((short)1);
    }

    private static CreateTopicsRequestData create(final CreatableTopic... topics)
    {
        final CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(10_000);
        for (final CreatableTopic topic : topics)
        {
            request.topics().add(topic);
        }
        return request;
    }
}
