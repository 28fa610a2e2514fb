package io.sluice.broker.group;

import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.sluice.broker.group.CoordinatorHarness.INITIAL_DELAY_MS;
import static io.sluice.broker.group.CoordinatorHarness.SESSION_MS;
import static io.sluice.broker.group.CoordinatorHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

/** What one coordinator writes, another reads back: groups, members, assignments, offsets and tombstones. */
class CoordinatorReplayTest
{
    @Test
    void shouldRestoreAStableGroupWithItsMembersAndAssignments()
    {
        final CoordinatorHarness before = new CoordinatorHarness();
        final AtomicReference<JoinGroupResponseData> joined = before.join(joinRequest("g", "", "instance-1", "range"), 5);
        before.advance(INITIAL_DELAY_MS + 1);
        final String member = joined.get().memberId();
        before.sync("g", member, 1, Map.of(member, new byte[] {4, 2}));
        commit(before, "g", 1, member, 17);

        final CoordinatorHarness after = restart(before);
        final ClassicGroup group = after.coordinator.group("g");
        assertThat(group.state()).isEqualTo(GroupState.STABLE);
        assertThat(group.generationId()).isEqualTo(1);
        assertThat(group.leaderId()).isEqualTo(member);
        assertThat(group.protocolName()).isEqualTo("range");
        assertThat(group.member(member).groupInstanceId()).isEqualTo("instance-1");
        assertThat(group.member(member).assignment()).containsExactly(4, 2);
        assertThat(after.coordinator.committed("g", "orders", 0).offset()).isEqualTo(17);
        assertThat(after.heartbeat("g", member, "instance-1", 1)).as("carries on without a rebalance").isEqualTo(Errors.NONE);
    }

    @Test
    void shouldExpireRestoredMembersThatNeverComeBack()
    {
        final CoordinatorHarness before = new CoordinatorHarness();
        before.stableGroup("g", 1);
        final CoordinatorHarness after = restart(before);
        assertThat(after.coordinator.group("g").state()).isEqualTo(GroupState.STABLE);
        after.advance(SESSION_MS + 1);
        assertThat(after.coordinator.group("g").isEmptyOfMembers()).isTrue();
    }

    @Test
    void shouldForgetWhatTombstonesDelete()
    {
        final CoordinatorHarness before = new CoordinatorHarness();
        commit(before, "kept", -1, "", 1);
        commit(before, "deleted", -1, "", 2);
        before.coordinator.deleteGroups(List.of("deleted"), results -> { });
        final CoordinatorHarness after = restart(before);
        assertThat(after.coordinator.committed("kept", "orders", 0).offset()).isEqualTo(1);
        assertThat(after.coordinator.committed("deleted", "orders", 0)).isNull();
        assertThat(after.coordinator.group("deleted")).isNull();
        assertThat(after.coordinator.group("kept").protocolType()).isNull();
    }

    @Test
    void shouldRoundTripEveryRecordKind()
    {
        final OffsetAndMetadata offset = new OffsetAndMetadata(99, 5, "meta", 1234, 5678);
        final List<Object> seen = new ArrayList<>();
        final CoordinatorRecordDecoder.Listener listener = new CoordinatorRecordDecoder.Listener()
        {
            @Override
            public void onOffset(final String groupId, final String topic, final int partition, final OffsetAndMetadata value)
            {
                seen.add(List.of(groupId, topic, partition, value == null ? "tombstone" : value));
            }

            @Override
            public void onGroup(final String groupId, final StoredGroup group)
            {
                seen.add(group == null ? groupId + " tombstone" : groupId + " " + group.generationId());
            }
        };
        decode(CoordinatorRecordEncoder.offsetCommit("grüppe", "t", 3, offset), listener);
        decode(CoordinatorRecordEncoder.offsetTombstone("g", "t", 3), listener);
        decode(CoordinatorRecordEncoder.groupTombstone("g"), listener);
        assertThat(seen).containsExactly(List.of("grüppe", "t", 3, offset), List.of("g", "t", 3, "tombstone"), "g tombstone");
    }

    @Test
    void shouldSkipRecordsOfAnUnknownVersion()
    {
        final byte[] value = CoordinatorRecordEncoder.offsetCommit("g", "t", 0, new OffsetAndMetadata(1, -1, "", 0, -1)).value();
        value[1] = 9;
        final String skipped = CoordinatorRecordDecoder.decode(
            ByteBuffer.wrap(CoordinatorRecordEncoder.offsetTombstone("g", "t", 0).key()), ByteBuffer.wrap(value),
            new CoordinatorRecordDecoder.Listener()
            {
                @Override
                public void onOffset(final String groupId, final String topic, final int partition, final OffsetAndMetadata o)
                {
                    throw new AssertionError("must be skipped");
                }

                @Override
                public void onGroup(final String groupId, final StoredGroup group)
                {
                    throw new AssertionError("must be skipped");
                }
            });
        assertThat(skipped).contains("version 9");
        assertThat(CoordinatorRecordDecoder.decode(ByteBuffer.wrap(new byte[] {0, 1, 0}), null, null)).contains("corrupt");
    }

    private static void decode(final CoordinatorRecord record, final CoordinatorRecordDecoder.Listener listener)
    {
        assertThat(CoordinatorRecordDecoder.decode(ByteBuffer.wrap(record.key()),
            record.value() == null ? null : ByteBuffer.wrap(record.value()), listener)).isNull();
    }

    private static CoordinatorHarness restart(final CoordinatorHarness before)
    {
        return new CoordinatorHarness(before.context, before.clock.time() + 1_000, before.log::replayInto);
    }

    private static void commit(
        final CoordinatorHarness harness, final String groupId, final int generation, final String memberId, final long offset)
    {
        harness.coordinator.commitOffsets((short)8, new OffsetCommitRequestData()
            .setGroupId(groupId)
            .setGenerationIdOrMemberEpoch(generation)
            .setMemberId(memberId)
            .setTopics(List.of(new OffsetCommitRequestTopic().setName("orders").setPartitions(List.of(
                new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(offset))))), response ->
            assertThat(response.topics().get(0).partitions().get(0).errorCode()).isZero());
    }
}
