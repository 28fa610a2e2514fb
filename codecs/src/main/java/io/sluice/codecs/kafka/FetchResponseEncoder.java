package io.sluice.codecs.kafka;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes a Kafka Fetch response, versions 4-18, response header included (v0, or v1 with tagged fields from
 * version 12), everything except the record bytes themselves:
 *
 * <pre>
 *   correlation_id int32, tagged fields (12+)
 *   throttle_time_ms int32, error_code int16 (7+), session_id int32 (7+)
 *   responses [ topic string (4-12) | topic_id uuid (13+)
 *               partitions [ partition_index int32, error_code int16, high_watermark int64,
 *                            last_stable_offset int64, log_start_offset int64 (5+),
 *                            aborted_transactions nullable [ producer_id int64, first_offset int64,
 *                                                            tagged fields (12+) ],
 *                            preferred_read_replica int32 (11+),
 *                            records nullable bytes   &lt;- length written here, bytes spliced in by the transport
 *                            tagged fields (12+) ]
 *               tagged fields (12+) ]
 *   tagged fields (12+)
 * </pre>
 *
 * The record bytes of a partition are a file region sent with {@code transferTo}: {@link #records} writes
 * their length prefix and returns the buffer index at which the region belongs (what the transport's
 * {@code ResponseFrame.addRegion(bufferIndex, channel, position, length)} takes), then carries on writing the
 * rest of the response at that same index. The buffer therefore never holds record bytes, and the frame's
 * length is this encoder's length plus the regions'.
 *
 * <p>Order of calls: {@link #wrap} with the topic count; per topic {@code topic(..., partitionCount)}; per
 * partition {@link #partition}, then {@link #abortedTransaction} as many times as it announced, then
 * {@link #records}; finally {@link #finish}. Out of order throws {@link IllegalStateException}: a bug in the
 * caller, not bad input. The optional tagged fields (diverging epoch, current leader, snapshot id, node
 * endpoints) are not written.
 *
 * <p>Nothing is allocated. The buffer must have room for the response or be expandable (as the transport's
 * response frames are). Not thread-safe: one instance per thread, re-pointed with {@link #wrap} for each
 * response. It does not own the buffer.
 */
public final class FetchResponseEncoder
{
    /** Preferred read replica when there is none: read from the leader. */
    public static final int NO_PREFERRED_READ_REPLICA = -1;

    private static final int FIRST_LOG_START_OFFSET_VERSION = 5;
    private static final int FIRST_SESSION_VERSION = 7;
    private static final int FIRST_PREFERRED_READ_REPLICA_VERSION = 11;

    private final WireWriter writer = new WireWriter();
    private int offset;
    private int version;
    private boolean flexible;
    private boolean topicIds;
    private int topicsRemaining;
    private int partitionsRemaining;
    private int abortedTransactionsRemaining;
    private boolean awaitingRecords;
    private int preferredReadReplica;

    /**
     * Start a response at {@code offset} of {@code buffer}: writes the response header, the top-level fields
     * and the topic count.
     *
     * @param version    of the request being answered, 4-18.
     * @param errorCode  top-level error (version 7+), for example a fetch-session error.
     * @param sessionId  the fetch session (version 7+), or 0 for none.
     * @param topicCount how many {@code topic} calls follow.
     * @return this, for chaining.
     */
    public FetchResponseEncoder wrap(
        final MutableDirectBuffer buffer, final int offset, final int version, final int correlationId,
        final int throttleTimeMs, final short errorCode, final int sessionId, final int topicCount)
    {
        if (!DataPlaneVersions.isSupported(DataPlaneVersions.FETCH_API_KEY, version))
        {
            throw new IllegalArgumentException("Fetch version " + version + " is not supported");
        }
        if (topicCount < 0)
        {
            throw new IllegalArgumentException("topicCount " + topicCount);
        }
        this.offset = offset;
        this.version = version;
        flexible = version >= DataPlaneVersions.FETCH_FIRST_FLEXIBLE_VERSION;
        topicIds = version >= DataPlaneVersions.FETCH_FIRST_TOPIC_ID_VERSION;
        topicsRemaining = topicCount;
        partitionsRemaining = 0;
        abortedTransactionsRemaining = 0;
        awaitingRecords = false;

        writer.wrap(buffer, offset);
        writer.writeInt32(correlationId);
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        writer.writeInt32(throttleTimeMs);
        if (version >= FIRST_SESSION_VERSION)
        {
            writer.writeInt16(errorCode);
            writer.writeInt32(sessionId);
        }
        writer.writeArrayCount(topicCount, flexible);
        return this;
    }

    /**
     * Start a topic named by {@code nameLength} bytes at {@code nameOffset} of {@code name} (versions 4-12).
     *
     * @return this, for chaining.
     */
    public FetchResponseEncoder topic(
        final DirectBuffer name, final int nameOffset, final int nameLength, final int partitionCount)
    {
        beginTopic(false, partitionCount);
        writer.writeString(name, nameOffset, nameLength, flexible);
        return endTopicHeader(partitionCount);
    }

    /**
     * Start a topic named by an ASCII String, as Kafka's topic names are (versions 4-12).
     *
     * @return this, for chaining.
     */
    public FetchResponseEncoder topic(final String name, final int partitionCount)
    {
        beginTopic(false, partitionCount);
        writer.writeAsciiString(name, flexible);
        return endTopicHeader(partitionCount);
    }

    /**
     * Start a topic named by its id (version 13+).
     *
     * @return this, for chaining.
     */
    public FetchResponseEncoder topic(
        final long topicIdMostSignificantBits, final long topicIdLeastSignificantBits, final int partitionCount)
    {
        beginTopic(true, partitionCount);
        writer.writeUuid(topicIdMostSignificantBits, topicIdLeastSignificantBits);
        return endTopicHeader(partitionCount);
    }

    /**
     * Start one partition of the current topic; {@link #records} completes it.
     *
     * @param logStartOffset          written from version 5.
     * @param preferredReadReplica    written from version 11; {@link #NO_PREFERRED_READ_REPLICA} for the leader.
     * @param abortedTransactionCount -1 for null (what a READ_UNCOMMITTED fetch gets), else how many
     *                                {@link #abortedTransaction} calls follow.
     * @return this, for chaining.
     */
    public FetchResponseEncoder partition(
        final int partitionIndex, final short errorCode, final long highWatermark, final long lastStableOffset,
        final long logStartOffset, final int preferredReadReplica, final int abortedTransactionCount)
    {
        if (partitionsRemaining == 0 || awaitingRecords)
        {
            throw new IllegalStateException(awaitingRecords ?
                "previous partition has no records yet" : "more partitions than the topic's count");
        }
        if (abortedTransactionCount < -1)
        {
            throw new IllegalArgumentException("abortedTransactionCount " + abortedTransactionCount);
        }
        writer.writeInt32(partitionIndex);
        writer.writeInt16(errorCode);
        writer.writeInt64(highWatermark);
        writer.writeInt64(lastStableOffset);
        if (version >= FIRST_LOG_START_OFFSET_VERSION)
        {
            writer.writeInt64(logStartOffset);
        }
        writer.writeArrayCount(abortedTransactionCount, flexible);
        abortedTransactionsRemaining = Math.max(abortedTransactionCount, 0);
        this.preferredReadReplica = preferredReadReplica;
        awaitingRecords = true;
        return this;
    }

    /**
     * One aborted transaction of the current partition, in the count {@link #partition} announced.
     *
     * @return this, for chaining.
     */
    public FetchResponseEncoder abortedTransaction(final long producerId, final long firstOffset)
    {
        if (abortedTransactionsRemaining == 0)
        {
            throw new IllegalStateException("more aborted transactions than the partition's count");
        }
        abortedTransactionsRemaining--;
        writer.writeInt64(producerId);
        writer.writeInt64(firstOffset);
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        return this;
    }

    /**
     * Finish the current partition with the length prefix of its records.
     *
     * @param recordsLength bytes of the file region that will follow, 0 for no records, or -1 for null (what
     *                      a partition with an error sends).
     * @return the index in the buffer at which the region's {@code recordsLength} bytes belong: pass it to
     * {@code ResponseFrame.addRegion} when {@code recordsLength > 0}. Writing continues at this same index.
     */
    public int records(final int recordsLength)
    {
        if (!awaitingRecords || abortedTransactionsRemaining != 0)
        {
            throw new IllegalStateException(awaitingRecords ?
                abortedTransactionsRemaining + " aborted transactions still to write" : "no partition started");
        }
        if (version >= FIRST_PREFERRED_READ_REPLICA_VERSION)
        {
            writer.writeInt32(preferredReadReplica);
        }
        writer.writeBytesLength(recordsLength, flexible);
        final int regionIndex = writer.position();
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        awaitingRecords = false;
        partitionsRemaining--;
        if (partitionsRemaining == 0)
        {
            endTopic();
        }
        return regionIndex;
    }

    /**
     * Close the response once every topic and partition has been written.
     *
     * @return bytes written to the buffer since the {@code offset} given to {@link #wrap}, header included and
     * record regions excluded.
     */
    public int finish()
    {
        if (topicsRemaining != 0 || partitionsRemaining != 0)
        {
            throw new IllegalStateException(
                "finish with " + topicsRemaining + " topics and " + partitionsRemaining + " partitions unwritten");
        }
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
                "Fetch v" + version + (topicIds ? " names topics by id" : " names topics by name"));
        }
        if (partitionCount < 0)
        {
            throw new IllegalArgumentException("partitionCount " + partitionCount);
        }
        topicsRemaining--;
    }

    private FetchResponseEncoder endTopicHeader(final int partitionCount)
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
