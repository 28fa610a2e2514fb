package io.sluice.broker.group;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.metrics.CommittedOffsetCounters;
import io.sluice.broker.topic.TopicName;

/**
 * The group coordinator's settings, under Kafka's property names: session timeout bounds, the initial rebalance
 * delay, the group size limit, offset metadata size, offset retention, and the shape of {@code __consumer_offsets}.
 *
 * <p>A Context: fluent setters, then {@link #conclude()} checks them. Not thread-safe while being filled; read-only
 * afterwards.
 */
public final class GroupCoordinatorContext
{
    /** Kafka's name for the topic that keeps committed offsets and group metadata. */
    public static final String OFFSETS_TOPIC = TopicName.CONSUMER_OFFSETS;
    /**
     * How long a member that has never completed a join may stay parked in one: its socket may be gone, and it
     * would simply rejoin (Kafka's fixed 5 minutes).
     */
    static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

    private int minSessionTimeoutMs = 6000;
    private int maxSessionTimeoutMs = 1_800_000;
    private int initialRebalanceDelayMs = 3000;
    private int maxGroupSize = Integer.MAX_VALUE;
    private int offsetMetadataMaxBytes = 4096;
    private int offsetsTopicPartitions = 50;
    private int offsetsTopicSegmentBytes = 100 * 1024 * 1024;
    private long offsetsRetentionMs = 7L * 24 * 60 * 60 * 1000;
    private long offsetsRetentionCheckIntervalMs = 600_000;
    private boolean forceWrites = true;
    private CommittedOffsetCounters committedOffsets;

    /** The settings a broker configuration gives (its values are checked by {@link BrokerConfig#conclude()}). */
    public static GroupCoordinatorContext from(final BrokerConfig config)
    {
        return new GroupCoordinatorContext()
            .minSessionTimeoutMs(Integer.parseInt(config.value(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS)))
            .maxSessionTimeoutMs(Integer.parseInt(config.value(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS)))
            .initialRebalanceDelayMs(config.groupInitialRebalanceDelayMs())
            .maxGroupSize(Integer.parseInt(config.value(BrokerConfig.GROUP_MAX_SIZE)))
            .offsetMetadataMaxBytes(Integer.parseInt(config.value(BrokerConfig.OFFSET_METADATA_MAX_BYTES)))
            .offsetsTopicPartitions(config.offsetsTopicNumPartitions())
            .offsetsTopicSegmentBytes(Integer.parseInt(config.value(BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES)))
            .offsetsRetentionMs(Long.parseLong(config.value(BrokerConfig.OFFSETS_RETENTION_MINUTES)) * 60_000)
            .offsetsRetentionCheckIntervalMs(
                Long.parseLong(config.value(BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS)))
            .forceWrites(config.acksAllFlush())
            .conclude();
    }

    /**
     * @throws IllegalArgumentException naming the first setting out of range.
     */
    public GroupCoordinatorContext conclude()
    {
        if (minSessionTimeoutMs < 1 || maxSessionTimeoutMs < minSessionTimeoutMs)
        {
            throw new IllegalArgumentException("invalid " + BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS + ": " +
                maxSessionTimeoutMs + " is below " + BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS + " " + minSessionTimeoutMs);
        }
        if (initialRebalanceDelayMs < 0 || maxGroupSize < 1 || offsetMetadataMaxBytes < 0 || offsetsTopicPartitions < 1 ||
            offsetsTopicSegmentBytes < 14 || offsetsRetentionMs < 1 || offsetsRetentionCheckIntervalMs < 1)
        {
            throw new IllegalArgumentException("invalid group coordinator settings: " + this);
        }
        return this;
    }

    public GroupCoordinatorContext minSessionTimeoutMs(final int value)
    {
        minSessionTimeoutMs = value;
        return this;
    }

    public int minSessionTimeoutMs()
    {
        return minSessionTimeoutMs;
    }

    public GroupCoordinatorContext maxSessionTimeoutMs(final int value)
    {
        maxSessionTimeoutMs = value;
        return this;
    }

    public int maxSessionTimeoutMs()
    {
        return maxSessionTimeoutMs;
    }

    /** {@code group.initial.rebalance.delay.ms}: how long the first rebalance of an empty group waits for more members. */
    public GroupCoordinatorContext initialRebalanceDelayMs(final int value)
    {
        initialRebalanceDelayMs = value;
        return this;
    }

    public int initialRebalanceDelayMs()
    {
        return initialRebalanceDelayMs;
    }

    public GroupCoordinatorContext maxGroupSize(final int value)
    {
        maxGroupSize = value;
        return this;
    }

    public int maxGroupSize()
    {
        return maxGroupSize;
    }

    public GroupCoordinatorContext offsetMetadataMaxBytes(final int value)
    {
        offsetMetadataMaxBytes = value;
        return this;
    }

    public int offsetMetadataMaxBytes()
    {
        return offsetMetadataMaxBytes;
    }

    public GroupCoordinatorContext offsetsTopicPartitions(final int value)
    {
        offsetsTopicPartitions = value;
        return this;
    }

    /** {@code offsets.topic.num.partitions}: used when the topic is created; an existing topic keeps its count. */
    public int offsetsTopicPartitions()
    {
        return offsetsTopicPartitions;
    }

    public GroupCoordinatorContext offsetsTopicSegmentBytes(final int value)
    {
        offsetsTopicSegmentBytes = value;
        return this;
    }

    public int offsetsTopicSegmentBytes()
    {
        return offsetsTopicSegmentBytes;
    }

    public GroupCoordinatorContext offsetsRetentionMs(final long value)
    {
        offsetsRetentionMs = value;
        return this;
    }

    /** How long the offsets of a group without members (or a standalone consumer's) are kept after the last commit. */
    public long offsetsRetentionMs()
    {
        return offsetsRetentionMs;
    }

    public GroupCoordinatorContext offsetsRetentionCheckIntervalMs(final long value)
    {
        offsetsRetentionCheckIntervalMs = value;
        return this;
    }

    public long offsetsRetentionCheckIntervalMs()
    {
        return offsetsRetentionCheckIntervalMs;
    }

    /** Force each write to disk before answering (the broker's {@code acks=all} policy). */
    public GroupCoordinatorContext forceWrites(final boolean value)
    {
        forceWrites = value;
        return this;
    }

    public boolean forceWrites()
    {
        return forceWrites;
    }

    /** Where committed offsets are mirrored for lag in the counters file; null (the default) for nowhere. */
    public GroupCoordinatorContext committedOffsets(final CommittedOffsetCounters counters)
    {
        committedOffsets = counters;
        return this;
    }

    public CommittedOffsetCounters committedOffsets()
    {
        return committedOffsets;
    }

    @Override
    public String toString()
    {
        return "session timeout " + minSessionTimeoutMs + ".." + maxSessionTimeoutMs + " ms, initial rebalance delay " +
            initialRebalanceDelayMs + " ms, max group size " + maxGroupSize + ", offset metadata max " +
            offsetMetadataMaxBytes + " bytes, " + offsetsTopicPartitions + " offsets partitions of " +
            offsetsTopicSegmentBytes + "-byte segments, offsets retention " + offsetsRetentionMs + " ms checked every " +
            offsetsRetentionCheckIntervalMs + " ms";
    }
}
