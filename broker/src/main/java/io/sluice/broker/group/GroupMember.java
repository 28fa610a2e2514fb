package io.sluice.broker.group;

import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One member of a classic group: who it is, the protocols it offers with their metadata (a consumer's
 * subscription), its timeouts, its current assignment, and the JoinGroup or SyncGroup answer it is waiting for.
 *
 * <p>Single-threaded: used only on the coordinator thread.
 */
final class GroupMember
{
    static final byte[] EMPTY_BYTES = new byte[0];

    private final String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private final String protocolType;
    private final Deadline sessionDeadline;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private List<JoinGroupRequestProtocol> protocols;
    private byte[] assignment = EMPTY_BYTES;
    private Consumer<JoinGroupResponseData> awaitingJoin;
    private Consumer<SyncGroupResponseData> awaitingSync;
    private boolean isNew;

    GroupMember(
        final String memberId,
        final String groupInstanceId,
        final String clientId,
        final String clientHost,
        final int rebalanceTimeoutMs,
        final int sessionTimeoutMs,
        final String protocolType,
        final List<JoinGroupRequestProtocol> protocols,
        final Runnable onSessionExpiry)
    {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = List.copyOf(protocols);
        this.sessionDeadline = new Deadline(onSessionExpiry);
    }

    /** The protocols of a JoinGroup request as an ordered list, the form members keep and compare. */
    static List<JoinGroupRequestProtocol> protocolList(final Iterable<JoinGroupRequestProtocol> protocols)
    {
        final List<JoinGroupRequestProtocol> list = new ArrayList<>();
        for (final JoinGroupRequestProtocol protocol : protocols)
        {
            list.add(new JoinGroupRequestProtocol().setName(protocol.name()).setMetadata(protocol.metadata()));
        }
        return list;
    }

    String memberId()
    {
        return memberId;
    }

    /** The static member's {@code group.instance.id}, or null for a dynamic member. */
    String groupInstanceId()
    {
        return groupInstanceId;
    }

    boolean isStatic()
    {
        return groupInstanceId != null;
    }

    String clientId()
    {
        return clientId;
    }

    String clientHost()
    {
        return clientHost;
    }

    String protocolType()
    {
        return protocolType;
    }

    int rebalanceTimeoutMs()
    {
        return rebalanceTimeoutMs;
    }

    int sessionTimeoutMs()
    {
        return sessionTimeoutMs;
    }

    List<JoinGroupRequestProtocol> protocols()
    {
        return protocols;
    }

    Deadline sessionDeadline()
    {
        return sessionDeadline;
    }

    void update(final List<JoinGroupRequestProtocol> protocols, final int rebalanceTimeoutMs, final int sessionTimeoutMs)
    {
        this.protocols = List.copyOf(protocols);
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    /** Same protocols, same metadata, same order: a rejoin that changes nothing. */
    boolean matches(final List<JoinGroupRequestProtocol> other)
    {
        return protocols.equals(other);
    }

    /** This member's metadata for {@code protocolName}, or an empty array when it does not offer it. */
    byte[] metadata(final String protocolName)
    {
        for (final JoinGroupRequestProtocol protocol : protocols)
        {
            if (protocol.name().equals(protocolName))
            {
                return protocol.metadata();
            }
        }
        return EMPTY_BYTES;
    }

    /** The member's preferred protocol among {@code candidates}: the first of its own list that is one. */
    String vote(final Set<String> candidates)
    {
        for (final JoinGroupRequestProtocol protocol : protocols)
        {
            if (candidates.contains(protocol.name()))
            {
                return protocol.name();
            }
        }
        throw new IllegalStateException("member " + memberId + " supports none of " + candidates);
    }

    byte[] assignment()
    {
        return assignment;
    }

    void assignment(final byte[] assignment)
    {
        this.assignment = assignment == null ? EMPTY_BYTES : assignment;
    }

    boolean isAwaitingJoin()
    {
        return awaitingJoin != null;
    }

    boolean isAwaitingSync()
    {
        return awaitingSync != null;
    }

    void awaitJoin(final Consumer<JoinGroupResponseData> responder)
    {
        awaitingJoin = responder;
    }

    void awaitSync(final Consumer<SyncGroupResponseData> responder)
    {
        awaitingSync = responder;
    }

    /** Answer the parked JoinGroup, if any; true when there was one. */
    boolean completeJoin(final JoinGroupResponseData response)
    {
        final Consumer<JoinGroupResponseData> responder = awaitingJoin;
        if (responder == null)
        {
            return false;
        }
        awaitingJoin = null;
        responder.accept(response);
        return true;
    }

    /** Answer the parked SyncGroup, if any; true when there was one. */
    boolean completeSync(final SyncGroupResponseData response)
    {
        final Consumer<SyncGroupResponseData> responder = awaitingSync;
        if (responder == null)
        {
            return false;
        }
        awaitingSync = null;
        responder.accept(response);
        return true;
    }

    /** A member that has not yet been through a completed join; its session does not protect it. */
    boolean isNew()
    {
        return isNew;
    }

    void isNew(final boolean isNew)
    {
        this.isNew = isNew;
    }

    /**
     * Whether an expired session should spare this member: one parked in a rebalance is waiting on the group,
     * not failing, unless it never completed a join (its socket may be gone, and it would rejoin anyway).
     */
    boolean hasSatisfiedHeartbeat()
    {
        return !isNew && (isAwaitingJoin() || isAwaitingSync());
    }

    DescribedGroupMember describe(final String protocolName)
    {
        return new DescribedGroupMember()
            .setMemberId(memberId)
            .setGroupInstanceId(groupInstanceId)
            .setClientId(clientId)
            .setClientHost(clientHost)
            .setMemberMetadata(protocolName == null ? EMPTY_BYTES : metadata(protocolName))
            .setMemberAssignment(protocolName == null ? EMPTY_BYTES : assignment);
    }

    @Override
    public String toString()
    {
        return memberId + (groupInstanceId != null ? " (instance " + groupInstanceId + ")" : "");
    }
}
