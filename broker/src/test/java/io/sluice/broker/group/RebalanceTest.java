package io.sluice.broker.group;

import io.sluice.broker.group.CoordinatorHarness.Joined;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.sluice.broker.group.CoordinatorHarness.INITIAL_DELAY_MS;
import static io.sluice.broker.group.CoordinatorHarness.REBALANCE_MS;
import static io.sluice.broker.group.CoordinatorHarness.SESSION_MS;
import static io.sluice.broker.group.CoordinatorHarness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

/** The classic group state machine: joins, generations, leaders, sync, heartbeats, leaves and timeouts. */
class RebalanceTest
{
    private final CoordinatorHarness harness = new CoordinatorHarness();

    @Test
    void shouldAskForMemberIdThenCompleteTheFirstJoinAfterTheInitialDelay()
    {
        final AtomicReference<JoinGroupResponseData> first = harness.join(joinRequest("g", "", null, "range"), 5);
        assertThat(first.get().errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
        final String memberId = first.get().memberId();
        assertThat(memberId).startsWith("client-");

        final AtomicReference<JoinGroupResponseData> second = harness.join(joinRequest("g", memberId, null, "range"), 5);
        harness.advance(INITIAL_DELAY_MS - 10);
        assertThat(second.get()).isNull();
        assertThat(harness.coordinator.group("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);

        harness.advance(20);
        final JoinGroupResponseData joined = second.get();
        assertThat(joined.errorCode()).isZero();
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(memberId);
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
            .containsExactly(memberId);
        assertThat(harness.coordinator.group("g").state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
    }

    @Test
    void shouldJoinAtOnceWithoutMemberIdRequiredBeforeVersionFour()
    {
        final AtomicReference<JoinGroupResponseData> answer = harness.join(joinRequest("g", "", null, "range"), 3);
        assertThat(answer.get()).isNull();
        harness.advance(INITIAL_DELAY_MS + 1);
        assertThat(answer.get().errorCode()).isZero();
        assertThat(answer.get().memberId()).isEqualTo(answer.get().leader());
    }

    @Test
    void shouldExtendTheInitialDelayWhileMembersKeepArriving()
    {
        final Joined a = harness.newMember("g");
        harness.advance(2_000);
        final Joined b = harness.newMember("g");
        harness.advance(1_500);
        assertThat(a.answer().get()).as("a new member extended the delay").isNull();
        harness.advance(INITIAL_DELAY_MS);
        assertThat(a.answer().get().generationId()).isEqualTo(1);
        assertThat(b.answer().get().generationId()).isEqualTo(1);
        assertThat(a.answer().get().members()).hasSize(2);
        assertThat(b.answer().get().members()).as("only the leader gets the members").isEmpty();
    }

    @Test
    void shouldSelectTheProtocolEveryMemberSupportsThatMostPrefer()
    {
        final AtomicReference<JoinGroupResponseData> a =
            harness.join(joinRequest("g", "", null, "cooperative-sticky", "range"), 3);
        final AtomicReference<JoinGroupResponseData> b = harness.join(joinRequest("g", "", null, "range", "roundrobin"), 3);
        final AtomicReference<JoinGroupResponseData> c =
            harness.join(joinRequest("g", "", null, "range", "cooperative-sticky"), 3);
        harness.advance(REBALANCE_MS);
        assertThat(a.get().protocolName()).isEqualTo("range");
        assertThat(b.get().protocolName()).isEqualTo("range");
        assertThat(c.get().protocolName()).isEqualTo("range");
    }

    @Test
    void shouldRefuseAMemberWithNoProtocolInCommon()
    {
        harness.stableGroup("g", 1);
        final AtomicReference<JoinGroupResponseData> other = harness.join(joinRequest("g", "", null, "roundrobin"), 5);
        assertThat(other.get().errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
    }

    @Test
    void shouldRefuseSessionTimeoutsOutsideTheBrokerBounds()
    {
        final JoinGroupRequestData tooShort = joinRequest("g", "", null, "range").setSessionTimeoutMs(5_999);
        final JoinGroupRequestData tooLong = joinRequest("g", "", null, "range").setSessionTimeoutMs(1_800_001);
        assertThat(harness.join(tooShort, 5).get().errorCode()).isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code());
        assertThat(harness.join(tooLong, 5).get().errorCode()).isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code());
        assertThat(harness.join(joinRequest("", "", null, "range"), 5).get().errorCode())
            .isEqualTo(Errors.INVALID_GROUP_ID.code());
        assertThat(harness.coordinator.group("g")).isNull();
    }

    @Test
    void shouldHandTheLeadersAssignmentToEveryMemberOnceStored()
    {
        final Joined a = harness.newMember("g");
        final Joined b = harness.newMember("g");
        final String leader = harness.awaitJoin(a.answer()).leader();
        final String follower = leader.equals(a.memberId()) ? b.memberId() : a.memberId();

        final AtomicReference<SyncGroupResponseData> followerSync = harness.sync("g", follower, 1, Map.of());
        assertThat(followerSync.get()).as("the follower waits for the leader").isNull();
        harness.log.hold = true;
        final AtomicReference<SyncGroupResponseData> leaderSync = harness.sync("g", leader, 1, Map.of(
            leader, new byte[] {1}, follower, new byte[] {2}));
        assertThat(leaderSync.get()).as("answered only once the assignment is stored").isNull();

        harness.log.release();
        assertThat(leaderSync.get().assignment()).containsExactly(1);
        assertThat(followerSync.get().assignment()).containsExactly(2);
        assertThat(followerSync.get().protocolName()).isEqualTo("range");
        assertThat(harness.coordinator.group("g").state()).isEqualTo(GroupState.STABLE);
        assertThat(harness.log.records).hasSize(1);

        assertThat(harness.sync("g", follower, 1, Map.of()).get().assignment()).as("stable: current assignment")
            .containsExactly(2);
    }

    @Test
    void shouldCheckMemberGenerationAndProtocolOnSync()
    {
        final List<String> members = harness.stableGroup("g", 2);
        assertThat(harness.sync("g", "nobody", 1, Map.of()).get().errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(harness.sync("g", members.get(1), 7, Map.of()).get().errorCode())
            .isEqualTo(Errors.ILLEGAL_GENERATION.code());
        final AtomicReference<SyncGroupResponseData> wrongProtocol = new AtomicReference<>();
        harness.coordinator.syncGroup(new org.apache.kafka.common.message.SyncGroupRequestData()
            .setGroupId("g").setMemberId(members.get(1)).setGenerationId(1).setProtocolType("connect"), wrongProtocol::set);
        assertThat(wrongProtocol.get().errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
    }

    @Test
    void shouldAnswerHeartbeatsWithKafkasErrors()
    {
        final List<String> members = harness.stableGroup("g", 1);
        final String member = members.get(0);
        assertThat(harness.heartbeat("g", member, null, 1)).isEqualTo(Errors.NONE);
        assertThat(harness.heartbeat("g", "nobody", null, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(harness.heartbeat("g", member, null, 0)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(harness.heartbeat("other", member, null, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        harness.newMember("g");
        assertThat(harness.heartbeat("g", member, null, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void shouldBeginANewGenerationWhenAMemberJoinsAStableGroup()
    {
        final String first = harness.stableGroup("g", 1).get(0);
        final Joined second = harness.newMember("g");
        assertThat(harness.coordinator.group("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(harness.heartbeat("g", first, null, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        final AtomicReference<JoinGroupResponseData> rejoin = harness.join(joinRequest("g", first, null, "range"), 5);
        assertThat(rejoin.get().generationId()).as("everyone rejoined: no waiting for the timeout").isEqualTo(2);
        assertThat(second.answer().get().generationId()).isEqualTo(2);
        assertThat(rejoin.get().leader()).isEqualTo(first);
        assertThat(rejoin.get().members()).hasSize(2);
    }

    @Test
    void shouldRemoveAMemberWhoseSessionExpiresAndRebalance()
    {
        final List<String> members = harness.stableGroup("g", 2);
        final String alive = members.get(0);
        final String silent = members.get(1);
        for (int i = 0; i < 4; i++)
        {
            harness.advance(SESSION_MS / 3);
            assertThat(harness.heartbeat("g", alive, null, 1)).isIn(Errors.NONE, Errors.REBALANCE_IN_PROGRESS);
        }
        assertThat(harness.coordinator.group("g").hasMember(silent)).isFalse();
        assertThat(harness.coordinator.group("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);

        final AtomicReference<JoinGroupResponseData> rejoin = harness.join(joinRequest("g", alive, null, "range"), 5);
        assertThat(rejoin.get().generationId()).isEqualTo(2);
        assertThat(rejoin.get().members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
            .containsExactly(alive);
    }

    @Test
    void shouldDropDynamicMembersThatDoNotRejoinWithinTheRebalanceTimeout()
    {
        final List<String> members = harness.stableGroup("g", 2);
        final String leader = members.get(0);
        final String lagging = members.get(1);
        final AtomicReference<JoinGroupResponseData> rejoin = harness.join(joinRequest("g", leader, null, "range"), 5);
        for (int elapsed = 0; elapsed < REBALANCE_MS - 2_000; elapsed += 2_000)
        {
            harness.advance(2_000);
            assertThat(harness.heartbeat("g", lagging, null, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
            assertThat(harness.heartbeat("g", leader, null, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        }
        assertThat(rejoin.get()).isNull();
        harness.advance(2_001);
        assertThat(rejoin.get().generationId()).isEqualTo(2);
        assertThat(rejoin.get().members()).hasSize(1);
        assertThat(harness.heartbeat("g", lagging, null, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldRebalanceWithoutMembersThatNeverSync()
    {
        final Joined a = harness.newMember("g");
        final Joined b = harness.newMember("g");
        final String leader = harness.awaitJoin(a.answer()).leader();
        final String follower = leader.equals(a.memberId()) ? b.memberId() : a.memberId();
        harness.sync("g", leader, 1, Map.of());
        assertThat(harness.coordinator.group("g").state()).isEqualTo(GroupState.STABLE);
        for (int elapsed = 0; elapsed < REBALANCE_MS - 5_000; elapsed += 5_000)
        {
            harness.advance(5_000);
            assertThat(harness.heartbeat("g", follower, null, 1)).as("alive, but never synced").isEqualTo(Errors.NONE);
            harness.heartbeat("g", leader, null, 1);
        }
        harness.advance(5_001);
        assertThat(harness.coordinator.group("g").hasMember(follower)).isFalse();
        assertThat(harness.coordinator.group("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);
    }

    @Test
    void shouldExpireAPendingMemberThatNeverCompletesItsJoin()
    {
        final JoinGroupResponseData required = harness.join(joinRequest("g", "", null, "range"), 5).get();
        assertThat(harness.coordinator.group("g").isPendingMember(required.memberId())).isTrue();
        harness.advance(SESSION_MS + 1);
        assertThat(harness.coordinator.group("g").isPendingMember(required.memberId())).isFalse();
        assertThat(harness.join(joinRequest("g", required.memberId(), null, "range"), 5).get().errorCode())
            .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void shouldLeaveInABatchAndEmptyTheGroupAtTheNextGeneration()
    {
        final List<String> members = harness.stableGroup("g", 2);
        final LeaveGroupResponseData left = harness.coordinator.leaveGroup(new LeaveGroupRequestData()
            .setGroupId("g")
            .setMembers(List.of(
                new MemberIdentity().setMemberId(members.get(0)),
                new MemberIdentity().setMemberId("stranger"),
                new MemberIdentity().setMemberId(members.get(1)))));
        assertThat(left.errorCode()).isZero();
        assertThat(left.members()).extracting(LeaveGroupResponseData.MemberResponse::errorCode)
            .containsExactly((short)0, Errors.UNKNOWN_MEMBER_ID.code(), (short)0);
        final ClassicGroup group = harness.coordinator.group("g");
        assertThat(group.state()).isEqualTo(GroupState.EMPTY);
        assertThat(group.generationId()).isEqualTo(2);
        assertThat(harness.log.records).as("assignment, then the empty group").hasSize(2);
        assertThat(harness.coordinator.leaveGroup(new LeaveGroupRequestData().setGroupId("unknown")
            .setMembers(List.of(new MemberIdentity().setMemberId("x")))).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
    }

    @Test
    void shouldLetAStaticMemberRejoinWithoutARebalanceAndFenceItsOldId()
    {
        final AtomicReference<JoinGroupResponseData> joined = harness.join(joinRequest("g", "", "instance-1", "range"), 9);
        harness.advance(INITIAL_DELAY_MS + 1);
        final String oldId = joined.get().memberId();
        assertThat(oldId).startsWith("instance-1-");
        harness.sync("g", oldId, 1, Map.of(oldId, new byte[] {7}));
        final int recordsBefore = harness.log.records.size();

        final AtomicReference<JoinGroupResponseData> restarted = harness.join(joinRequest("g", "", "instance-1", "range"), 9);
        final JoinGroupResponseData again = restarted.get();
        assertThat(again.errorCode()).isZero();
        assertThat(again.memberId()).isNotEqualTo(oldId).startsWith("instance-1-");
        assertThat(again.generationId()).as("no new generation").isEqualTo(1);
        assertThat(again.skipAssignment()).as("the leader keeps the assignment").isTrue();
        assertThat(harness.coordinator.group("g").state()).isEqualTo(GroupState.STABLE);
        assertThat(harness.log.records).as("the new member id is stored").hasSize(recordsBefore + 1);

        assertThat(harness.heartbeat("g", oldId, "instance-1", 1)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(harness.heartbeat("g", again.memberId(), "instance-1", 1)).isEqualTo(Errors.NONE);
        assertThat(harness.sync("g", again.memberId(), 1, Map.of()).get().assignment()).as("assignment kept")
            .containsExactly(7);
    }

    @Test
    void shouldKeepStaticMembersThroughARebalanceTheyMiss()
    {
        final AtomicReference<JoinGroupResponseData> s1 = harness.join(joinRequest("g", "", "instance-1", "range"), 5);
        final AtomicReference<JoinGroupResponseData> s2 = harness.join(joinRequest("g", "", "instance-2", "range"), 5);
        final String leader = harness.awaitJoin(s1).leader();
        final String other = leader.equals(s1.get().memberId()) ? s2.get().memberId() : s1.get().memberId();
        final String otherInstance = leader.equals(s1.get().memberId()) ? "instance-2" : "instance-1";
        harness.sync("g", other, 1, Map.of());
        harness.sync("g", leader, 1, Map.of());
        final AtomicReference<JoinGroupResponseData> rejoin = harness.join(joinRequest("g", leader, null, "range"), 5);
        for (int elapsed = 0; elapsed <= REBALANCE_MS; elapsed += 5_000)
        {
            harness.heartbeat("g", other, otherInstance, 1);
            harness.advance(5_000);
        }
        assertThat(rejoin.get().generationId()).isEqualTo(2);
        assertThat(rejoin.get().members()).as("a static member stays while its session lasts").hasSize(2);
    }

    @Test
    void shouldRevertTheStaticMemberWhenItsNewIdCannotBeStored()
    {
        final AtomicReference<JoinGroupResponseData> joined = harness.join(joinRequest("g", "", "instance-1", "range"), 5);
        harness.advance(INITIAL_DELAY_MS + 1);
        final String oldId = joined.get().memberId();
        harness.sync("g", oldId, 1, Map.of());
        harness.log.failWith = Errors.KAFKA_STORAGE_ERROR.code();
        final JoinGroupResponseData failed = harness.join(joinRequest("g", "", "instance-1", "range"), 5).get();
        assertThat(failed.errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        harness.log.failWith = 0;
        assertThat(harness.heartbeat("g", oldId, "instance-1", 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void shouldRefuseMembersBeyondTheGroupMaxSize()
    {
        final CoordinatorHarness small = new CoordinatorHarness(new GroupCoordinatorContext().maxGroupSize(1).conclude());
        small.stableGroup("g", 1);
        final JoinGroupResponseData refused = small.join(joinRequest("g", "", null, "range"), 3).get();
        assertThat(refused.errorCode()).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code());
    }

    @Test
    void shouldAnswerLoadInProgressUntilThePartitionIsLoaded()
    {
        final GroupCoordinator loading = new GroupCoordinator(
            new GroupCoordinatorContext(), harness.clock, harness.log, () -> { });
        loading.onTopicReady(1);
        final AtomicReference<JoinGroupResponseData> answer = new AtomicReference<>();
        loading.joinGroup(new GroupRequestContext((short)5, "c", "/h"), joinRequest("g", "", null, "range"), answer::set);
        assertThat(answer.get().errorCode()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
        loading.onPartitionLoaded(0);
        loading.joinGroup(new GroupRequestContext((short)5, "c", "/h"), joinRequest("g", "", null, "range"), answer::set);
        assertThat(answer.get().errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
    }
}
