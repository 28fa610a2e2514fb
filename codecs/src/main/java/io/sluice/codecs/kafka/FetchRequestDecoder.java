package io.sluice.codecs.kafka;

import org.agrona.DirectBuffer;

/**
 * Flyweight over the body of a Kafka Fetch request, versions 4-18 (flexible from 12, topic ids instead of
 * names from 13, the replica id moved into the tagged ReplicaState from 15):
 *
 * <pre>
 *   replica_id int32 (4-14)
 *   max_wait_ms int32, min_bytes int32, max_bytes int32, isolation_level int8
 *   session_id int32 (7+), session_epoch int32 (7+)
 *   topics [ topic string (4-12) | topic_id uuid (13+)
 *            partitions [ partition int32, current_leader_epoch int32 (9+), fetch_offset int64,
 *                         last_fetched_epoch int32 (12+), log_start_offset int64 (5+),
 *                         partition_max_bytes int32,
 *                         tagged (12+): 0 replica_directory_id uuid (17+), 1 high_watermark int64 (18+) ]
 *            tagged fields (12+) ]
 *   forgotten_topics_data (7+) [ topic string (7-12) | topic_id uuid (13+), partitions [int32],
 *                                tagged fields (12+) ]
 *   rack_id string (11+)
 *   tagged (12+): 0 cluster_id nullable string, 1 replica_state { replica_id int32, replica_epoch int64 } (15+)
 * </pre>
 *
 * {@link #wrap} walks the whole body once to check it (and to reach the trailing tagged fields, where newer
 * versions put the replica id), so iteration afterwards cannot run off the frame. Fields a version lacks read
 * as Kafka's defaults. Strings come out as offsets and lengths into the wrapped buffer: nothing is allocated,
 * boxed or iterated with an {@code Iterator}. Forgotten topics iterate, independently of the topics, through
 * {@link #forgottenTopics()}.
 *
 * <p>Not thread-safe: one instance per thread, re-pointed with {@link #wrap} for each request. It does not
 * own the buffer, which must stay unchanged while the request is read.
 */
public final class FetchRequestDecoder
{
    /** Replica id of a consumer (rather than a follower broker), and the default when none is sent. */
    public static final int CONSUMER_REPLICA_ID = -1;
    /** High watermark a follower sends when it does not know one; also the default before version 18. */
    public static final long HIGH_WATERMARK_NOT_SENT = Long.MAX_VALUE;

    private static final int FIRST_LEADER_EPOCH_VERSION = 9;
    private static final int FIRST_LOG_START_OFFSET_VERSION = 5;
    private static final int FIRST_SESSION_VERSION = 7;
    private static final int FIRST_RACK_ID_VERSION = 11;
    private static final int FIRST_REPLICA_STATE_VERSION = 15;
    private static final int FIRST_DIRECTORY_ID_VERSION = 17;
    private static final int FIRST_HIGH_WATERMARK_VERSION = 18;
    private static final int CLUSTER_ID_TAG = 0;
    private static final int REPLICA_STATE_TAG = 1;
    private static final int DIRECTORY_ID_TAG = 0;
    private static final int HIGH_WATERMARK_TAG = 1;

    private final WireReader reader = new WireReader();
    private final WireReader topicReader = new WireReader();
    private final ForgottenTopicsDecoder forgottenTopics = new ForgottenTopicsDecoder();
    private int version;
    private boolean flexible;
    private boolean topicIds;
    private String malformedReason;

    private int replicaId;
    private long replicaEpoch;
    private int maxWaitMs;
    private int minBytes;
    private int maxBytes;
    private byte isolationLevel;
    private int sessionId;
    private int sessionEpoch;
    private int rackIdOffset;
    private int rackIdLength;
    private int clusterIdOffset;
    private int clusterIdLength;

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
    private int currentLeaderEpoch;
    private long fetchOffset;
    private int lastFetchedEpoch;
    private long logStartOffset;
    private int partitionMaxBytes;
    private long replicaDirectoryIdMostSignificantBits;
    private long replicaDirectoryIdLeastSignificantBits;
    private long highWatermark;

    /**
     * Check the request body in {@code [offset, offset + length)} and get ready to iterate its topics.
     *
     * @param version the request's API version, from its header.
     * @return {@link ProtocolErrorCodes#NONE}; {@link ProtocolErrorCodes#UNSUPPORTED_VERSION} outside 4-18; or
     * {@link ProtocolErrorCodes#INVALID_REQUEST} when the body does not follow the schema, with the reason in
     * {@link #malformedReason()}. After anything but NONE the iteration methods return false.
     */
    public short wrap(final DirectBuffer buffer, final int offset, final int length, final int version)
    {
        this.version = version;
        flexible = version >= DataPlaneVersions.FETCH_FIRST_FLEXIBLE_VERSION;
        topicIds = version >= DataPlaneVersions.FETCH_FIRST_TOPIC_ID_VERSION;
        malformedReason = null;
        topicCount = 0;
        forgottenTopics.reset();
        endIteration();
        reader.wrap(buffer, offset, length);
        if (!DataPlaneVersions.isSupported(DataPlaneVersions.FETCH_API_KEY, version))
        {
            return ProtocolErrorCodes.UNSUPPORTED_VERSION;
        }

        replicaId = version < FIRST_REPLICA_STATE_VERSION ? reader.readInt32() : CONSUMER_REPLICA_ID;
        replicaEpoch = -1;
        maxWaitMs = reader.readInt32();
        minBytes = reader.readInt32();
        maxBytes = reader.readInt32();
        isolationLevel = reader.readInt8();
        final boolean sessions = version >= FIRST_SESSION_VERSION;
        sessionId = sessions ? reader.readInt32() : 0;
        sessionEpoch = sessions ? reader.readInt32() : -1;

        topicCount = reader.readArrayCount(flexible, false);
        topicsPosition = reader.position();
        topicReader.wrap(buffer, topicsPosition, reader.remaining());
        rewindTopics();
        while (nextTopic())
        {
            // nextTopic() steps over the partitions of the topic before, so this walks every field once.
        }
        reader.position(topicReader.isMalformed() ? reader.limit() : topicReader.position());

        if (sessions)
        {
            final int forgottenCount = reader.readArrayCount(flexible, false);
            if (!reader.isMalformed())
            {
                final int end = forgottenTopics.wrap(
                    buffer, reader.position(), reader.limit(), forgottenCount, version);
                reader.position(end < 0 ? reader.limit() : end);
            }
        }

        rackIdOffset = reader.position();
        rackIdLength = 0;
        if (version >= FIRST_RACK_ID_VERSION)
        {
            rackIdLength = reader.readStringLength(flexible, false);
            rackIdOffset = reader.position();
            reader.skip(rackIdLength);
        }
        clusterIdOffset = 0;
        clusterIdLength = -1;
        if (flexible)
        {
            readRequestTaggedFields();
        }

        malformedReason = firstNonNull(
            topicReader.malformedReason(), forgottenTopics.malformedReason(), reader.malformedReason());
        if (malformedReason != null)
        {
            topicCount = 0;
            forgottenTopics.clear();
            endIteration();
            return ProtocolErrorCodes.INVALID_REQUEST;
        }
        rewindTopics();
        return ProtocolErrorCodes.NONE;
    }

    /** Start the topic iteration again from the first topic. */
    public void rewindTopics()
    {
        if (malformedReason == null)
        {
            topicReader.position(topicsPosition);
            topicsRemaining = topicCount;
            partitionsRemaining = 0;
            topicOpen = false;
        }
    }

    /**
     * Step to the next topic to fetch, skipping any partitions of the current one that were not read.
     *
     * @return false when there are no more topics.
     */
    public boolean nextTopic()
    {
        final WireReader r = topicReader;
        while (partitionsRemaining > 0 && nextPartition())
        {
            // Drain the rest of the current topic.
        }
        if (topicOpen)
        {
            topicOpen = false;
            if (flexible)
            {
                r.skipTaggedFields();
            }
        }
        if (topicsRemaining == 0 || r.isMalformed())
        {
            return false;
        }
        topicsRemaining--;

        if (topicIds)
        {
            topicNameOffset = r.position();
            topicNameLength = -1;
            topicIdMostSignificantBits = r.readInt64();
            topicIdLeastSignificantBits = r.readInt64();
        }
        else
        {
            topicNameLength = r.readStringLength(flexible, false);
            topicNameOffset = r.position();
            r.skip(topicNameLength);
        }
        partitionCount = r.readArrayCount(flexible, false);
        partitionsRemaining = partitionCount;
        topicOpen = true;
        return !r.isMalformed();
    }

    /**
     * Step to the next partition of the current topic.
     *
     * @return false when the topic has no more partitions.
     */
    public boolean nextPartition()
    {
        final WireReader r = topicReader;
        if (partitionsRemaining == 0 || r.isMalformed())
        {
            return false;
        }
        partitionsRemaining--;

        partitionIndex = r.readInt32();
        currentLeaderEpoch = version >= FIRST_LEADER_EPOCH_VERSION ? r.readInt32() : -1;
        fetchOffset = r.readInt64();
        lastFetchedEpoch = flexible ? r.readInt32() : -1;
        logStartOffset = version >= FIRST_LOG_START_OFFSET_VERSION ? r.readInt64() : -1;
        partitionMaxBytes = r.readInt32();
        replicaDirectoryIdMostSignificantBits = 0;
        replicaDirectoryIdLeastSignificantBits = 0;
        highWatermark = HIGH_WATERMARK_NOT_SENT;
        if (flexible)
        {
            readPartitionTaggedFields(r);
        }
        return !r.isMalformed();
    }

    public DirectBuffer buffer()
    {
        return reader.buffer();
    }

    public int version()
    {
        return version;
    }

    /** The fetching follower's broker id, or {@link #CONSUMER_REPLICA_ID} for a consumer. */
    public int replicaId()
    {
        return replicaId;
    }

    /** The follower's broker epoch (version 15+), or -1. */
    public long replicaEpoch()
    {
        return replicaEpoch;
    }

    public int maxWaitMs()
    {
        return maxWaitMs;
    }

    public int minBytes()
    {
        return minBytes;
    }

    public int maxBytes()
    {
        return maxBytes;
    }

    /** 0 for READ_UNCOMMITTED, 1 for READ_COMMITTED. */
    public byte isolationLevel()
    {
        return isolationLevel;
    }

    /** The fetch session id (version 7+), or 0. */
    public int sessionId()
    {
        return sessionId;
    }

    /** The fetch session epoch (version 7+), or -1 (no session, a full fetch). */
    public int sessionEpoch()
    {
        return sessionEpoch;
    }

    /** Index in {@link #buffer()} of the consumer's rack id (version 11+). */
    public int rackIdOffset()
    {
        return rackIdOffset;
    }

    /** Length of the rack id in bytes; 0 when empty or before version 11. */
    public int rackIdLength()
    {
        return rackIdLength;
    }

    /** Index in {@link #buffer()} of the tagged cluster id (version 12+). */
    public int clusterIdOffset()
    {
        return clusterIdOffset;
    }

    /** Length of the cluster id in bytes, or -1 when not sent. */
    public int clusterIdLength()
    {
        return clusterIdLength;
    }

    /** Whether topics are named by id (version 13+) rather than by name. */
    public boolean usesTopicIds()
    {
        return topicIds;
    }

    public int topicCount()
    {
        return topicCount;
    }

    /** Index in {@link #buffer()} of the current topic's name (versions 4-12) or of its 16-byte id (13+). */
    public int topicNameOffset()
    {
        return topicNameOffset;
    }

    /** Length of the current topic's name in bytes; -1 from version 13, which sends an id instead. */
    public int topicNameLength()
    {
        return topicNameLength;
    }

    /** The current topic's id (version 13+), high half. */
    public long topicIdMostSignificantBits()
    {
        return topicIdMostSignificantBits;
    }

    /** The current topic's id (version 13+), low half. */
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

    /** The leader epoch the client believes current (version 9+), or -1 for "do not check". */
    public int currentLeaderEpoch()
    {
        return currentLeaderEpoch;
    }

    public long fetchOffset()
    {
        return fetchOffset;
    }

    /** Epoch of the last fetched record (version 12+), or -1. */
    public int lastFetchedEpoch()
    {
        return lastFetchedEpoch;
    }

    /** The follower's log start offset (version 5+), or -1 (consumers send -1). */
    public long logStartOffset()
    {
        return logStartOffset;
    }

    public int partitionMaxBytes()
    {
        return partitionMaxBytes;
    }

    /** The follower's log directory id (tagged, version 17+), high half; 0 when not sent. */
    public long replicaDirectoryIdMostSignificantBits()
    {
        return replicaDirectoryIdMostSignificantBits;
    }

    /** The follower's log directory id (tagged, version 17+), low half; 0 when not sent. */
    public long replicaDirectoryIdLeastSignificantBits()
    {
        return replicaDirectoryIdLeastSignificantBits;
    }

    /** The follower's high watermark (tagged, version 18+), or {@link #HIGH_WATERMARK_NOT_SENT}. */
    public long highWatermark()
    {
        return highWatermark;
    }

    /**
     * The forgotten topics of an incremental fetch (version 7+; none before), checked by {@link #wrap}. The
     * same instance every time, re-pointed by each {@link #wrap}.
     */
    public ForgottenTopicsDecoder forgottenTopics()
    {
        return forgottenTopics;
    }

    /** Why the last {@link #wrap} returned {@link ProtocolErrorCodes#INVALID_REQUEST}, or null. */
    public String malformedReason()
    {
        return malformedReason;
    }

    private void readPartitionTaggedFields(final WireReader r)
    {
        final int count = r.readTaggedFieldCount();
        for (int i = 0; i < count && !r.isMalformed(); i++)
        {
            final int tag = r.readTag();
            final int size = r.readTaggedFieldSize();
            if (tag == DIRECTORY_ID_TAG && version >= FIRST_DIRECTORY_ID_VERSION)
            {
                final int savedLimit = r.beginTaggedField(size);
                replicaDirectoryIdMostSignificantBits = r.readInt64();
                replicaDirectoryIdLeastSignificantBits = r.readInt64();
                r.endTaggedField(savedLimit);
            }
            else if (tag == HIGH_WATERMARK_TAG && version >= FIRST_HIGH_WATERMARK_VERSION)
            {
                final int savedLimit = r.beginTaggedField(size);
                highWatermark = r.readInt64();
                r.endTaggedField(savedLimit);
            }
            else
            {
                r.skip(size);
            }
        }
    }

    private void readRequestTaggedFields()
    {
        final WireReader r = reader;
        final int count = r.readTaggedFieldCount();
        for (int i = 0; i < count && !r.isMalformed(); i++)
        {
            final int tag = r.readTag();
            final int size = r.readTaggedFieldSize();
            if (tag == CLUSTER_ID_TAG)
            {
                final int savedLimit = r.beginTaggedField(size);
                clusterIdLength = r.readStringLength(true, true);
                clusterIdOffset = r.position();
                r.skip(clusterIdLength);
                r.endTaggedField(savedLimit);
            }
            else if (tag == REPLICA_STATE_TAG && version >= FIRST_REPLICA_STATE_VERSION)
            {
                final int savedLimit = r.beginTaggedField(size);
                replicaId = r.readInt32();
                replicaEpoch = r.readInt64();
                r.skipTaggedFields();
                r.endTaggedField(savedLimit);
            }
            else
            {
                r.skip(size);
            }
        }
    }

    private void endIteration()
    {
        topicsRemaining = 0;
        partitionsRemaining = 0;
        topicOpen = false;
    }

    private static String firstNonNull(final String a, final String b, final String c)
    {
        return a != null ? a : b != null ? b : c;
    }
}
