package io.sluice.broker.group;

import io.sluice.broker.BrokerLog;
import org.agrona.concurrent.EpochClock;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The classic protocol's rules, as Kafka's group coordinator applies them: who may join, when a rebalance begins
 * and completes, generations and leaders, the initial rebalance delay, static members taking over their old
 * member id, the sync phase and its timeout, and members removed when their session or the rebalance times out.
 * The request-facing checks live in {@link MembershipRequests}; this class moves groups between states.
 *
 * <p>Single-threaded: everything runs on the coordinator thread, including the deadlines it schedules.
 */
final class RebalanceConductor
{
    private final GroupCoordinatorContext context;
    private final DeadlineQueue deadlines;
    private final EpochClock clock;
    private final CoordinatorLog log;
    private final Map<String, ClassicGroup> groups = new HashMap<>();

    RebalanceConductor(
        final GroupCoordinatorContext context,
        final DeadlineQueue deadlines,
        final EpochClock clock,
        final CoordinatorLog log)
    {
        this.context = context;
        this.deadlines = deadlines;
        this.clock = clock;
        this.log = log;
    }

    GroupCoordinatorContext context()
    {
        return context;
    }

    CoordinatorLog log()
    {
        return log;
    }

    long nowMs()
    {
        return clock.time();
    }

    // ---- the groups ----

    ClassicGroup group(final String groupId)
    {
        return groups.get(groupId);
    }

    Collection<ClassicGroup> groups()
    {
        return groups.values();
    }

    ClassicGroup getOrCreate(final String groupId)
    {
        ClassicGroup group = groups.get(groupId);
        if (group == null)
        {
            group = new ClassicGroup(groupId, GroupState.EMPTY, nowMs(), this::onJoinDeadline, this::onSyncDeadline);
            groups.put(groupId, group);
        }
        return group;
    }

    /** Forget a group (deleted, or never more than a failed join), cancelling its deadlines. */
    void removeGroup(final ClassicGroup group)
    {
        if (groups.get(group.groupId()) == group)
        {
            groups.remove(group.groupId());
        }
        deadlines.cancel(group.joinDeadline());
        deadlines.cancel(group.syncDeadline());
        for (final GroupMember member : group.members())
        {
            deadlines.cancel(member.sessionDeadline());
        }
    }

    /**
     * Rebuild a group read back from {@code __consumer_offsets}. Its members' sessions start once the whole
     * partition is loaded ({@link #startRestoredSessions}), so that nothing expires and writes in the middle of a load.
     */
    void restore(final String groupId, final StoredGroup stored)
    {
        final ClassicGroup previous = groups.get(groupId);
        if (previous != null)
        {
            removeGroup(previous);
        }
        final ClassicGroup group = new ClassicGroup(
            groupId, stored.members().isEmpty() ? GroupState.EMPTY : GroupState.STABLE, nowMs(), this::onJoinDeadline,
            this::onSyncDeadline);
        for (final StoredGroup.Member storedMember : stored.members())
        {
            final GroupMember member = new GroupMember(
                storedMember.memberId(), storedMember.groupInstanceId(), storedMember.clientId(),
                storedMember.clientHost(), storedMember.rebalanceTimeoutMs(), storedMember.sessionTimeoutMs(),
                stored.protocolType(),
                List.of(new JoinGroupRequestProtocol().setName(stored.protocolName()).setMetadata(storedMember.subscription())),
                sessionExpiry(group, storedMember.memberId()));
            member.assignment(storedMember.assignment());
            group.add(member, null);
        }
        group.restore(stored.generationId(), stored.protocolType(), stored.protocolName(),
            stored.members().isEmpty() ? null : stored.leaderId(), stored.stateTimestampMs());
        group.refreshSubscribedTopics();
        groups.put(groupId, group);
    }

    /** Start the sessions of every restored member: they must heartbeat to the new coordinator in time. */
    void startRestoredSessions(final String groupId)
    {
        final ClassicGroup group = groups.get(groupId);
        if (group != null)
        {
            for (final GroupMember member : group.members())
            {
                rescheduleSession(member);
            }
        }
    }

    // ---- members ----

    Runnable sessionExpiry(final ClassicGroup group, final String memberId)
    {
        return () -> onSessionExpiry(group, memberId);
    }

    void rescheduleSession(final GroupMember member)
    {
        deadlines.schedule(member.sessionDeadline(), nowMs() + member.sessionTimeoutMs());
    }

    static String newMemberId(final String prefix)
    {
        return (prefix == null ? "" : prefix) + "-" + UUID.randomUUID();
    }

    /** Add a member from a JoinGroup and rebalance (or complete a join phase waiting for it). */
    void addMemberAndRebalance(
        final GroupRequestContext request,
        final JoinGroupRequestData data,
        final ClassicGroup group,
        final String memberId,
        final Consumer<JoinGroupResponseData> responder)
    {
        final GroupMember member = new GroupMember(
            memberId, data.groupInstanceId(), request.clientId(), request.clientHost(), data.rebalanceTimeoutMs(),
            data.sessionTimeoutMs(), data.protocolType(), GroupMember.protocolList(data.protocols()),
            sessionExpiry(group, memberId));
        member.isNew(true);
        if (group.is(GroupState.PREPARING_REBALANCE) && group.previousState() == GroupState.EMPTY)
        {
            group.newMemberAdded(true);
        }
        group.add(member, responder);
        // A new member cannot heartbeat while its join is parked, nor can a lost socket be noticed: bound the wait.
        deadlines.schedule(member.sessionDeadline(), nowMs() + GroupCoordinatorContext.NEW_MEMBER_JOIN_TIMEOUT_MS);
        maybePrepareRebalanceOrCompleteJoin(group, "adding member " + member);
    }

    /** A known member rejoins with (possibly) new protocols: park it and rebalance, or complete the join phase. */
    void updateMemberAndRebalance(
        final JoinGroupRequestData data,
        final ClassicGroup group,
        final GroupMember member,
        final String reason,
        final Consumer<JoinGroupResponseData> responder)
    {
        if (member.isAwaitingJoin())
        {
            // A second JoinGroup (from a new connection) supersedes the first; the first must not hang.
            group.completeJoin(member, new JoinGroupResponseData()
                .setMemberId(member.memberId())
                .setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
        }
        group.update(member, GroupMember.protocolList(data.protocols()), data.rebalanceTimeoutMs(),
            data.sessionTimeoutMs(), responder);
        maybePrepareRebalanceOrCompleteJoin(group, reason);
    }

    /**
     * Remove a member that left, timed out or was replaced: answer whatever it has parked so nothing hangs, stop
     * its session.
     */
    void evict(final ClassicGroup group, final GroupMember member)
    {
        deadlines.cancel(member.sessionDeadline());
        group.completeJoin(member, new JoinGroupResponseData()
            .setMemberId("")
            .setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        member.completeSync(new SyncGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        group.remove(member.memberId());
    }

    /** The member's session no longer runs (it is being replaced). */
    void stopSession(final GroupMember member)
    {
        deadlines.cancel(member.sessionDeadline());
    }

    /** Drop a member id handed out with MEMBER_ID_REQUIRED that never joined. */
    void removePending(final ClassicGroup group, final String memberId)
    {
        final Deadline deadline = group.pendingDeadline(memberId);
        if (deadline != null)
        {
            deadlines.cancel(deadline);
        }
        group.remove(memberId);
    }

    void addPending(final ClassicGroup group, final String memberId, final int sessionTimeoutMs)
    {
        final Deadline deadline = new Deadline(() -> onSessionExpiry(group, memberId));
        group.addPending(memberId, deadline);
        deadlines.schedule(deadline, nowMs() + sessionTimeoutMs);
    }

    // ---- rebalance ----

    void maybePrepareRebalanceOrCompleteJoin(final ClassicGroup group, final String reason)
    {
        if (GroupState.PREPARING_REBALANCE.canFollow(group.state()))
        {
            prepareRebalance(group, reason);
        }
        else
        {
            maybeCompleteJoinPhase(group);
        }
    }

    /** Complete the join phase if every member has rejoined, unless the initial delay is still collecting members. */
    void maybeCompleteJoinPhase(final ClassicGroup group)
    {
        if (group.is(GroupState.PREPARING_REBALANCE) && group.previousState() != GroupState.EMPTY &&
            group.hasAllMembersJoined())
        {
            completeJoin(group);
        }
    }

    void prepareRebalance(final ClassicGroup group, final String reason)
    {
        if (group.is(GroupState.COMPLETING_REBALANCE))
        {
            resetAndPropagateAssignment(group, Errors.REBALANCE_IN_PROGRESS);
        }
        group.clearPendingSync();
        deadlines.cancel(group.syncDeadline());

        final boolean initial = group.is(GroupState.EMPTY);
        if (initial)
        {
            final int delayMs = context.initialRebalanceDelayMs();
            final int remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
            group.joinDelay(true, delayMs, remainingMs);
            deadlines.schedule(group.joinDeadline(), nowMs() + delayMs);
        }
        group.transitionTo(GroupState.PREPARING_REBALANCE, nowMs());
        BrokerLog.info("preparing to rebalance group " + group.groupId() + " (generation " + group.generationId() +
            "): " + reason);
        if (!initial)
        {
            if (group.hasAllMembersJoined())
            {
                completeJoin(group);
            }
            else
            {
                scheduleJoinTimeout(group);
            }
        }
    }

    private void scheduleJoinTimeout(final ClassicGroup group)
    {
        group.joinDelay(false, 0, 0);
        deadlines.schedule(group.joinDeadline(), nowMs() + group.rebalanceTimeoutMs());
    }

    private void onJoinDeadline(final ClassicGroup group)
    {
        if (groups.get(group.groupId()) != group || !group.is(GroupState.PREPARING_REBALANCE))
        {
            return;
        }
        if (group.isInitialJoinDelay() && group.newMemberAdded() && group.initialRemainingMs() != 0)
        {
            // Members are still arriving: wait a little longer, up to the rebalance timeout in all.
            group.newMemberAdded(false);
            final int delayMs = Math.min(context.initialRebalanceDelayMs(), group.initialRemainingMs());
            final int remainingMs = Math.max(group.initialRemainingMs() - group.initialDelayMs(), 0);
            group.joinDelay(true, delayMs, remainingMs);
            deadlines.schedule(group.joinDeadline(), nowMs() + delayMs);
            return;
        }
        completeJoin(group);
    }

    /**
     * End the join phase: dynamic members that did not rejoin are removed, the next generation begins with the
     * protocol all members support, and every parked JoinGroup is answered (the leader's with all members).
     */
    void completeJoin(final ClassicGroup group)
    {
        deadlines.cancel(group.joinDeadline());
        for (final GroupMember absent : group.notYetRejoined())
        {
            if (!absent.isStatic())
            {
                evict(group, absent);
            }
        }
        if (group.is(GroupState.DEAD))
        {
            return;
        }
        if (!group.maybeElectNewJoinedLeader() && !group.isEmptyOfMembers())
        {
            // Only static members remain and none rejoined: wait for them or for their sessions to end.
            scheduleJoinTimeout(group);
            return;
        }
        group.initNextGeneration(nowMs());
        if (group.is(GroupState.EMPTY))
        {
            BrokerLog.info("group " + group.groupId() + " is empty at generation " + group.generationId());
            log.append(group.groupId(), List.of(CoordinatorRecordEncoder.groupMetadata(group, Map.of())), error ->
            {
                if (error != Errors.NONE.code())
                {
                    BrokerLog.warn("cannot store empty group " + group.groupId() + ": " + Errors.forCode((short)error));
                }
            });
            return;
        }
        BrokerLog.info("group " + group.groupId() + " generation " + group.generationId() + " has " +
            group.memberCount() + " members, protocol " + group.protocolName());
        for (final GroupMember member : group.members())
        {
            final JoinGroupResponseData response = joinResponse(group, member.memberId(), group.isLeader(member.memberId()));
            group.completeJoin(member, response);
            rescheduleSession(member);
            member.isNew(false);
            group.addPendingSync(member.memberId());
        }
        group.syncGenerationId(group.generationId());
        deadlines.schedule(group.syncDeadline(), nowMs() + group.rebalanceTimeoutMs());
    }

    /** The JoinGroup answer for the current generation; {@code withMembers} for the leader. */
    static JoinGroupResponseData joinResponse(final ClassicGroup group, final String memberId, final boolean withMembers)
    {
        return new JoinGroupResponseData()
            .setMembers(withMembers ? group.joinResponseMembers() : List.of())
            .setMemberId(memberId)
            .setGenerationId(group.generationId())
            .setProtocolName(group.protocolName())
            .setProtocolType(group.protocolType())
            .setLeader(group.leaderId() == null ? "" : group.leaderId())
            .setSkipAssignment(false)
            .setErrorCode(Errors.NONE.code());
    }

    private void onSyncDeadline(final ClassicGroup group)
    {
        if (groups.get(group.groupId()) != group || group.syncGenerationId() != group.generationId() ||
            !(group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE)) || group.hasReceivedSyncFromAll())
        {
            return;
        }
        final List<String> missing = group.pendingSyncMembers();
        for (final String memberId : missing)
        {
            final GroupMember member = group.member(memberId);
            if (member != null)
            {
                evict(group, member);
            }
        }
        prepareRebalance(group, "members " + missing + " sent no SyncGroup within the rebalance timeout");
    }

    /** The sync of {@code memberId} arrived: stop waiting for it, and for the sync phase when all have. */
    void removePendingSync(final ClassicGroup group, final String memberId)
    {
        group.removePendingSync(memberId);
        final GroupState state = group.state();
        if (state == GroupState.DEAD || state == GroupState.EMPTY || state == GroupState.PREPARING_REBALANCE ||
            group.hasReceivedSyncFromAll())
        {
            deadlines.cancel(group.syncDeadline());
        }
    }

    /** Clear every assignment and answer every parked SyncGroup with {@code error}. */
    void resetAndPropagateAssignment(final ClassicGroup group, final Errors error)
    {
        for (final GroupMember member : group.members())
        {
            member.assignment(GroupMember.EMPTY_BYTES);
        }
        propagateAssignment(group, error);
    }

    /** Give every member its part of the leader's assignment and answer every parked SyncGroup. */
    void setAndPropagateAssignment(final ClassicGroup group, final Map<String, byte[]> assignment)
    {
        for (final GroupMember member : group.members())
        {
            member.assignment(assignment.getOrDefault(member.memberId(), GroupMember.EMPTY_BYTES));
        }
        propagateAssignment(group, Errors.NONE);
    }

    private void propagateAssignment(final ClassicGroup group, final Errors error)
    {
        final boolean ok = error == Errors.NONE;
        for (final GroupMember member : group.members())
        {
            final boolean answered = member.completeSync(new SyncGroupResponseData()
                .setProtocolType(ok ? group.protocolType() : null)
                .setProtocolName(ok ? group.protocolName() : null)
                .setAssignment(member.assignment())
                .setErrorCode(error.code()));
            if (answered)
            {
                // The session may have lapsed while the member waited on the leader or the write; restart it.
                rescheduleSession(member);
            }
        }
    }

    private void onSessionExpiry(final ClassicGroup group, final String memberId)
    {
        if (groups.get(group.groupId()) != group || group.is(GroupState.DEAD))
        {
            return;
        }
        if (group.isPendingMember(memberId))
        {
            BrokerLog.info("pending member " + memberId + " of group " + group.groupId() + " never joined; removed");
            group.remove(memberId);
            if (group.is(GroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined())
            {
                completeJoin(group);
            }
            return;
        }
        final GroupMember member = group.member(memberId);
        if (member == null || member.hasSatisfiedHeartbeat())
        {
            return;
        }
        BrokerLog.info("member " + member + " of group " + group.groupId() + " failed its session; removed");
        evict(group, member);
        if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE))
        {
            maybePrepareRebalanceOrCompleteJoin(group, "member " + memberId + " failed its session");
        }
        else if (group.is(GroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined())
        {
            completeJoin(group);
        }
    }

    /** Kafka's mapping of a failed coordinator write to what the client should do about it. */
    static Errors writeError(final int code)
    {
        final Errors error = Errors.forCode((short)code);
        switch (error)
        {
            case UNKNOWN_TOPIC_OR_PARTITION:
            case NOT_ENOUGH_REPLICAS:
            case REQUEST_TIMED_OUT:
                return Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER:
            case KAFKA_STORAGE_ERROR:
                return Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE:
            case RECORD_LIST_TOO_LARGE:
            case INVALID_FETCH_SIZE:
                return Errors.UNKNOWN_SERVER_ERROR;
            default:
                return error;
        }
    }
}
