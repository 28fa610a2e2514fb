package io.sluice.codecs.kafka;

import org.agrona.DirectBuffer;

/**
 * Flyweight over the body of a Kafka Produce request, versions 3-13 (flexible from 9, topic ids instead of
 * names from 13):
 *
 * <pre>
 *   transactional_id nullable string
 *   acks             int16
 *   timeout_ms       int32
 *   topic_data       [ name string (3-12) | topic_id uuid (13)
 *                      partition_data [ index int32, records nullable bytes, tagged fields (9+) ]
 *                      tagged fields (9+) ]
 *   tagged fields (9+)
 * </pre>
 *
 * {@link #wrap} walks the whole body once to check it, so iteration afterwards cannot run off the frame;
 * then {@link #nextTopic()} and {@link #nextPartition()} step through it in place. Strings and record sets
 * come out as offsets and lengths into the wrapped buffer: nothing is allocated, boxed or iterated with an
 * {@code Iterator}.
 *
 * <p>Not thread-safe: one instance per thread, re-pointed with {@link #wrap} for each request. It does not
 * own the buffer, which must stay unchanged while the request is read.
 */
public final class ProduceRequestDecoder
{
    private final WireReader reader = new WireReader();
    private int version;
    private boolean flexible;
    private boolean topicIds;

    private int transactionalIdOffset;
    private int transactionalIdLength;
    private short acks;
    private int timeoutMs;
    private int topicCount;
    private int topicsPosition;

    private int topicsRemaining;
    private int partitionsRemaining;
    private boolean topicOpen;
    private int topicNameOffset;
    private int topicNameLength;
    private long topicIdMostSignificantBits;
    private long topicIdLeastSignificantBits;
    private int partitionCount;

    private int partitionIndex;
    private int recordsOffset;
    private int recordsLength;

    /**
     * Check the request body in {@code [offset, offset + length)} and get ready to iterate its topics.
     *
     * @param version the request's API version, from its header.
     * @return {@link ProtocolErrorCodes#NONE}; {@link ProtocolErrorCodes#UNSUPPORTED_VERSION} outside 3-13; or
     * {@link ProtocolErrorCodes#INVALID_REQUEST} when the body does not follow the schema (a length or count
     * past the end, a negative count, a null where none is allowed, an over-long varint), with the reason in
     * {@link #malformedReason()}. After anything but NONE the iteration methods return false.
     */
    public short wrap(final DirectBuffer buffer, final int offset, final int length, final int version)
    {
        this.version = version;
        flexible = version >= DataPlaneVersions.PRODUCE_FIRST_FLEXIBLE_VERSION;
        topicIds = version >= DataPlaneVersions.PRODUCE_FIRST_TOPIC_ID_VERSION;
        topicCount = 0;
        topicsRemaining = 0;
        partitionsRemaining = 0;
        topicOpen = false;
        reader.wrap(buffer, offset, length);
        if (!DataPlaneVersions.isSupported(DataPlaneVersions.PRODUCE_API_KEY, version))
        {
            return ProtocolErrorCodes.UNSUPPORTED_VERSION;
        }

        transactionalIdLength = reader.readStringLength(flexible, true);
        transactionalIdOffset = reader.position();
        reader.skip(transactionalIdLength);
        acks = reader.readInt16();
        timeoutMs = reader.readInt32();
        topicCount = reader.readArrayCount(flexible, false);
        topicsPosition = reader.position();

        rewindTopics();
        while (nextTopic())
        {
            // nextTopic() steps over the partitions of the topic before, so this walks every field once.
        }
        if (flexible)
        {
            reader.skipTaggedFields();
        }
        if (reader.isMalformed())
        {
            topicCount = 0;
            topicsRemaining = 0;
            return ProtocolErrorCodes.INVALID_REQUEST;
        }
        rewindTopics();
        return ProtocolErrorCodes.NONE;
    }

    /** Start the topic iteration again from the first topic. */
    public void rewindTopics()
    {
        if (!reader.isMalformed())
        {
            reader.position(topicsPosition);
            topicsRemaining = topicCount;
            partitionsRemaining = 0;
            topicOpen = false;
        }
    }

    /**
     * Step to the next topic, skipping any partitions of the current one that were not read.
     *
     * @return false when there are no more topics.
     */
    public boolean nextTopic()
    {
        while (partitionsRemaining > 0 && nextPartition())
        {
            // Drain the rest of the current topic.
        }
        if (topicOpen)
        {
            topicOpen = false;
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
            topicIdMostSignificantBits = 0;
            topicIdLeastSignificantBits = 0;
        }
        partitionCount = reader.readArrayCount(flexible, false);
        partitionsRemaining = partitionCount;
        topicOpen = true;
        return !reader.isMalformed();
    }

    /**
     * Step to the next partition of the current topic.
     *
     * @return false when the topic has no more partitions.
     */
    public boolean nextPartition()
    {
        if (partitionsRemaining == 0 || reader.isMalformed())
        {
            return false;
        }
        partitionsRemaining--;

        partitionIndex = reader.readInt32();
        recordsLength = reader.readBytesLength(flexible, true);
        recordsOffset = reader.position();
        reader.skip(recordsLength);
        if (flexible)
        {
            reader.skipTaggedFields();
        }
        return !reader.isMalformed();
    }

    public DirectBuffer buffer()
    {
        return reader.buffer();
    }

    public int version()
    {
        return version;
    }

    public int transactionalIdOffset()
    {
        return transactionalIdOffset;
    }

    /** Length of the transactional id in bytes, or -1 when it is null (not a transactional producer). */
    public int transactionalIdLength()
    {
        return transactionalIdLength;
    }

    public short acks()
    {
        return acks;
    }

    public int timeoutMs()
    {
        return timeoutMs;
    }

    public int topicCount()
    {
        return topicCount;
    }

    /** Whether topics are named by id (version 13) rather than by name. */
    public boolean usesTopicIds()
    {
        return topicIds;
    }

    /** Index in {@link #buffer()} of the current topic's name (versions 3-12) or of its 16-byte id (13). */
    public int topicNameOffset()
    {
        return topicNameOffset;
    }

    /** Length of the current topic's name in bytes; -1 in version 13, which sends an id instead. */
    public int topicNameLength()
    {
        return topicNameLength;
    }

    /** The current topic's id (version 13), high half; 0 before version 13. */
    public long topicIdMostSignificantBits()
    {
        return topicIdMostSignificantBits;
    }

    /** The current topic's id (version 13), low half; 0 before version 13. */
    public long topicIdLeastSignificantBits()
    {
        return topicIdLeastSignificantBits;
    }

    public int partitionCount()
    {
        return partitionCount;
    }

    public int partitionIndex()
    {
        return partitionIndex;
    }

    /** Index in {@link #buffer()} of the current partition's record batches. */
    public int recordsOffset()
    {
        return recordsOffset;
    }

    /** Bytes of record batches for the current partition, or -1 when the client sent null. */
    public int recordsLength()
    {
        return recordsLength;
    }

    /** Why the last {@link #wrap} returned {@link ProtocolErrorCodes#INVALID_REQUEST}, or null. */
    public String malformedReason()
    {
        return reader.malformedReason();
    }
}
