package io.sluice.broker.group;

import io.sluice.broker.BrokerLog;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * JoinGroup, SyncGroup, Heartbeat and LeaveGroup of the classic protocol: each request checked as Kafka checks it
 * (member ids, static instance ids, generations, protocol type and name) and turned into moves of the
 * {@link RebalanceConductor}. Answers may come later (a JoinGroup parks until the join phase completes, a
 * SyncGroup until the leader's assignment is stored) but come exactly once.
 *
 * <p>Single-threaded: runs on the coordinator thread.
 */
final class MembershipRequests
{
    /** The member id a client sends before it has one. */
    static final String UNKNOWN_MEMBER_ID = "";
    private static final int MEMBER_ID_REQUIRED_MIN_VERSION = 4;

    private final RebalanceConductor rebalance;
    private final StaticMemberRejoin staticRejoin;

    MembershipRequests(final RebalanceConductor rebalance)
    {
        this.rebalance = rebalance;
        this.staticRejoin = new StaticMemberRejoin(rebalance);
    }

    // ---- JoinGroup ----

    void join(
        final GroupRequestContext request, final JoinGroupRequestData data, final Consumer<JoinGroupResponseData> respond)
    {
        final String memberId = data.memberId();
        final boolean unknownMember = UNKNOWN_MEMBER_ID.equals(memberId);
        ClassicGroup group = rebalance.group(data.groupId());
        final boolean created = group == null;
        if (created)
        {
            if (!unknownMember)
            {
                respond.accept(joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
                return;
            }
            group = rebalance.getOrCreate(data.groupId());
        }

        if (!acceptsJoiningMember(group, memberId))
        {
            final GroupMember member = group.member(memberId);
            if (member != null)
            {
                rebalance.evict(group, member);
            }
            respond.accept(joinError(UNKNOWN_MEMBER_ID, Errors.GROUP_MAX_SIZE_REACHED));
        }
        else if (unknownMember)
        {
            joinNewMember(request, data, group, respond);
        }
        else
        {
            joinExistingMember(request, data, group, respond);
        }

        if (created && group.isEmptyOfMembers() && group.pendingJoinCount() == 0)
        {
            // A refused first join leaves nothing behind.
            rebalance.removeGroup(group);
        }
    }

    /** Kafka's group.max.size rule: existing members rejoin; new ones only while there is room. */
    private boolean acceptsJoiningMember(final ClassicGroup group, final String memberId)
    {
        final int max = rebalance.context().maxGroupSize();
        return switch (group.state())
        {
            case EMPTY, DEAD -> true;
            case PREPARING_REBALANCE -> (group.hasMember(memberId) && group.member(memberId).isAwaitingJoin()) ||
                group.awaitingJoinCount() < max;
            case COMPLETING_REBALANCE, STABLE -> group.hasMember(memberId) || group.memberCount() < max;
        };
    }

    private void joinNewMember(
        final GroupRequestContext request,
        final JoinGroupRequestData data,
        final ClassicGroup group,
        final Consumer<JoinGroupResponseData> respond)
    {
        final List<JoinGroupRequestProtocol> protocols = GroupMember.protocolList(data.protocols());
        if (group.is(GroupState.DEAD))
        {
            respond.accept(joinError(UNKNOWN_MEMBER_ID, Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(data.protocolType(), protocols))
        {
            respond.accept(joinError(UNKNOWN_MEMBER_ID, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        final String instanceId = data.groupInstanceId();
        final String newMemberId = RebalanceConductor.newMemberId(instanceId != null ? instanceId : request.clientId());
        if (instanceId != null)
        {
            final String existing = group.staticMemberId(instanceId);
            if (existing != null)
            {
                staticRejoin.rejoin(request, data, group, group.member(existing), newMemberId, respond);
            }
            else
            {
                rebalance.addMemberAndRebalance(request, data, group, newMemberId, respond);
            }
        }
        else if (request.apiVersion() >= MEMBER_ID_REQUIRED_MIN_VERSION)
        {
            rebalance.addPending(group, newMemberId, data.sessionTimeoutMs());
            respond.accept(joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
        }
        else
        {
            rebalance.addMemberAndRebalance(request, data, group, newMemberId, respond);
        }
    }

    private void joinExistingMember(
        final GroupRequestContext request,
        final JoinGroupRequestData data,
        final ClassicGroup group,
        final Consumer<JoinGroupResponseData> respond)
    {
        final String memberId = data.memberId();
        final List<JoinGroupRequestProtocol> protocols = GroupMember.protocolList(data.protocols());
        if (group.is(GroupState.DEAD))
        {
            respond.accept(joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(data.protocolType(), protocols))
        {
            respond.accept(joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        if (group.isPendingMember(memberId))
        {
            rebalance.removePending(group, memberId);
            rebalance.addMemberAndRebalance(request, data, group, memberId, respond);
            return;
        }
        final Errors invalid = validateMember(group, memberId, data.groupInstanceId());
        if (invalid != Errors.NONE)
        {
            respond.accept(joinError(memberId, invalid));
            return;
        }
        final GroupMember member = group.member(memberId);
        switch (group.state())
        {
            case PREPARING_REBALANCE ->
                rebalance.updateMemberAndRebalance(data, group, member, "member " + member + " rejoins", respond);
            case COMPLETING_REBALANCE ->
            {
                if (member.matches(protocols))
                {
                    // The member missed its JoinGroup answer: give it the current generation again.
                    respond.accept(RebalanceConductor.joinResponse(group, memberId, group.isLeader(memberId)));
                }
                else
                {
                    rebalance.updateMemberAndRebalance(
                        data, group, member, "member " + member + " changed its metadata", respond);
                }
            }
            case STABLE ->
            {
                if (group.isLeader(memberId) || !member.matches(protocols))
                {
                    // A leader rejoining asks for a new assignment (the topics may have changed).
                    rebalance.updateMemberAndRebalance(data, group, member,
                        group.isLeader(memberId) ? "leader " + member + " rejoins" : "member " + member +
                        " changed its metadata", respond);
                }
                else
                {
                    respond.accept(RebalanceConductor.joinResponse(group, memberId, false));
                }
            }
            default -> respond.accept(joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
    }

    // ---- SyncGroup ----

    void sync(final SyncGroupRequestData data, final Consumer<SyncGroupResponseData> respond)
    {
        final ClassicGroup group = rebalance.group(data.groupId());
        if (group == null || group.is(GroupState.EMPTY))
        {
            respond.accept(syncError(Errors.UNKNOWN_MEMBER_ID));
            return;
        }
        final Errors invalid = validateSync(group, data);
        if (invalid != Errors.NONE)
        {
            respond.accept(syncError(invalid));
            return;
        }
        final String memberId = data.memberId();
        final GroupMember member = group.member(memberId);
        switch (group.state())
        {
            case PREPARING_REBALANCE -> respond.accept(syncError(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE ->
            {
                member.completeSync(syncError(Errors.REBALANCE_IN_PROGRESS));
                member.awaitSync(respond);
                rebalance.removePendingSync(group, memberId);
                if (group.isLeader(memberId))
                {
                    storeAssignment(group, data);
                }
            }
            case STABLE ->
            {
                rebalance.removePendingSync(group, memberId);
                respond.accept(new SyncGroupResponseData()
                    .setProtocolType(group.protocolType())
                    .setProtocolName(group.protocolName())
                    .setAssignment(member.assignment())
                    .setErrorCode(Errors.NONE.code()));
            }
            default -> respond.accept(syncError(Errors.COORDINATOR_NOT_AVAILABLE));
        }
    }

    /** The leader's assignment: stored first, then handed to every member, and the group is stable. */
    private void storeAssignment(final ClassicGroup group, final SyncGroupRequestData data)
    {
        final Map<String, byte[]> assignment = new HashMap<>();
        for (final SyncGroupRequestAssignment each : data.assignments())
        {
            assignment.put(each.memberId(), each.assignment());
        }
        for (final GroupMember member : group.members())
        {
            assignment.putIfAbsent(member.memberId(), GroupMember.EMPTY_BYTES);
        }
        final int generationId = data.generationId();
        BrokerLog.info("group " + group.groupId() + " generation " + generationId + ": assignment from leader " +
            data.memberId() + " for " + group.memberCount() + " members (" + group.staticMemberCount() + " static)");
        rebalance.log().append(group.groupId(), List.of(CoordinatorRecordEncoder.groupMetadata(group, assignment)),
            error ->
            {
                // The group may have moved on while the write was in flight; then the members rejoin anyway.
                if (!group.is(GroupState.COMPLETING_REBALANCE) || group.generationId() != generationId ||
                    rebalance.group(group.groupId()) != group)
                {
                    return;
                }
                if (error != Errors.NONE.code())
                {
                    final Errors mapped = RebalanceConductor.writeError(error);
                    rebalance.resetAndPropagateAssignment(group, mapped);
                    rebalance.maybePrepareRebalanceOrCompleteJoin(group, "cannot store the assignment: " + mapped);
                    return;
                }
                rebalance.setAndPropagateAssignment(group, assignment);
                group.transitionTo(GroupState.STABLE, rebalance.nowMs());
            });
    }

    private Errors validateSync(final ClassicGroup group, final SyncGroupRequestData data)
    {
        if (group.is(GroupState.DEAD))
        {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        final Errors invalid = validateMember(group, data.memberId(), data.groupInstanceId());
        if (invalid != Errors.NONE)
        {
            return invalid;
        }
        if (data.generationId() != group.generationId())
        {
            return Errors.ILLEGAL_GENERATION;
        }
        if (inconsistent(data.protocolType(), group.protocolType()) || inconsistent(data.protocolName(), group.protocolName()))
        {
            return Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        return Errors.NONE;
    }

    private static boolean inconsistent(final String requested, final String actual)
    {
        return requested != null && actual != null && !actual.equals(requested);
    }

    // ---- Heartbeat ----

    HeartbeatResponseData heartbeat(final HeartbeatRequestData data)
    {
        final ClassicGroup group = rebalance.group(data.groupId());
        final Errors error;
        if (group == null)
        {
            error = Errors.UNKNOWN_MEMBER_ID;
        }
        else if (group.is(GroupState.DEAD))
        {
            error = Errors.COORDINATOR_NOT_AVAILABLE;
        }
        else
        {
            final Errors invalid = validateMember(group, data.memberId(), data.groupInstanceId());
            if (invalid != Errors.NONE)
            {
                error = invalid;
            }
            else if (data.generationId() != group.generationId())
            {
                error = Errors.ILLEGAL_GENERATION;
            }
            else if (group.is(GroupState.EMPTY))
            {
                error = Errors.UNKNOWN_MEMBER_ID;
            }
            else
            {
                rebalance.rescheduleSession(group.member(data.memberId()));
                error = group.is(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
            }
        }
        return new HeartbeatResponseData().setErrorCode(error.code());
    }

    // ---- LeaveGroup ----

    /** {@code data} in the batch form (v3+); older requests' single member id is converted by the caller. */
    LeaveGroupResponseData leave(final LeaveGroupRequestData data)
    {
        final ClassicGroup group = rebalance.group(data.groupId());
        if (group == null)
        {
            return new LeaveGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
        }
        if (group.is(GroupState.DEAD))
        {
            return new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        final List<MemberResponse> responses = new ArrayList<>();
        final List<String> left = new ArrayList<>();
        for (final LeaveGroupRequestData.MemberIdentity identity : data.members())
        {
            final String memberId = identity.memberId();
            final String instanceId = identity.groupInstanceId();
            Errors error = Errors.NONE;
            if (UNKNOWN_MEMBER_ID.equals(memberId))
            {
                // An admin removing a static member by its instance id alone.
                final String staticMemberId = instanceId == null ? null : group.staticMemberId(instanceId);
                if (staticMemberId != null)
                {
                    rebalance.evict(group, group.member(staticMemberId));
                    left.add(staticMemberId);
                }
                else
                {
                    error = Errors.UNKNOWN_MEMBER_ID;
                }
            }
            else if (group.isPendingMember(memberId))
            {
                rebalance.removePending(group, memberId);
                left.add(memberId);
            }
            else
            {
                error = validateMember(group, memberId, instanceId);
                if (error == Errors.NONE)
                {
                    rebalance.evict(group, group.member(memberId));
                    left.add(memberId);
                }
            }
            responses.add(new MemberResponse()
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setErrorCode(error.code()));
        }
        if (!left.isEmpty())
        {
            BrokerLog.info("members " + left + " left group " + group.groupId());
            switch (group.state())
            {
                case STABLE, COMPLETING_REBALANCE ->
                    rebalance.maybePrepareRebalanceOrCompleteJoin(group, "members " + left + " left");
                case PREPARING_REBALANCE -> rebalance.maybeCompleteJoinPhase(group);
                default ->
                {
                }
            }
        }
        return new LeaveGroupResponseData().setErrorCode(Errors.NONE.code()).setMembers(responses);
    }

    // ---- shared checks ----

    /**
     * Kafka's member check: a static instance id must map to this member id (else FENCED_INSTANCE_ID, or
     * UNKNOWN_MEMBER_ID when unknown), and the member must exist.
     */
    static Errors validateMember(final ClassicGroup group, final String memberId, final String groupInstanceId)
    {
        if (groupInstanceId != null)
        {
            final String existing = group.staticMemberId(groupInstanceId);
            if (existing == null)
            {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!existing.equals(memberId))
            {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        return group.hasMember(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    private static JoinGroupResponseData joinError(final String memberId, final Errors error)
    {
        return new JoinGroupResponseData()
            .setMemberId(memberId)
            .setLeader("")
            .setErrorCode(error.code());
    }

    private static SyncGroupResponseData syncError(final Errors error)
    {
        return new SyncGroupResponseData().setAssignment(GroupMember.EMPTY_BYTES).setErrorCode(error.code());
    }
}
