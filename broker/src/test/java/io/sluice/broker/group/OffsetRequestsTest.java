package io.sluice.broker.group;

import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResultCollection;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.sluice.broker.group.CoordinatorHarness.INITIAL_DELAY_MS;
import static io.sluice.broker.group.CoordinatorHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

/** Committed offsets: group and simple commits, fetches, deletions, expiry, and what ListGroups/DescribeGroups show. */
class OffsetRequestsTest
{
    private final CoordinatorHarness harness = new CoordinatorHarness();

    @Test
    void shouldCommitWithoutAGroupAsAStandaloneConsumer()
    {
        assertThat(commit("solo", -1, "", 8, "orders", 0, 42L, "note")).isEqualTo(Errors.NONE);
        final OffsetFetchResponsePartitions fetched = fetch("solo", "orders", 0);
        assertThat(fetched.committedOffset()).isEqualTo(42);
        assertThat(fetched.metadata()).isEqualTo("note");
        assertThat(fetched.committedLeaderEpoch()).isEqualTo(3);
        assertThat(fetch("solo", "orders", 1).committedOffset()).as("never committed").isEqualTo(-1);
        assertThat(harness.coordinator.group("solo").state()).as("a simple group").isEqualTo(GroupState.EMPTY);
        assertThat(harness.coordinator.group("solo").protocolType()).isNull();
    }

    @Test
    void shouldCommitForTheCurrentGenerationOnly()
    {
        final String member = harness.stableGroup("g", 1).get(0);
        assertThat(commit("g", 1, member, 8, "orders", 0, 10L, null)).isEqualTo(Errors.NONE);
        assertThat(commit("g", 0, member, 8, "orders", 0, 11L, null)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commit("g", 1, "stranger", 8, "orders", 0, 12L, null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit("g", -1, "", 8, "orders", 0, 13L, null)).as("not empty: no simple commits")
            .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(fetch("g", "orders", 0).committedOffset()).isEqualTo(10);
    }

    @Test
    void shouldReportAnUnknownGroupByVersion()
    {
        assertThat(commit("nothing", 3, "m", 9, "orders", 0, 1L, null)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(commit("nothing", 3, "m", 8, "orders", 0, 1L, null)).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void shouldRefuseCommitsWhileTheMemberWaitsForItsAssignment()
    {
        final AtomicReference<JoinGroupResponseData> joined = harness.join(joinRequest("g", "", null, "range"), 3);
        harness.advance(INITIAL_DELAY_MS + 1);
        assertThat(commit("g", 1, joined.get().memberId(), 8, "orders", 0, 1L, null))
            .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void shouldRefuseMetadataOverTheConfiguredSize()
    {
        assertThat(commit("solo", -1, "", 8, "orders", 0, 1L, "x".repeat(4097))).isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE);
    }

    @Test
    void shouldShowACommitOnlyOnceItIsDurable()
    {
        harness.log.hold = true;
        final AtomicReference<OffsetCommitResponseData> answer = new AtomicReference<>();
        harness.coordinator.commitOffsets((short)8, commitRequest("solo", -1, "", "orders", 0, 5L, null), answer::set);
        assertThat(answer.get()).isNull();
        assertThat(fetch("solo", "orders", 0).committedOffset()).isEqualTo(-1);

        final AtomicReference<OffsetFetchResponseGroup> stable = new AtomicReference<>();
        harness.coordinator.fetchOffsets(fetchRequest("solo", "orders", 0), true, stable::set);
        assertThat(stable.get()).as("require_stable waits for the commit").isNull();

        harness.log.release();
        assertThat(answer.get().topics().get(0).partitions().get(0).errorCode()).isZero();
        assertThat(stable.get().topics().get(0).partitions().get(0).committedOffset()).isEqualTo(5);
    }

    @Test
    void shouldAnswerAFailedWriteWithKafkasMappedError()
    {
        harness.log.failWith = Errors.KAFKA_STORAGE_ERROR.code();
        assertThat(commit("solo", -1, "", 8, "orders", 0, 5L, null)).isEqualTo(Errors.NOT_COORDINATOR);
        harness.log.failWith = 0;
        assertThat(fetch("solo", "orders", 0).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldFetchEveryCommittedPartitionWhenNoTopicsAreNamed()
    {
        commit("solo", -1, "", 8, "b", 1, 7L, null);
        commit("solo", -1, "", 8, "a", 0, 3L, null);
        commit("solo", -1, "", 8, "a", 2, 4L, null);
        final AtomicReference<OffsetFetchResponseGroup> all = new AtomicReference<>();
        harness.coordinator.fetchOffsets(new OffsetFetchRequestGroup().setGroupId("solo").setTopics(null), false, all::set);
        assertThat(all.get().topics()).extracting(t -> t.name()).containsExactly("a", "b");
        assertThat(all.get().topics().get(0).partitions()).extracting(OffsetFetchResponsePartitions::committedOffset)
            .containsExactly(3L, 4L);
    }

    @Test
    void shouldDeleteOnlyEmptyGroupsWithAllTheirOffsets()
    {
        harness.stableGroup("busy", 1);
        commit("idle", -1, "", 8, "orders", 0, 9L, null);
        final AtomicReference<DeletableGroupResultCollection> results = new AtomicReference<>();
        harness.coordinator.deleteGroups(List.of("busy", "idle", "missing", "idle"), results::set);
        assertThat(results.get().find("busy").errorCode()).isEqualTo(Errors.NON_EMPTY_GROUP.code());
        assertThat(results.get().find("idle").errorCode()).isZero();
        assertThat(results.get().find("missing").errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(results.get()).hasSize(3);
        assertThat(harness.coordinator.group("idle")).isNull();
        assertThat(fetch("idle", "orders", 0).committedOffset()).isEqualTo(-1);
        final List<CoordinatorRecord> written = harness.log.records;
        assertThat(written.subList(written.size() - 2, written.size())).allMatch(record -> record.value() == null);
    }

    @Test
    void shouldKeepAGroupWhoseDeletionCannotBeStored()
    {
        commit("idle", -1, "", 8, "orders", 0, 9L, null);
        harness.log.failWith = Errors.KAFKA_STORAGE_ERROR.code();
        final AtomicReference<DeletableGroupResultCollection> results = new AtomicReference<>();
        harness.coordinator.deleteGroups(List.of("idle"), results::set);
        assertThat(results.get().find("idle").errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        harness.log.failWith = 0;
        assertThat(harness.coordinator.group("idle").state()).isEqualTo(GroupState.EMPTY);
        assertThat(fetch("idle", "orders", 0).committedOffset()).isEqualTo(9);
    }

    @Test
    void shouldDeleteOffsetsOfTopicsTheConsumersDoNotSubscribeTo()
    {
        final String member = harness.stableGroup("g", 1).get(0);
        commit("g", 1, member, 8, "orders", 0, 1L, null);
        commit("g", 1, member, 8, "old", 0, 2L, null);
        final AtomicReference<OffsetDeleteResponseData> answer = new AtomicReference<>();
        final OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId("g");
        for (final String topic : List.of("orders", "old"))
        {
            final OffsetDeleteRequestTopic requested = new OffsetDeleteRequestTopic().setName(topic);
            requested.partitions().add(new OffsetDeleteRequestPartition().setPartitionIndex(0));
            request.topics().add(requested);
        }
        harness.coordinator.deleteOffsets(request, answer::set);
        assertThat(answer.get().errorCode()).isZero();
        assertThat(answer.get().topics().find("orders").partitions().find(0).errorCode())
            .isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
        assertThat(answer.get().topics().find("old").partitions().find(0).errorCode()).isZero();
        assertThat(fetch("g", "orders", 0).committedOffset()).isEqualTo(1);
        assertThat(fetch("g", "old", 0).committedOffset()).isEqualTo(-1);
    }

    @Test
    void shouldExpireOffsetsOfAnEmptyGroupAfterTheRetention()
    {
        final CoordinatorHarness shortRetention = new CoordinatorHarness(new GroupCoordinatorContext()
            .offsetsRetentionMs(60_000).offsetsRetentionCheckIntervalMs(10_000).conclude());
        final OffsetCommitRequestData request = commitRequest("solo", -1, "", "orders", 0, 1L, null);
        shortRetention.coordinator.commitOffsets((short)8, request, response -> { });
        shortRetention.advance(50_000);
        assertThat(shortRetention.coordinator.committed("solo", "orders", 0)).isNotNull();
        shortRetention.advance(20_001);
        assertThat(shortRetention.coordinator.committed("solo", "orders", 0)).isNull();
        assertThat(shortRetention.coordinator.group("solo")).as("nothing left: the group goes too").isNull();
    }

    @Test
    void shouldListGroupsByStateAndType()
    {
        harness.stableGroup("stable", 1);
        commit("simple", -1, "", 8, "orders", 0, 1L, null);
        assertThat(list(List.of(), List.of())).extracting(ListGroupsResponseData.ListedGroup::groupId)
            .containsExactlyInAnyOrder("stable", "simple");
        assertThat(list(List.of("stable"), List.of())).extracting(ListGroupsResponseData.ListedGroup::groupId)
            .containsExactly("stable");
        assertThat(list(List.of(), List.of("consumer"))).isEmpty();
        final ListGroupsResponseData.ListedGroup simple = list(List.of("EMPTY"), List.of("Classic")).get(0);
        assertThat(simple.groupId()).isEqualTo("simple");
        assertThat(simple.protocolType()).isEmpty();
        assertThat(simple.groupState()).isEqualTo("Empty");
    }

    @Test
    void shouldDescribeMembersWithAssignmentsWhenStable()
    {
        final String member = harness.stableGroup("g", 1).get(0);
        final List<DescribedGroup> described = harness.coordinator.describeGroups(List.of("g", "nothing"), (short)5, true);
        assertThat(described.get(0).groupState()).isEqualTo("Stable");
        assertThat(described.get(0).protocolType()).isEqualTo("consumer");
        assertThat(described.get(0).protocolData()).isEqualTo("range");
        assertThat(described.get(0).members().get(0).memberId()).isEqualTo(member);
        assertThat(described.get(0).members().get(0).clientHost()).isEqualTo("/127.0.0.1");
        assertThat(described.get(0).authorizedOperations()).isEqualTo(GroupCoordinator.ALL_GROUP_OPERATIONS);
        assertThat(described.get(1).groupState()).isEqualTo("Dead");
        assertThat(described.get(1).errorCode()).isZero();
        assertThat(harness.coordinator.describeGroups(List.of("nothing"), (short)6, false).get(0).errorCode())
            .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    private List<ListGroupsResponseData.ListedGroup> list(final List<String> states, final List<String> types)
    {
        return harness.coordinator.listGroups(new ListGroupsRequestData().setStatesFilter(states).setTypesFilter(types))
            .groups();
    }

    private Errors commit(
        final String groupId, final int generation, final String memberId, final int version, final String topic,
        final int partition, final long offset, final String metadata)
    {
        final AtomicReference<OffsetCommitResponseData> answer = new AtomicReference<>();
        harness.coordinator.commitOffsets(
            (short)version, commitRequest(groupId, generation, memberId, topic, partition, offset, metadata), answer::set);
        return Errors.forCode(answer.get().topics().get(0).partitions().get(0).errorCode());
    }

    private static OffsetCommitRequestData commitRequest(
        final String groupId, final int generation, final String memberId, final String topic, final int partition,
        final long offset, final String metadata)
    {
        return new OffsetCommitRequestData()
            .setGroupId(groupId)
            .setGenerationIdOrMemberEpoch(generation)
            .setMemberId(memberId)
            .setTopics(List.of(new OffsetCommitRequestTopic().setName(topic).setPartitions(List.of(
                new OffsetCommitRequestPartition()
                    .setPartitionIndex(partition)
                    .setCommittedOffset(offset)
                    .setCommittedLeaderEpoch(3)
                    .setCommittedMetadata(metadata)))));
    }

    private static OffsetFetchRequestGroup fetchRequest(final String groupId, final String topic, final int partition)
    {
        return new OffsetFetchRequestGroup().setGroupId(groupId).setTopics(List.of(
            new OffsetFetchRequestTopics().setName(topic).setPartitionIndexes(List.of(partition))));
    }

    private OffsetFetchResponsePartitions fetch(final String groupId, final String topic, final int partition)
    {
        final AtomicReference<OffsetFetchResponseGroup> answer = new AtomicReference<>();
        harness.coordinator.fetchOffsets(fetchRequest(groupId, topic, partition), false, answer::set);
        assertThat(answer.get().errorCode()).isZero();
        return answer.get().topics().get(0).partitions().get(0);
    }
}
