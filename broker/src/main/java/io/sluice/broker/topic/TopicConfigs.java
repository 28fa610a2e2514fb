package io.sluice.broker.topic;

import io.sluice.broker.BrokerConfig;
import io.sluice.journal.LogConfig;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The topic-level configs a topic may override, under Kafka's names, each with the broker property that gives
 * its default. Stateless and thread-safe.
 */
public final class TopicConfigs
{
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String SEGMENT_MS = "segment.ms";

    private static final Map<String, Entry> ENTRIES = new TreeMap<>();

    static
    {
        add(CLEANUP_POLICY, BrokerConfig.LOG_CLEANUP_POLICY, 0, 0, "delete", "compact", "compact,delete", "delete,compact");
        add(COMPRESSION_TYPE, BrokerConfig.COMPRESSION_TYPE, 0, 0, "producer");
        add(DELETE_RETENTION_MS, BrokerConfig.LOG_CLEANER_DELETE_RETENTION_MS, 0, Long.MAX_VALUE);
        add(FILE_DELETE_DELAY_MS, BrokerConfig.LOG_SEGMENT_DELETE_DELAY_MS, 0, Long.MAX_VALUE);
        add(FLUSH_MESSAGES, BrokerConfig.LOG_FLUSH_INTERVAL_MESSAGES, 1, Long.MAX_VALUE);
        add(FLUSH_MS, BrokerConfig.LOG_FLUSH_INTERVAL_MS, 0, Long.MAX_VALUE);
        add(INDEX_INTERVAL_BYTES, BrokerConfig.LOG_INDEX_INTERVAL_BYTES, 0, Integer.MAX_VALUE);
        add(MAX_COMPACTION_LAG_MS, BrokerConfig.LOG_CLEANER_MAX_COMPACTION_LAG_MS, 1, Long.MAX_VALUE);
        add(MAX_MESSAGE_BYTES, BrokerConfig.MESSAGE_MAX_BYTES, 0, Integer.MAX_VALUE);
        add(MESSAGE_TIMESTAMP_TYPE, BrokerConfig.LOG_MESSAGE_TIMESTAMP_TYPE, 0, 0, "CreateTime", "LogAppendTime");
        ENTRIES.put(MIN_CLEANABLE_DIRTY_RATIO, new Entry(BrokerConfig.LOG_CLEANER_MIN_CLEANABLE_RATIO, 0, 1, null,
            config -> config.value(BrokerConfig.LOG_CLEANER_MIN_CLEANABLE_RATIO), true));
        add(MIN_COMPACTION_LAG_MS, BrokerConfig.LOG_CLEANER_MIN_COMPACTION_LAG_MS, 0, Long.MAX_VALUE);
        add(MIN_INSYNC_REPLICAS, BrokerConfig.MIN_INSYNC_REPLICAS, 1, Integer.MAX_VALUE);
        add(RETENTION_BYTES, BrokerConfig.LOG_RETENTION_BYTES, -1, Long.MAX_VALUE);
        ENTRIES.put(RETENTION_MS, new Entry(BrokerConfig.LOG_RETENTION_MS, -1, Long.MAX_VALUE, null,
            config -> Long.toString(config.logConfig().retentionMs()), false));
        add(SEGMENT_BYTES, BrokerConfig.LOG_SEGMENT_BYTES, 14, Integer.MAX_VALUE);
        add(SEGMENT_INDEX_BYTES, BrokerConfig.LOG_INDEX_SIZE_MAX_BYTES, 8, Integer.MAX_VALUE);
        ENTRIES.put(SEGMENT_MS, new Entry(BrokerConfig.LOG_ROLL_MS, 1, Long.MAX_VALUE, null,
            config -> Long.toString(config.logConfig().segmentMs()), false));
    }

    private TopicConfigs()
    {
    }

    private static void add(final String name, final String brokerKey, final long min, final long max, final String... allowed)
    {
        ENTRIES.put(name, new Entry(brokerKey, min, max, allowed.length == 0 ? null : allowed,
            config -> config.value(brokerKey), false));
    }

    /** Every topic config name, sorted. */
    public static Iterable<String> names()
    {
        return Collections.unmodifiableSet(ENTRIES.keySet());
    }

    public static boolean isKnown(final String name)
    {
        return ENTRIES.containsKey(name);
    }

    /** The broker property whose value a topic gets when it does not override {@code name}. */
    public static String brokerKey(final String name)
    {
        return entry(name).brokerKey;
    }

    /** The value a topic without an override has for {@code name} on this broker. */
    public static String defaultValue(final String name, final BrokerConfig broker)
    {
        return entry(name).defaultValue.apply(broker);
    }

    /** Why {@code value} is not acceptable for {@code name}, or null when it is. */
    public static String invalidReason(final String name, final String value)
    {
        final Entry entry = ENTRIES.get(name);
        if (entry == null)
        {
            return "unknown topic config " + name;
        }
        if (value == null)
        {
            return "null value for " + name;
        }
        if (entry.allowed != null)
        {
            for (final String candidate : entry.allowed)
            {
                if (candidate.equals(value))
                {
                    return null;
                }
            }
            return "invalid value '" + value + "' for " + name + " (one of " + String.join(", ", entry.allowed) + ")";
        }
        try
        {
            if (entry.fractional)
            {
                final double parsed = Double.parseDouble(value.trim());
                if (!(parsed >= entry.min && parsed <= entry.max))
                {
                    return "invalid value " + parsed + " for " + name + " (allowed " + entry.min + ".." + entry.max + ")";
                }
                return null;
            }
            final long parsed = Long.parseLong(value.trim());
            if (parsed < entry.min || parsed > entry.max)
            {
                return "invalid value " + parsed + " for " + name + " (allowed " + entry.min + ".." + entry.max + ")";
            }
        }
        catch (final NumberFormatException ex)
        {
            return "invalid value '" + value + "' for " + name + " (not a number)";
        }
        return null;
    }

    /** Why {@code overrides} is not an acceptable set of topic configs, or null when every one is valid. */
    public static String invalidReason(final Map<String, String> overrides)
    {
        for (final Map.Entry<String, String> entry : overrides.entrySet())
        {
            final String reason = invalidReason(entry.getKey(), entry.getValue());
            if (reason != null)
            {
                return reason;
            }
        }
        return null;
    }

    /** The effective value of {@code name} for a topic with {@code overrides}. */
    public static String value(final String name, final Map<String, String> overrides, final BrokerConfig broker)
    {
        final String override = overrides.get(name);
        return override != null ? override : defaultValue(name, broker);
    }

    /** The storage settings of a topic: the broker's, with the topic's valid {@code overrides} applied. */
    public static LogConfig logConfig(final BrokerConfig broker, final Map<String, String> overrides)
    {
        final LogConfig defaults = broker.logConfig();
        return new LogConfig()
            .segmentBytes((int)longValue(SEGMENT_BYTES, overrides, defaults.segmentBytes()))
            .segmentMs(longValue(SEGMENT_MS, overrides, defaults.segmentMs()))
            .segmentIndexBytes((int)longValue(SEGMENT_INDEX_BYTES, overrides, defaults.segmentIndexBytes()))
            .indexIntervalBytes((int)longValue(INDEX_INTERVAL_BYTES, overrides, defaults.indexIntervalBytes()))
            .retentionMs(longValue(RETENTION_MS, overrides, defaults.retentionMs()))
            .retentionBytes(longValue(RETENTION_BYTES, overrides, defaults.retentionBytes()))
            .flushMessages(longValue(FLUSH_MESSAGES, overrides, defaults.flushMessages()))
            .flushMs(longValue(FLUSH_MS, overrides, defaults.flushMs()))
            .maxMessageBytes((int)longValue(MAX_MESSAGE_BYTES, overrides, defaults.maxMessageBytes()))
            .fileDeleteDelayMs(longValue(FILE_DELETE_DELAY_MS, overrides, defaults.fileDeleteDelayMs()))
            .logAppendTime(overrides.containsKey(MESSAGE_TIMESTAMP_TYPE) ?
                "LogAppendTime".equals(overrides.get(MESSAGE_TIMESTAMP_TYPE)) : defaults.logAppendTime())
            .cleanupPolicy(value(CLEANUP_POLICY, overrides, broker))
            .deleteRetentionMs(longValue(DELETE_RETENTION_MS, overrides, defaults.deleteRetentionMs()))
            .minCleanableDirtyRatio(Double.parseDouble(value(MIN_CLEANABLE_DIRTY_RATIO, overrides, broker).trim()))
            .minCompactionLagMs(longValue(MIN_COMPACTION_LAG_MS, overrides, defaults.minCompactionLagMs()))
            .maxCompactionLagMs(longValue(MAX_COMPACTION_LAG_MS, overrides, defaults.maxCompactionLagMs()))
            .conclude();
    }

    /** {@code min.insync.replicas} of a topic with {@code overrides}. */
    public static int minInsyncReplicas(final BrokerConfig broker, final Map<String, String> overrides)
    {
        return Integer.parseInt(value(MIN_INSYNC_REPLICAS, overrides, broker).trim());
    }

    private static long longValue(final String name, final Map<String, String> overrides, final long fallback)
    {
        final String override = overrides.get(name);
        return override != null ? Long.parseLong(override.trim()) : fallback;
    }

    private static Entry entry(final String name)
    {
        final Entry entry = ENTRIES.get(name);
        if (entry == null)
        {
            throw new IllegalArgumentException("unknown topic config " + name);
        }
        return entry;
    }

    /** @param fractional the value is a decimal number (a ratio) rather than an integer. */
    private record Entry(
        String brokerKey, long min, long max, String[] allowed, Function<BrokerConfig, String> defaultValue, boolean fractional)
    {
    }
}
