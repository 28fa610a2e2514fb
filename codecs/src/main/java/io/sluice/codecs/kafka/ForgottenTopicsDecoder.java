package io.sluice.codecs.kafka;

import org.agrona.DirectBuffer;

/**
 * Flyweight over the forgotten-topics section of a Fetch request (version 7+): the partitions an incremental
 * fetch session should stop fetching.
 *
 * <pre>
 *   forgotten_topics_data [ topic string (7-12) | topic_id uuid (13+), partitions [int32], tagged fields (12+) ]
 * </pre>
 *
 * Reached through {@link FetchRequestDecoder#forgottenTopics()}, which positions and checks it; iterating it
 * does not disturb the decoder's topic iteration. Nothing is allocated.
 *
 * <p>Not thread-safe: belongs to its {@link FetchRequestDecoder} and its thread. It does not own the buffer.
 */
public final class ForgottenTopicsDecoder
{
    private static final int PARTITION_LENGTH = 4;

    private final WireReader reader = new WireReader();
    private boolean flexible;
    private boolean topicIds;
    private int topicCount;
    private int startPosition;

    private int topicsRemaining;
    private boolean topicOpen;
    private int topicNameOffset;
    private int topicNameLength;
    private long topicIdMostSignificantBits;
    private long topicIdLeastSignificantBits;
    private int partitionCount;
    private int partitionsRemaining;
    private int partition;

    /**
     * Check the section of {@code topicCount} topics starting at {@code position} by walking it once.
     *
     * @return the position just after the section, or -1 when it is malformed (see {@link #malformedReason}).
     */
    int wrap(
        final DirectBuffer buffer, final int position, final int limit, final int topicCount, final int version)
    {
        flexible = version >= DataPlaneVersions.FETCH_FIRST_FLEXIBLE_VERSION;
        topicIds = version >= DataPlaneVersions.FETCH_FIRST_TOPIC_ID_VERSION;
        this.topicCount = topicCount;
        startPosition = position;
        reader.wrap(buffer, position, limit - position);
        rewind();
        while (nextTopic())
        {
            // nextTopic() steps over the partitions of the topic before, so this walks every field once.
        }
        if (reader.isMalformed())
        {
            clear();
            return -1;
        }
        final int end = reader.position();
        rewind();
        return end;
    }

    /** Empty and with no failure on record, before a request is checked (and for versions without the section). */
    void reset()
    {
        reader.reset();
        clear();
    }

    /** Empty, keeping the reason of a failed check. */
    void clear()
    {
        topicCount = 0;
        topicsRemaining = 0;
        partitionsRemaining = 0;
        topicOpen = false;
    }

    String malformedReason()
    {
        return reader.malformedReason();
    }

    public int topicCount()
    {
        return topicCount;
    }

    /** Start the iteration again from the first forgotten topic. */
    public void rewind()
    {
        if (!reader.isMalformed())
        {
            reader.position(startPosition);
            topicsRemaining = topicCount;
            partitionsRemaining = 0;
            topicOpen = false;
        }
    }

    /**
     * Step to the next forgotten topic, skipping any partitions of the current one that were not read.
     *
     * @return false when there are no more.
     */
    public boolean nextTopic()
    {
        if (topicOpen)
        {
            topicOpen = false;
            reader.skipElements(partitionsRemaining, PARTITION_LENGTH);
            partitionsRemaining = 0;
            if (flexible)
            {
                reader.skipTaggedFields();
            }
        }
        if (topicsRemaining == 0 || reader.isMalformed())
        {
            return false;
        }
        topicsRemaining--;

        if (topicIds)
        {
            topicNameOffset = reader.position();
            topicNameLength = -1;
            topicIdMostSignificantBits = reader.readInt64();
            topicIdLeastSignificantBits = reader.readInt64();
        }
        else
        {
            topicNameLength = reader.readStringLength(flexible, false);
            topicNameOffset = reader.position();
            reader.skip(topicNameLength);
        }
        partitionCount = reader.readArrayCount(flexible, false);
        partitionsRemaining = partitionCount;
        topicOpen = true;
        return !reader.isMalformed();
    }

    /**
     * Step to the next partition of the current forgotten topic; read it with {@link #partition()}.
     *
     * @return false when the topic has no more.
     */
    public boolean nextPartition()
    {
        if (partitionsRemaining == 0 || reader.isMalformed())
        {
            return false;
        }
        partitionsRemaining--;
        partition = reader.readInt32();
        return !reader.isMalformed();
    }

    /** Index in the request buffer of the current topic's name (versions 7-12) or 16-byte id (13+). */
    public int topicNameOffset()
    {
        return topicNameOffset;
    }

    /** Length of the current topic's name in bytes; -1 from version 13, which sends an id instead. */
    public int topicNameLength()
    {
        return topicNameLength;
    }

    public long topicIdMostSignificantBits()
    {
        return topicIdMostSignificantBits;
    }

    public long topicIdLeastSignificantBits()
    {
        return topicIdLeastSignificantBits;
    }

    public int partitionCount()
    {
        return partitionCount;
    }

    public int partition()
    {
        return partition;
    }
}
