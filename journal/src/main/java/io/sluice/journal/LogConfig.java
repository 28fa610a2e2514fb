package io.sluice.journal;

/**
 * Per-partition storage settings, named after their Kafka topic configs. Fluent setters, then
 * {@link #conclude()} validates. Immutable in use: change a log's settings by passing a new instance to
 * {@link PartitionLog#config}.
 */
public final class LogConfig
{
    /** {@code cleanup.policy} value: whole segments go by {@code retention.ms} and {@code retention.bytes}. */
    public static final String DELETE = "delete";
    /** {@code cleanup.policy} value: the cleaner keeps the latest record per key. */
    public static final String COMPACT = "compact";

    private int segmentBytes = 1024 * 1024 * 1024;
    private long segmentMs = 7L * 24 * 60 * 60 * 1000;
    private int segmentIndexBytes = 10 * 1024 * 1024;
    private int indexIntervalBytes = 4096;
    private long retentionMs = 7L * 24 * 60 * 60 * 1000;
    private long retentionBytes = -1;
    private long flushMessages = Long.MAX_VALUE;
    private long flushMs = Long.MAX_VALUE;
    private int maxMessageBytes = 1024 * 1024 + 12;
    private long fileDeleteDelayMs = 60_000;
    private boolean logAppendTime;
    private long checkpointIntervalMs = 60_000;
    private long producerIdExpirationMs = 24L * 60 * 60 * 1000;
    private String cleanupPolicy = DELETE;
    private boolean compact;
    private boolean delete = true;
    private long deleteRetentionMs = 24L * 60 * 60 * 1000;
    private double minCleanableDirtyRatio = 0.5;
    private long minCompactionLagMs;
    private long maxCompactionLagMs = Long.MAX_VALUE;

    public LogConfig segmentBytes(final int value)
    {
        segmentBytes = value;
        return this;
    }

    public int segmentBytes()
    {
        return segmentBytes;
    }

    public LogConfig segmentMs(final long value)
    {
        segmentMs = value;
        return this;
    }

    public long segmentMs()
    {
        return segmentMs;
    }

    public LogConfig segmentIndexBytes(final int value)
    {
        segmentIndexBytes = value;
        return this;
    }

    public int segmentIndexBytes()
    {
        return segmentIndexBytes;
    }

    public LogConfig indexIntervalBytes(final int value)
    {
        indexIntervalBytes = value;
        return this;
    }

    public int indexIntervalBytes()
    {
        return indexIntervalBytes;
    }

    public LogConfig retentionMs(final long value)
    {
        retentionMs = value;
        return this;
    }

    /** -1 keeps data forever. */
    public long retentionMs()
    {
        return retentionMs;
    }

    public LogConfig retentionBytes(final long value)
    {
        retentionBytes = value;
        return this;
    }

    /** -1 for no size limit. */
    public long retentionBytes()
    {
        return retentionBytes;
    }

    public LogConfig flushMessages(final long value)
    {
        flushMessages = value;
        return this;
    }

    public long flushMessages()
    {
        return flushMessages;
    }

    public LogConfig flushMs(final long value)
    {
        flushMs = value;
        return this;
    }

    public long flushMs()
    {
        return flushMs;
    }

    public LogConfig maxMessageBytes(final int value)
    {
        maxMessageBytes = value;
        return this;
    }

    public int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    public LogConfig fileDeleteDelayMs(final long value)
    {
        fileDeleteDelayMs = value;
        return this;
    }

    public long fileDeleteDelayMs()
    {
        return fileDeleteDelayMs;
    }

    /** {@code message.timestamp.type=LogAppendTime}: the broker stamps its clock into each batch. */
    public LogConfig logAppendTime(final boolean value)
    {
        logAppendTime = value;
        return this;
    }

    public boolean logAppendTime()
    {
        return logAppendTime;
    }

    /**
     * How often the recovery point and high watermark are checkpointed when they change
     * ({@code log.flush.offset.checkpoint.interval.ms}); a lagging checkpoint only makes recovery re-read more.
     */
    public LogConfig checkpointIntervalMs(final long value)
    {
        checkpointIntervalMs = value;
        return this;
    }

    public long checkpointIntervalMs()
    {
        return checkpointIntervalMs;
    }

    /** How long a producer id's state outlives its last batch ({@code producer.id.expiration.ms}). */
    public LogConfig producerIdExpirationMs(final long value)
    {
        producerIdExpirationMs = value;
        return this;
    }

    public long producerIdExpirationMs()
    {
        return producerIdExpirationMs;
    }

    /**
     * {@code cleanup.policy}: {@code delete}, {@code compact}, or both as a comma-separated list in either order
     * ({@code compact,delete}). A log whose policy lacks {@code delete} ignores {@code retention.ms} and
     * {@code retention.bytes}, as Kafka's compacted-only topics do.
     */
    public LogConfig cleanupPolicy(final String value)
    {
        cleanupPolicy = value;
        return this;
    }

    public String cleanupPolicy()
    {
        return cleanupPolicy;
    }

    /** True when the cleanup policy includes {@code compact} (valid after {@link #conclude()}). */
    public boolean compact()
    {
        return compact;
    }

    /** True when the cleanup policy includes {@code delete} (valid after {@link #conclude()}). */
    public boolean delete()
    {
        return delete;
    }

    /**
     * {@code delete.retention.ms}: how long a tombstone outlives the first cleaning that saw it, so that a
     * consumer reading from the start has time to see the delete.
     */
    public LogConfig deleteRetentionMs(final long value)
    {
        deleteRetentionMs = value;
        return this;
    }

    public long deleteRetentionMs()
    {
        return deleteRetentionMs;
    }

    /**
     * {@code min.cleanable.dirty.ratio}: a log is cleaned once the bytes written since the last cleaning are more
     * than this fraction of its cleanable bytes.
     */
    public LogConfig minCleanableDirtyRatio(final double value)
    {
        minCleanableDirtyRatio = value;
        return this;
    }

    public double minCleanableDirtyRatio()
    {
        return minCleanableDirtyRatio;
    }

    /** {@code min.compaction.lag.ms}: a segment holding a record younger than this is not cleaned. */
    public LogConfig minCompactionLagMs(final long value)
    {
        minCompactionLagMs = value;
        return this;
    }

    public long minCompactionLagMs()
    {
        return minCompactionLagMs;
    }

    /**
     * {@code max.compaction.lag.ms}: a log whose oldest uncleaned segment starts with a batch older than this is
     * cleaned whatever its dirty ratio.
     */
    public LogConfig maxCompactionLagMs(final long value)
    {
        maxCompactionLagMs = value;
        return this;
    }

    public long maxCompactionLagMs()
    {
        return maxCompactionLagMs;
    }

    /**
     * Validate the settings.
     *
     * @throws IllegalArgumentException naming the first setting that is out of range.
     */
    public LogConfig conclude()
    {
        require(segmentBytes >= 14, "segment.bytes", segmentBytes);
        require(segmentMs >= 1, "segment.ms", segmentMs);
        require(segmentIndexBytes >= 8, "segment.index.bytes", segmentIndexBytes);
        require(indexIntervalBytes >= 0, "index.interval.bytes", indexIntervalBytes);
        require(retentionMs >= -1, "retention.ms", retentionMs);
        require(retentionBytes >= -1, "retention.bytes", retentionBytes);
        require(flushMessages >= 1, "flush.messages", flushMessages);
        require(flushMs >= 0, "flush.ms", flushMs);
        require(maxMessageBytes >= 0, "max.message.bytes", maxMessageBytes);
        require(fileDeleteDelayMs >= 0, "file.delete.delay.ms", fileDeleteDelayMs);
        require(producerIdExpirationMs >= 1, "producer.id.expiration.ms", producerIdExpirationMs);
        require(checkpointIntervalMs >= 0, "log.flush.offset.checkpoint.interval.ms", checkpointIntervalMs);
        require(deleteRetentionMs >= 0, "delete.retention.ms", deleteRetentionMs);
        require(minCompactionLagMs >= 0, "min.compaction.lag.ms", minCompactionLagMs);
        require(maxCompactionLagMs >= 1, "max.compaction.lag.ms", maxCompactionLagMs);
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1))
        {
            throw new IllegalArgumentException("invalid min.cleanable.dirty.ratio: " + minCleanableDirtyRatio);
        }
        parseCleanupPolicy();
        return this;
    }

    private void parseCleanupPolicy()
    {
        boolean hasCompact = false;
        boolean hasDelete = false;
        if (cleanupPolicy == null)
        {
            throw new IllegalArgumentException("invalid cleanup.policy: null");
        }
        final String[] parts = cleanupPolicy.split(",", -1);
        for (final String part : parts)
        {
            final String policy = part.trim();
            if (COMPACT.equals(policy) && !hasCompact)
            {
                hasCompact = true;
            }
            else if (DELETE.equals(policy) && !hasDelete)
            {
                hasDelete = true;
            }
            else
            {
                throw new IllegalArgumentException("invalid cleanup.policy: " + cleanupPolicy);
            }
        }
        compact = hasCompact;
        delete = hasDelete;
    }

    private static void require(final boolean condition, final String name, final long value)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("invalid " + name + ": " + value);
        }
    }
}
