package io.sluice.codecs.kafka;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes a Kafka Produce response, versions 3-13, response header included (v0, or v1 with tagged fields from
 * version 9):
 *
 * <pre>
 *   correlation_id int32, tagged fields (9+)
 *   responses [ name string (3-12) | topic_id uuid (13)
 *               partition_responses [ index int32, error_code int16, base_offset int64,
 *                                     log_append_time_ms int64, log_start_offset int64 (5+),
 *                                     record_errors [] (8+, always empty here),
 *                                     error_message nullable string (8+), tagged fields (9+) ]
 *               tagged fields (9+) ]
 *   throttle_time_ms int32
 *   tagged fields (9+)
 * </pre>
 *
 * The broker knows how many topics and partitions it answers (it decoded the request), so arrays are written
 * count first: {@link #wrap} with the topic count, then per topic {@code topic(..., partitionCount)} followed
 * by that many {@code partition(...)} calls, then {@link #finish}. The optional tagged fields (current leader,
 * node endpoints, for KIP-951 leader discovery) are not written; clients then fall back to a metadata refresh.
 * Calling out of that order throws {@link IllegalStateException}: a bug in the caller, not bad input.
 *
 * <p>Nothing is allocated: names are copied from a buffer (or from an ASCII String), numbers written in place.
 * The buffer must have room for the response or be expandable (as the transport's response frames are).
 * Not thread-safe: one instance per thread, re-pointed with {@link #wrap} for each response. It does not own
 * the buffer.
 */
public final class ProduceResponseEncoder
{
    private final WireWriter writer = new WireWriter();
    private int offset;
    private int version;
    private boolean flexible;
    private boolean topicIds;
    private int topicsRemaining;
    private int partitionsRemaining;

    /**
     * Start a response at {@code offset} of {@code buffer}: writes the response header and the topic count.
     *
     * @param version    of the request being answered, 3-13.
     * @param topicCount how many {@code topic} calls follow.
     * @return this, for chaining.
     */
    public ProduceResponseEncoder wrap(
        final MutableDirectBuffer buffer, final int offset, final int version, final int correlationId,
        final int topicCount)
    {
        if (!DataPlaneVersions.isSupported(DataPlaneVersions.PRODUCE_API_KEY, version))
        {
            throw new IllegalArgumentException("Produce version " + version + " is not supported");
        }
        if (topicCount < 0)
        {
            throw new IllegalArgumentException("topicCount " + topicCount);
        }
        this.offset = offset;
        this.version = version;
        flexible = version >= DataPlaneVersions.PRODUCE_FIRST_FLEXIBLE_VERSION;
        topicIds = version >= DataPlaneVersions.PRODUCE_FIRST_TOPIC_ID_VERSION;
        topicsRemaining = topicCount;
        partitionsRemaining = 0;

        writer.wrap(buffer, offset);
        writer.writeInt32(correlationId);
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        writer.writeArrayCount(topicCount, flexible);
        return this;
    }

    /**
     * Start a topic named by {@code nameLength} bytes at {@code nameOffset} of {@code name} (versions 3-12).
     *
     * @return this, for chaining.
     */
    public ProduceResponseEncoder topic(
        final DirectBuffer name, final int nameOffset, final int nameLength, final int partitionCount)
    {
        beginTopic(false, partitionCount);
        writer.writeString(name, nameOffset, nameLength, flexible);
        return endTopicHeader(partitionCount);
    }

    /**
     * Start a topic named by an ASCII String, as Kafka's topic names are (versions 3-12).
     *
     * @return this, for chaining.
     */
    public ProduceResponseEncoder topic(final String name, final int partitionCount)
    {
        beginTopic(false, partitionCount);
        writer.writeAsciiString(name, flexible);
        return endTopicHeader(partitionCount);
    }

    /**
     * Start a topic named by its id (version 13).
     *
     * @return this, for chaining.
     */
    public ProduceResponseEncoder topic(
        final long topicIdMostSignificantBits, final long topicIdLeastSignificantBits, final int partitionCount)
    {
        beginTopic(true, partitionCount);
        writer.writeUuid(topicIdMostSignificantBits, topicIdLeastSignificantBits);
        return endTopicHeader(partitionCount);
    }

    /**
     * Answer one partition of the current topic, with no error message.
     *
     * @param logAppendTimeMs the broker's append time for LogAppendTime topics, else -1.
     * @param logStartOffset  written from version 5.
     * @return this, for chaining.
     */
    public ProduceResponseEncoder partition(
        final int index, final short errorCode, final long baseOffset, final long logAppendTimeMs,
        final long logStartOffset)
    {
        return partition(index, errorCode, baseOffset, logAppendTimeMs, logStartOffset, null);
    }

    /**
     * Answer one partition of the current topic.
     *
     * @param logAppendTimeMs the broker's append time for LogAppendTime topics, else -1.
     * @param logStartOffset  written from version 5.
     * @param errorMessage    ASCII, or null; written from version 8 (earlier clients only see the code).
     * @return this, for chaining.
     */
    public ProduceResponseEncoder partition(
        final int index, final short errorCode, final long baseOffset, final long logAppendTimeMs,
        final long logStartOffset, final String errorMessage)
    {
        if (partitionsRemaining == 0)
        {
            throw new IllegalStateException("more partitions than the topic's count");
        }
        partitionsRemaining--;

        writer.writeInt32(index);
        writer.writeInt16(errorCode);
        writer.writeInt64(baseOffset);
        writer.writeInt64(logAppendTimeMs);
        if (version >= 5)
        {
            writer.writeInt64(logStartOffset);
        }
        if (version >= 8)
        {
            writer.writeArrayCount(0, flexible);
            writer.writeAsciiString(errorMessage, flexible);
        }
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        if (partitionsRemaining == 0)
        {
            endTopic();
        }
        return this;
    }

    /**
     * Close the response once every topic and partition has been written.
     *
     * @return bytes written since the {@code offset} given to {@link #wrap}, header included.
     */
    public int finish(final int throttleTimeMs)
    {
        if (topicsRemaining != 0 || partitionsRemaining != 0)
        {
            throw new IllegalStateException(
                "finish with " + topicsRemaining + " topics and " + partitionsRemaining + " partitions unwritten");
        }
        writer.writeInt32(throttleTimeMs);
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        return writer.position() - offset;
    }

    private void beginTopic(final boolean byId, final int partitionCount)
    {
        if (topicsRemaining == 0 || partitionsRemaining != 0)
        {
            throw new IllegalStateException(topicsRemaining == 0 ?
                "more topics than the response's count" : "previous topic still has partitions to write");
        }
        if (byId != topicIds)
        {
            throw new IllegalStateException(
                "Produce v" + version + (topicIds ? " names topics by id" : " names topics by name"));
        }
        if (partitionCount < 0)
        {
            throw new IllegalArgumentException("partitionCount " + partitionCount);
        }
        topicsRemaining--;
    }

    private ProduceResponseEncoder endTopicHeader(final int partitionCount)
    {
        writer.writeArrayCount(partitionCount, flexible);
        partitionsRemaining = partitionCount;
        if (partitionCount == 0)
        {
            endTopic();
        }
        return this;
    }

    private void endTopic()
    {
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
    }
}
