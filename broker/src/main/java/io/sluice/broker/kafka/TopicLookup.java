package io.sluice.broker.kafka;

import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicSnapshot;
import org.agrona.DirectBuffer;

import java.util.Arrays;
import java.util.UUID;

/**
 * Finds a topic from its name as bytes in a request frame without making a String each time: a small
 * direct-mapped cache of the topics recently named, emptied whenever the registry publishes a new snapshot.
 * A miss (or a collision) costs one String and one map lookup.
 *
 * <p>Shared by both doors. Not thread-safe: one per event-loop thread.
 */
public final class TopicLookup
{
    private static final int SLOTS = 256;

    private final Topic[] slots = new Topic[SLOTS];
    private final Topic[] idSlots = new Topic[SLOTS];
    private TopicSnapshot cachedFor;

    /** The topic named by {@code length} ASCII bytes at {@code offset}, or null when there is none. */
    public Topic byName(final TopicSnapshot snapshot, final DirectBuffer buffer, final int offset, final int length)
    {
        refresh(snapshot);
        int hash = 0;
        for (int i = 0; i < length; i++)
        {
            hash = 31 * hash + buffer.getByte(offset + i);
        }
        final int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        final Topic cached = slots[slot];
        if (cached != null && sameName(cached.name(), buffer, offset, length))
        {
            return cached;
        }
        final Topic topic = snapshot.topic(buffer.getStringWithoutLengthAscii(offset, length));
        if (topic != null)
        {
            slots[slot] = topic;
        }
        return topic;
    }

    /** The topic with id {@code (most, least)}, or null. */
    public Topic byId(final TopicSnapshot snapshot, final long most, final long least)
    {
        refresh(snapshot);
        final long mixed = most ^ least;
        final int slot = (int)(mixed ^ (mixed >>> 32)) & (SLOTS - 1);
        final Topic cached = idSlots[slot];
        if (cached != null && cached.id().getMostSignificantBits() == most &&
            cached.id().getLeastSignificantBits() == least)
        {
            return cached;
        }
        final Topic topic = snapshot.topic(new UUID(most, least));
        if (topic != null)
        {
            idSlots[slot] = topic;
        }
        return topic;
    }

    private void refresh(final TopicSnapshot snapshot)
    {
        if (snapshot != cachedFor)
        {
            Arrays.fill(slots, null);
            Arrays.fill(idSlots, null);
            cachedFor = snapshot;
        }
    }

    private static boolean sameName(final String name, final DirectBuffer buffer, final int offset, final int length)
    {
        if (name.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (name.charAt(i) != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }
}
