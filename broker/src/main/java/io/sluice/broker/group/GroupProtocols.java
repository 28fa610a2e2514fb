package io.sluice.broker.group;

import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The protocols a group's members offer, counted so that Kafka's rules are cheap: a member may join only with a
 * protocol every member supports, and the group's protocol is the supported one most members list first. Also
 * reads the topics consumers subscribe to from their consumer-protocol metadata.
 *
 * <p>Single-threaded: used only on the coordinator thread.
 */
final class GroupProtocols
{
    private final Map<String, Integer> supporters = new HashMap<>();

    void add(final GroupMember member)
    {
        count(member, 1);
    }

    void remove(final GroupMember member)
    {
        count(member, -1);
    }

    /** Whether at least one of {@code protocols} is supported by all {@code memberCount} members. */
    boolean anySupportedByAll(final List<JoinGroupRequestProtocol> protocols, final int memberCount)
    {
        for (final JoinGroupRequestProtocol protocol : protocols)
        {
            if (supporters.getOrDefault(protocol.name(), 0) == memberCount)
            {
                return true;
            }
        }
        return false;
    }

    /** The protocol every member supports that most members prefer (Kafka's vote); ties go to the first voted. */
    String select(final Collection<GroupMember> members)
    {
        final Set<String> candidates = new HashSet<>();
        for (final Map.Entry<String, Integer> entry : supporters.entrySet())
        {
            if (entry.getValue() == members.size())
            {
                candidates.add(entry.getKey());
            }
        }
        final Map<String, Integer> votes = new LinkedHashMap<>();
        for (final GroupMember member : members)
        {
            votes.merge(member.vote(candidates), 1, Integer::sum);
        }
        String selected = null;
        int most = 0;
        for (final Map.Entry<String, Integer> entry : votes.entrySet())
        {
            if (entry.getValue() > most)
            {
                most = entry.getValue();
                selected = entry.getKey();
            }
        }
        return selected;
    }

    /**
     * The topics {@code members} subscribe to, read from their consumer-protocol metadata for {@code protocolName}
     * (the version-0 prefix every later version keeps), or null when a subscription does not parse.
     */
    static Set<String> subscribedTopics(final Collection<GroupMember> members, final String protocolName)
    {
        final Set<String> topics = new HashSet<>();
        try
        {
            for (final GroupMember member : members)
            {
                final ByteBuffer buffer = ByteBuffer.wrap(member.metadata(protocolName));
                buffer.getShort();
                topics.addAll(new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer), (short)0).topics());
            }
        }
        catch (final RuntimeException ex)
        {
            return null;
        }
        return topics;
    }

    private void count(final GroupMember member, final int delta)
    {
        for (final JoinGroupRequestProtocol protocol : member.protocols())
        {
            supporters.merge(protocol.name(), delta, Integer::sum);
        }
    }
}
