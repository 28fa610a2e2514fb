package io.sluice.broker.group;

import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A group under the classic protocol: its state, generation, selected protocol, leader and members, with the
 * bookkeeping Kafka's coordinator keeps for a rebalance (members not yet rejoined, members yet to sync, the
 * protocols every member supports). Pure state: the rules that move it live in {@link RebalanceConductor}.
 *
 * <p>Single-threaded: used only on the coordinator thread.
 */
final class ClassicGroup
{
    /** What Kafka's consumers put in {@code protocol_type}. */
    static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private final String groupId;
    private final Map<String, GroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Map<String, Deadline> pendingJoinMembers = new HashMap<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private final GroupProtocols protocols = new GroupProtocols();
    private final Deadline joinDeadline;
    private final Deadline syncDeadline;
    private GroupState state;
    private GroupState previousState;
    private long stateTimestampMs;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private int awaitingJoinCount;
    private boolean newMemberAdded;
    private boolean initialJoinDelay;
    private int initialDelayMs;
    private int initialRemainingMs;
    private int syncGenerationId;
    private Set<String> subscribedTopics;

    /**
     * @param onJoinDeadline runs when the join phase's deadline passes (rebalance timeout or initial delay).
     * @param onSyncDeadline runs when members have not sent SyncGroup within the rebalance timeout.
     */
    ClassicGroup(
        final String groupId,
        final GroupState state,
        final long nowMs,
        final Consumer<ClassicGroup> onJoinDeadline,
        final Consumer<ClassicGroup> onSyncDeadline)
    {
        this.groupId = groupId;
        this.state = state;
        this.previousState = state;
        this.stateTimestampMs = nowMs;
        this.joinDeadline = new Deadline(() -> onJoinDeadline.accept(this));
        this.syncDeadline = new Deadline(() -> onSyncDeadline.accept(this));
    }

    String groupId()
    {
        return groupId;
    }

    GroupState state()
    {
        return state;
    }

    GroupState previousState()
    {
        return previousState;
    }

    boolean is(final GroupState expected)
    {
        return state == expected;
    }

    long stateTimestampMs()
    {
        return stateTimestampMs;
    }

    void transitionTo(final GroupState next, final long nowMs)
    {
        if (!next.canFollow(state))
        {
            throw new IllegalStateException("group " + groupId + " cannot move from " + state + " to " + next);
        }
        previousState = state;
        state = next;
        stateTimestampMs = nowMs;
    }

    /** Leave DEAD after a failed deletion: the group is as it was, empty. */
    void revive(final long nowMs)
    {
        previousState = state;
        state = GroupState.EMPTY;
        stateTimestampMs = nowMs;
    }

    int generationId()
    {
        return generationId;
    }

    /** The group's protocol type, or null for a group that only has committed offsets. */
    String protocolType()
    {
        return protocolType;
    }

    /** The protocol selected for the current generation, or null. */
    String protocolName()
    {
        return protocolName;
    }

    String leaderId()
    {
        return leaderId;
    }

    boolean isLeader(final String memberId)
    {
        return memberId.equals(leaderId);
    }

    Deadline joinDeadline()
    {
        return joinDeadline;
    }

    Deadline syncDeadline()
    {
        return syncDeadline;
    }

    boolean newMemberAdded()
    {
        return newMemberAdded;
    }

    void newMemberAdded(final boolean added)
    {
        newMemberAdded = added;
    }

    /** The join deadline now pending is the initial rebalance delay, which may be extended by new members. */
    boolean isInitialJoinDelay()
    {
        return initialJoinDelay;
    }

    /** The join deadline now pending waits for the rebalance timeout, or (initial) the delay and what remains. */
    void joinDelay(final boolean initial, final int delayMs, final int remainingMs)
    {
        initialJoinDelay = initial;
        initialDelayMs = delayMs;
        initialRemainingMs = remainingMs;
    }

    int initialDelayMs()
    {
        return initialDelayMs;
    }

    int initialRemainingMs()
    {
        return initialRemainingMs;
    }

    /** The generation the pending sync deadline was set for. */
    int syncGenerationId()
    {
        return syncGenerationId;
    }

    void syncGenerationId(final int generationId)
    {
        syncGenerationId = generationId;
    }

    /** State restored from the offsets topic. */
    void restore(final int generationId, final String protocolType, final String protocolName, final String leaderId,
        final long stateTimestampMs)
    {
        this.generationId = generationId;
        this.protocolType = protocolType;
        this.protocolName = protocolName;
        this.leaderId = leaderId;
        this.stateTimestampMs = stateTimestampMs;
    }

    // ---- members ----

    boolean hasMember(final String memberId)
    {
        return members.containsKey(memberId);
    }

    GroupMember member(final String memberId)
    {
        return members.get(memberId);
    }

    Collection<GroupMember> members()
    {
        return members.values();
    }

    int memberCount()
    {
        return members.size();
    }

    boolean isEmptyOfMembers()
    {
        return members.isEmpty();
    }

    /** Add {@code member}, parked on {@code responder} (null: not waiting for a JoinGroup answer). */
    void add(final GroupMember member, final Consumer<JoinGroupResponseData> responder)
    {
        if (member.isStatic())
        {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (members.isEmpty())
        {
            protocolType = member.protocolType();
        }
        if (leaderId == null)
        {
            leaderId = member.memberId();
        }
        members.put(member.memberId(), member);
        protocols.add(member);
        member.awaitJoin(responder);
        if (responder != null)
        {
            awaitingJoinCount++;
        }
        pendingJoinMembers.remove(member.memberId());
    }

    /** Remove a member (or a pending one); a new leader is the first remaining member. */
    void remove(final String memberId)
    {
        final GroupMember removed = members.remove(memberId);
        if (removed != null)
        {
            protocols.remove(removed);
            if (removed.isAwaitingJoin())
            {
                awaitingJoinCount--;
            }
            if (removed.isStatic())
            {
                staticMembers.remove(removed.groupInstanceId());
            }
        }
        if (isLeader(memberId))
        {
            final Iterator<String> remaining = members.keySet().iterator();
            leaderId = remaining.hasNext() ? remaining.next() : null;
        }
        pendingJoinMembers.remove(memberId);
        pendingSyncMembers.remove(memberId);
    }

    /** Change a member's protocols and timeouts; {@code responder} parks it in the join (or unparks it, if null). */
    void update(
        final GroupMember member,
        final List<JoinGroupRequestProtocol> protocols,
        final int rebalanceTimeoutMs,
        final int sessionTimeoutMs,
        final Consumer<JoinGroupResponseData> responder)
    {
        this.protocols.remove(member);
        member.update(protocols, rebalanceTimeoutMs, sessionTimeoutMs);
        this.protocols.add(member);
        if (responder != null && !member.isAwaitingJoin())
        {
            awaitingJoinCount++;
        }
        else if (responder == null && member.isAwaitingJoin())
        {
            awaitingJoinCount--;
        }
        member.awaitJoin(responder);
    }

    /** Answer a member's parked JoinGroup, keeping the count of parked members right. */
    boolean completeJoin(final GroupMember member, final JoinGroupResponseData response)
    {
        if (member.isAwaitingJoin())
        {
            awaitingJoinCount--;
        }
        return member.completeJoin(response);
    }

    /**
     * A static member rejoined without its member id: the new id takes the old one's place, keeping its
     * subscription, timeouts and assignment.
     */
    GroupMember replaceStatic(final GroupMember old, final String newMemberId, final Runnable onSessionExpiry)
    {
        members.remove(old.memberId());
        if (old.isAwaitingJoin())
        {
            awaitingJoinCount--;
        }
        final GroupMember replacement = new GroupMember(
            newMemberId, old.groupInstanceId(), old.clientId(), old.clientHost(), old.rebalanceTimeoutMs(),
            old.sessionTimeoutMs(), old.protocolType(), old.protocols(), onSessionExpiry);
        replacement.assignment(old.assignment());
        members.put(newMemberId, replacement);
        if (isLeader(old.memberId()))
        {
            leaderId = newMemberId;
        }
        staticMembers.put(old.groupInstanceId(), newMemberId);
        pendingSyncMembers.remove(old.memberId());
        return replacement;
    }

    /** The member id that {@code groupInstanceId} currently maps to, or null. */
    String staticMemberId(final String groupInstanceId)
    {
        return staticMembers.get(groupInstanceId);
    }

    int staticMemberCount()
    {
        return staticMembers.size();
    }

    // ---- join phase ----

    boolean isPendingMember(final String memberId)
    {
        return pendingJoinMembers.containsKey(memberId);
    }

    /** A member id handed out with MEMBER_ID_REQUIRED, not yet joined; its deadline expires it. */
    void addPending(final String memberId, final Deadline deadline)
    {
        pendingJoinMembers.put(memberId, deadline);
    }

    Deadline pendingDeadline(final String memberId)
    {
        return pendingJoinMembers.get(memberId);
    }

    int pendingJoinCount()
    {
        return pendingJoinMembers.size();
    }

    int awaitingJoinCount()
    {
        return awaitingJoinCount;
    }

    boolean hasAllMembersJoined()
    {
        return members.size() == awaitingJoinCount && pendingJoinMembers.isEmpty();
    }

    /** Members that have not rejoined in this join phase. */
    List<GroupMember> notYetRejoined()
    {
        final List<GroupMember> absent = new ArrayList<>();
        for (final GroupMember member : members.values())
        {
            if (!member.isAwaitingJoin())
            {
                absent.add(member);
            }
        }
        return absent;
    }

    /**
     * Keep the leader if it rejoined, else make the first member that did the leader.
     *
     * @return false when no member has rejoined.
     */
    boolean maybeElectNewJoinedLeader()
    {
        if (leaderId == null)
        {
            return false;
        }
        final GroupMember leader = members.get(leaderId);
        if (leader != null && leader.isAwaitingJoin())
        {
            return true;
        }
        for (final GroupMember member : members.values())
        {
            if (member.isAwaitingJoin())
            {
                leaderId = member.memberId();
                return true;
            }
        }
        return false;
    }

    /** The largest rebalance timeout of the members: how long a join phase may wait. */
    int rebalanceTimeoutMs()
    {
        int max = 0;
        for (final GroupMember member : members.values())
        {
            max = Math.max(max, member.rebalanceTimeoutMs());
        }
        return max;
    }

    /** Next generation: select the protocol and go to CompletingRebalance, or to Empty without members. */
    void initNextGeneration(final long nowMs)
    {
        generationId++;
        if (!members.isEmpty())
        {
            protocolName = selectProtocol();
            subscribedTopics = computeSubscribedTopics();
            transitionTo(GroupState.COMPLETING_REBALANCE, nowMs);
        }
        else
        {
            protocolName = null;
            subscribedTopics = computeSubscribedTopics();
            transitionTo(GroupState.EMPTY, nowMs);
        }
        pendingSyncMembers.clear();
    }

    /** Every member with its metadata for the selected protocol: what the leader gets in its JoinGroup answer. */
    List<JoinGroupResponseMember> joinResponseMembers()
    {
        final List<JoinGroupResponseMember> list = new ArrayList<>(members.size());
        for (final GroupMember member : members.values())
        {
            list.add(new JoinGroupResponseMember()
                .setMemberId(member.memberId())
                .setGroupInstanceId(member.groupInstanceId())
                .setMetadata(member.metadata(protocolName)));
        }
        return list;
    }

    // ---- sync phase ----

    void addPendingSync(final String memberId)
    {
        pendingSyncMembers.add(memberId);
    }

    void removePendingSync(final String memberId)
    {
        pendingSyncMembers.remove(memberId);
    }

    boolean hasReceivedSyncFromAll()
    {
        return pendingSyncMembers.isEmpty();
    }

    List<String> pendingSyncMembers()
    {
        return new ArrayList<>(pendingSyncMembers);
    }

    void clearPendingSync()
    {
        pendingSyncMembers.clear();
    }

    // ---- protocols ----

    /**
     * Whether a member of {@code memberProtocolType} offering {@code protocols} may join: any non-empty offer
     * when the group is empty, else the group's type and at least one protocol every member supports.
     */
    boolean supportsProtocols(final String memberProtocolType, final List<JoinGroupRequestProtocol> protocols)
    {
        if (state == GroupState.EMPTY)
        {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !protocols.isEmpty();
        }
        if (protocolType == null || !protocolType.equals(memberProtocolType))
        {
            return false;
        }
        return this.protocols.anySupportedByAll(protocols, members.size());
    }

    /** The protocol every member supports that most members prefer (Kafka's vote). */
    String selectProtocol()
    {
        if (members.isEmpty())
        {
            throw new IllegalStateException("cannot select a protocol for empty group " + groupId);
        }
        return protocols.select(members.values());
    }

    // ---- topics ----

    boolean usesConsumerProtocol()
    {
        return CONSUMER_PROTOCOL_TYPE.equals(protocolType);
    }

    /**
     * Whether the group's consumers subscribe to {@code topic}. When that is unknown (the subscriptions do not
     * parse), a consumer group counts as subscribed and any other as not, as in Kafka.
     */
    boolean isSubscribedTo(final String topic)
    {
        return subscribedTopics != null ? subscribedTopics.contains(topic) : usesConsumerProtocol();
    }

    void refreshSubscribedTopics()
    {
        subscribedTopics = computeSubscribedTopics();
    }

    /** The topics the members subscribe to, or null when not a consumer group or a subscription does not parse. */
    private Set<String> computeSubscribedTopics()
    {
        if (!usesConsumerProtocol())
        {
            return null;
        }
        if (members.isEmpty())
        {
            return Set.of();
        }
        if (protocolName == null)
        {
            return null;
        }
        return GroupProtocols.subscribedTopics(members.values(), protocolName);
    }

    @Override
    public String toString()
    {
        return groupId + " (" + state + ", generation " + generationId + ", " + members.size() + " members)";
    }
}
