package io.sluice.broker.group;

import io.sluice.broker.RawKafkaClient;
import io.sluice.broker.TestBroker;
import io.sluice.broker.topic.Topic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.sluice.broker.group.CoordinatorHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

/** The group APIs on the wire at every version advertised, as librdkafka, kafkajs and kafka-clients send them. */
@Timeout(60)
class GroupProtocolTest
{
    @TempDir
    Path dir;

    private TestBroker broker;
    private RawKafkaClient client;

    @BeforeEach
    void start() throws Exception
    {
        broker = TestBroker.start(dir, "group.initial.rebalance.delay.ms=0", "offsets.topic.num.partitions=3");
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
    void shouldAdvertiseTheClassicGroupApisAndNotTheConsumerProtocol() throws Exception
    {
        final ApiVersionsResponseData versions = client.call(new ApiVersionsRequestData()
            .setClientSoftwareName("raw").setClientSoftwareVersion("1"), (short)3);
        final Map<ApiKeys, int[]> expected = Map.ofEntries(
            Map.entry(ApiKeys.FIND_COORDINATOR, new int[]{0, 6}),
            Map.entry(ApiKeys.JOIN_GROUP, new int[]{0, 9}),
            Map.entry(ApiKeys.SYNC_GROUP, new int[]{0, 5}),
            Map.entry(ApiKeys.HEARTBEAT, new int[]{0, 4}),
            Map.entry(ApiKeys.LEAVE_GROUP, new int[]{0, 5}),
            Map.entry(ApiKeys.OFFSET_COMMIT, new int[]{2, 10}),
            Map.entry(ApiKeys.OFFSET_FETCH, new int[]{1, 10}),
            Map.entry(ApiKeys.OFFSET_DELETE, new int[]{0, 0}),
            Map.entry(ApiKeys.LIST_GROUPS, new int[]{0, 5}),
            Map.entry(ApiKeys.DESCRIBE_GROUPS, new int[]{0, 6}),
            Map.entry(ApiKeys.DELETE_GROUPS, new int[]{0, 2}));
        for (final Map.Entry<ApiKeys, int[]> entry : expected.entrySet())
        {
            final ApiVersionsResponseData.ApiVersion advertised = versions.apiKeys().find(entry.getKey().id);
            assertThat(advertised).as(entry.getKey().name).isNotNull();
            assertThat(new int[]{advertised.minVersion(), advertised.maxVersion()}).as(entry.getKey().name)
                .containsExactly(entry.getValue()[0], entry.getValue()[1]);
        }
        assertThat(versions.apiKeys().find(ApiKeys.CONSUMER_GROUP_HEARTBEAT.id)).isNull();
        assertThat(versions.apiKeys().find(ApiKeys.CONSUMER_GROUP_DESCRIBE.id)).isNull();
    }

    @Test
    void shouldNameThisBrokerCoordinatorAtEveryVersionAndCreateTheOffsetsTopic() throws Exception
    {
        assertThat(broker.broker().topics().snapshot().topic(GroupCoordinatorContext.OFFSETS_TOPIC)).isNull();
        for (short version = 0; version <= 3; version++)
        {
            final FindCoordinatorResponseData found = client.call(
                new FindCoordinatorRequestData().setKey("g" + version), version);
            assertThat(found.errorCode()).as("v" + version).isZero();
            assertThat(found.port()).isEqualTo(broker.port());
            assertThat(found.nodeId()).isEqualTo(1);
        }
        for (short version = 4; version <= 6; version++)
        {
            final FindCoordinatorResponseData found = client.call(
                new FindCoordinatorRequestData().setCoordinatorKeys(List.of("a", "b")), version);
            assertThat(found.coordinators()).extracting(FindCoordinatorResponseData.Coordinator::key).containsExactly("a", "b");
            assertThat(found.coordinators()).allMatch(c -> c.errorCode() == 0 && c.port() == broker.port());
        }
        final FindCoordinatorResponseData transactional = client.call(
            new FindCoordinatorRequestData().setKeyType((byte)1).setKey("txn"), (short)3);
        assertThat(transactional.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(transactional.nodeId()).isEqualTo(-1);

        final Topic offsets = broker.broker().topics().snapshot().topic(GroupCoordinatorContext.OFFSETS_TOPIC);
        assertThat(offsets.partitionCount()).isEqualTo(3);
        assertThat(offsets.configs()).containsEntry("cleanup.policy", "compact").containsEntry("retention.ms", "-1");
        final MetadataResponseData metadata = client.call(new MetadataRequestData().setTopics(null), (short)12);
        assertThat(metadata.topics().find(GroupCoordinatorContext.OFFSETS_TOPIC).isInternal()).isTrue();
    }

    @Test
    void shouldRunAGroupAtEveryJoinGroupVersion() throws Exception
    {
        client.call(new FindCoordinatorRequestData().setKey("warm-up"), (short)0);
        for (short version = 0; version <= 9; version++)
        {
            final String group = "g" + version;
            JoinGroupResponseData joined = client.call(joinRequest(group, "", null, "range"), version);
            if (version >= 4)
            {
                assertThat(joined.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
                joined = client.call(joinRequest(group, joined.memberId(), null, "range"), version);
            }
            assertThat(joined.errorCode()).as("JoinGroup v" + version).isZero();
            assertThat(joined.generationId()).isEqualTo(1);
            assertThat(joined.protocolName()).isEqualTo("range");
            final String member = joined.memberId();

            final short syncVersion = (short)Math.min(version, 5);
            final SyncGroupResponseData synced = client.call(new SyncGroupRequestData()
                .setGroupId(group).setMemberId(member).setGenerationId(1)
                .setProtocolType("consumer").setProtocolName("range")
                .setAssignments(List.of(new SyncGroupRequestAssignment().setMemberId(member).setAssignment(new byte[] {9}))),
                syncVersion);
            assertThat(synced.errorCode()).as("SyncGroup v" + syncVersion).isZero();
            assertThat(synced.assignment()).containsExactly(9);

            final short heartbeatVersion = (short)Math.min(version, 4);
            final HeartbeatResponseData beat = client.call(new HeartbeatRequestData()
                .setGroupId(group).setMemberId(member).setGenerationId(1), heartbeatVersion);
            assertThat(beat.errorCode()).as("Heartbeat v" + heartbeatVersion).isZero();

            final short leaveVersion = (short)Math.min(version, 5);
            final LeaveGroupRequestData leave = new LeaveGroupRequestData().setGroupId(group);
            if (leaveVersion < 3)
            {
                leave.setMemberId(member);
            }
            else
            {
                leave.setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(member)));
            }
            final LeaveGroupResponseData left = client.call(leave, leaveVersion);
            assertThat(left.errorCode()).as("LeaveGroup v" + leaveVersion).isZero();
        }
    }

    @Test
    void shouldRefuseASyncWithoutProtocolFromVersionFive() throws Exception
    {
        client.call(new FindCoordinatorRequestData().setKey("warm-up"), (short)0);
        final SyncGroupResponseData refused = client.call(new SyncGroupRequestData()
            .setGroupId("g").setMemberId("m").setGenerationId(1), (short)5);
        assertThat(refused.errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
    }

    @Test
    void shouldCommitAndFetchAtEveryVersion() throws Exception
    {
        client.call(new CreateTopicsRequestData().setTimeoutMs(10_000).setTopics(
            new CreateTopicsRequestData.CreatableTopicCollection(List.of(
                new CreatableTopic().setName("orders").setNumPartitions(2).setReplicationFactor((short)1)).iterator())),
            (short)7);
        client.call(new FindCoordinatorRequestData().setKey("warm-up"), (short)0);
        final Uuid topicId = uuid(broker.broker().topics().snapshot().topic("orders").id());
        for (short version = 2; version <= 10; version++)
        {
            final OffsetCommitRequestTopic topic = version >= 10 ? new OffsetCommitRequestTopic().setTopicId(topicId) :
                new OffsetCommitRequestTopic().setName("orders");
            topic.setPartitions(List.of(new OffsetCommitRequestPartition()
                .setPartitionIndex(1).setCommittedOffset(100 + version).setCommittedMetadata("m" + version)));
            final OffsetCommitResponseData committed = client.call(new OffsetCommitRequestData()
                .setGroupId("c" + version).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(topic)), version);
            assertThat(committed.topics().get(0).partitions().get(0).errorCode()).as("OffsetCommit v" + version).isZero();
        }
        for (short version = 1; version <= 7; version++)
        {
            final OffsetFetchResponseData fetched = client.call(new OffsetFetchRequestData().setGroupId("c2")
                .setTopics(List.of(new OffsetFetchRequestTopic().setName("orders").setPartitionIndexes(List.of(0, 1)))),
                version);
            assertThat(fetched.topics().get(0).partitions()).as("OffsetFetch v" + version)
                .extracting(p -> p.committedOffset()).containsExactly(-1L, 102L);
            assertThat(fetched.topics().get(0).partitions().get(1).metadata()).isEqualTo("m2");
        }
        for (short version = 8; version <= 10; version++)
        {
            final OffsetFetchRequestTopics topics = version >= 10 ?
                new OffsetFetchRequestTopics().setTopicId(topicId).setPartitionIndexes(List.of(1)) :
                new OffsetFetchRequestTopics().setName("orders").setPartitionIndexes(List.of(1));
            final OffsetFetchResponseData fetched = client.call(new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestGroup().setGroupId("c9").setTopics(List.of(topics)),
                new OffsetFetchRequestGroup().setGroupId("c10").setTopics(null))), version);
            assertThat(fetched.groups()).as("OffsetFetch v" + version).hasSize(2);
            assertThat(fetched.groups().get(0).topics().get(0).partitions().get(0).committedOffset()).isEqualTo(109);
            assertThat(fetched.groups().get(1).topics().get(0).partitions().get(0).committedOffset()).isEqualTo(110);
            if (version >= 10)
            {
                assertThat(fetched.groups().get(1).topics().get(0).topicId()).isEqualTo(topicId);
            }
        }
    }

    @Test
    void shouldAnswerCommitsToUnknownTopicsPerPartition() throws Exception
    {
        client.call(new FindCoordinatorRequestData().setKey("warm-up"), (short)0);
        final OffsetCommitResponseData byName = client.call(new OffsetCommitRequestData()
            .setGroupId("g").setGenerationIdOrMemberEpoch(-1).setMemberId("")
            .setTopics(List.of(new OffsetCommitRequestTopic().setName("missing").setPartitions(List.of(
                new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1))))), (short)9);
        assertThat(byName.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        final OffsetCommitResponseData byId = client.call(new OffsetCommitRequestData()
            .setGroupId("g").setGenerationIdOrMemberEpoch(-1).setMemberId("")
            .setTopics(List.of(new OffsetCommitRequestTopic().setTopicId(Uuid.randomUuid()).setPartitions(List.of(
                new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1))))), (short)10);
        assertThat(byId.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    private static Uuid uuid(final java.util.UUID id)
    {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
