package io.sluice.broker.group;

import io.sluice.broker.BrokerLog;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Static membership (KIP-345): a member with a {@code group.instance.id} the group knows, joining without a member
 * id because it restarted, takes over its old member id's place. The old id is fenced at once; in a Stable group
 * whose protocol would not change the new id is stored and the member carries on with its assignment, no
 * rebalance (as Kafka does); otherwise the group rebalances.
 *
 * <p>Single-threaded: runs on the coordinator thread.
 */
final class StaticMemberRejoin
{
    private static final int SKIP_ASSIGNMENT_MIN_VERSION = 9;

    private final RebalanceConductor rebalance;

    StaticMemberRejoin(final RebalanceConductor rebalance)
    {
        this.rebalance = rebalance;
    }

    /**
     * A known static member joins without its member id (it restarted): it takes over the old member's place.
     * In a stable group whose protocol would not change, that is all: no rebalance, the member keeps its
     * assignment, once the new member id is stored.
     */
    void rejoin(
        final GroupRequestContext request,
        final JoinGroupRequestData data,
        final ClassicGroup group,
        final GroupMember old,
        final String newMemberId,
        final Consumer<JoinGroupResponseData> respond)
    {
        final String oldMemberId = old.memberId();
        final String leaderBefore = group.leaderId();
        // A duplicate instance still waiting on the old id is fenced at once.
        group.completeJoin(old, new JoinGroupResponseData()
            .setMemberId(oldMemberId)
            .setLeader("")
            .setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        old.completeSync(new SyncGroupResponseData()
            .setAssignment(GroupMember.EMPTY_BYTES)
            .setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        rebalance.stopSession(old);
        final GroupMember member = group.replaceStatic(old, newMemberId, rebalance.sessionExpiry(group, newMemberId));
        rebalance.rescheduleSession(member);
        final List<JoinGroupRequestProtocol> oldProtocols = member.protocols();
        final int oldRebalanceTimeoutMs = member.rebalanceTimeoutMs();
        final int oldSessionTimeoutMs = member.sessionTimeoutMs();
        group.update(member, GroupMember.protocolList(data.protocols()), data.rebalanceTimeoutMs(),
            data.sessionTimeoutMs(), respond);

        switch (group.state())
        {
            case STABLE ->
            {
                if (!group.selectProtocol().equals(group.protocolName()))
                {
                    rebalance.maybePrepareRebalanceOrCompleteJoin(group,
                        "static member " + member + " rejoins with another protocol");
                    return;
                }
                BrokerLog.info("static member " + member + " of group " + group.groupId() +
                    " rejoins without a rebalance");
                final Map<String, byte[]> assignment = new HashMap<>();
                for (final GroupMember each : group.members())
                {
                    assignment.put(each.memberId(), each.assignment());
                }
                rebalance.log().append(group.groupId(), List.of(CoordinatorRecordEncoder.groupMetadata(group, assignment)),
                    error -> onStaticMemberStored(request, group, member, oldMemberId, leaderBefore, error,
                        oldProtocols, oldRebalanceTimeoutMs, oldSessionTimeoutMs));
            }
            case COMPLETING_REBALANCE ->
                // The leader may already be assigning to the old member id: only a new rebalance is consistent.
                rebalance.prepareRebalance(group, "static member " + member + " rejoins during the sync phase");
            default -> rebalance.maybeCompleteJoinPhase(group);
        }
    }

    private void onStaticMemberStored(
        final GroupRequestContext request,
        final ClassicGroup group,
        final GroupMember member,
        final String oldMemberId,
        final String leaderBefore,
        final int error,
        final List<JoinGroupRequestProtocol> oldProtocols,
        final int oldRebalanceTimeoutMs,
        final int oldSessionTimeoutMs)
    {
        if (!member.isAwaitingJoin() || group.member(member.memberId()) != member)
        {
            return;
        }
        if (error != Errors.NONE.code())
        {
            BrokerLog.warn("cannot store the new member id of static member " + member + " of group " +
                group.groupId() + ": " + Errors.forCode((short)error) + "; keeping " + oldMemberId);
            group.completeJoin(member, new JoinGroupResponseData()
                .setMemberId(MembershipRequests.UNKNOWN_MEMBER_ID)
                .setGenerationId(group.generationId())
                .setProtocolName(group.protocolName())
                .setProtocolType(group.protocolType())
                .setLeader(leaderBefore == null ? "" : leaderBefore)
                .setErrorCode(RebalanceConductor.writeError(error).code()));
            group.update(member, oldProtocols, oldRebalanceTimeoutMs, oldSessionTimeoutMs, null);
            rebalance.stopSession(member);
            final GroupMember restored = group.replaceStatic(member, oldMemberId, rebalance.sessionExpiry(group, oldMemberId));
            rebalance.rescheduleSession(restored);
            return;
        }
        final boolean isLeader = group.isLeader(member.memberId());
        if (request.apiVersion() >= SKIP_ASSIGNMENT_MIN_VERSION)
        {
            // The leader learns it leads but need not assign again: the group keeps its assignment.
            group.completeJoin(member, RebalanceConductor.joinResponse(group, member.memberId(), isLeader)
                .setSkipAssignment(isLeader));
        }
        else
        {
            // Older clients would reassign if told they lead: name the old leader instead.
            group.completeJoin(member, RebalanceConductor.joinResponse(group, member.memberId(), false)
                .setLeader(leaderBefore == null ? "" : leaderBefore));
        }
    }
}
