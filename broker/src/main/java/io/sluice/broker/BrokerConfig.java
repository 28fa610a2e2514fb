package io.sluice.broker;

import io.sluice.broker.metrics.MetricsFile;
import io.sluice.journal.LogConfig;
import io.sluice.journal.compaction.CleanerContext;
import io.sluice.transport.TransportContext;
import io.sluice.tuning.CpuList;
import io.sluice.tuning.IdleStrategySpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The broker's configuration, under Apache Kafka's property names where the concept is the same.
 *
 * <p>A Context: {@link #set} (or {@link #load} a properties file) for each property, then {@link #conclude()}
 * validates everything and derives the typed values. Every failure is an {@link IllegalArgumentException}
 * whose message names the property, so {@link BrokerMain} can print it as the one line a bad start gives.
 * Not thread-safe while being filled; immutable after {@code conclude()}.
 */
public final class BrokerConfig
{
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String NODE_ID = "node.id";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";
    public static final String LOG_RETENTION_MS = "log.retention.ms";
    public static final String LOG_RETENTION_MINUTES = "log.retention.minutes";
    public static final String LOG_RETENTION_HOURS = "log.retention.hours";
    public static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    public static final String LOG_FLUSH_INTERVAL_MESSAGES = "log.flush.interval.messages";
    public static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    public static final String LOG_SEGMENT_DELETE_DELAY_MS = "log.segment.delete.delay.ms";
    public static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";
    public static final String LOG_MESSAGE_TIMESTAMP_TYPE = "log.message.timestamp.type";
    public static final String LOG_CLEANER_ENABLE = "log.cleaner.enable";
    public static final String LOG_CLEANER_THREADS = "log.cleaner.threads";
    public static final String LOG_CLEANER_DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String LOG_CLEANER_IO_BUFFER_SIZE = "log.cleaner.io.buffer.size";
    public static final String LOG_CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String LOG_CLEANER_MIN_CLEANABLE_RATIO = "log.cleaner.min.cleanable.ratio";
    public static final String LOG_CLEANER_DELETE_RETENTION_MS = "log.cleaner.delete.retention.ms";
    public static final String LOG_CLEANER_MIN_COMPACTION_LAG_MS = "log.cleaner.min.compaction.lag.ms";
    public static final String LOG_CLEANER_MAX_COMPACTION_LAG_MS = "log.cleaner.max.compaction.lag.ms";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_SHARDS = "num.shards";
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    public static final String OFFSETS_TOPIC_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    /** Sluice: {@code acks=all} is answered only after its batch is forced to disk (group commit). */
    public static final String ACKS_ALL_FLUSH = "sluice.acks.all.flush";
    /** Sluice: how idle shard threads wait for work, as {@link IdleStrategySpec#parse} reads it. */
    public static final String IDLE_STRATEGY_SHARD = "sluice.idle.strategy.shard";
    /** Sluice: how idle network event loops wait for work, as {@link IdleStrategySpec#parse} reads it. */
    public static final String IDLE_STRATEGY_NETWORK = "sluice.idle.strategy.network";
    /** Sluice: CPUs the shard threads are pinned to in turn, as {@link CpuList#parse} reads them; empty: unpinned. */
    public static final String AFFINITY_SHARD = "sluice.affinity.shard";
    /** Sluice: CPUs the network event loops are pinned to in turn, as {@link CpuList#parse} reads them. */
    public static final String AFFINITY_NETWORK = "sluice.affinity.network";
    /**
     * Sluice: {@code split} runs {@code num.network.threads} event loops on threads of their own beside the shard
     * threads; {@code colocated} runs one event loop on each shard's thread instead (and ignores
     * {@code num.network.threads}), so a request whose partition is on the shard that read it never changes thread.
     */
    public static final String THREAD_MODEL = "sluice.thread.model";
    /**
     * Sluice: a response carrying at most this many bytes of log data is sent as one write, the data read into it,
     * instead of writes around sendfile; 0 always uses sendfile.
     */
    public static final String FETCH_INLINE_MAX_BYTES = "sluice.fetch.inline.max.bytes";
    /** Sluice: slots in each shard's request ring (a power of two). */
    public static final String SHARD_RING_SIZE = "sluice.shard.ring.size";
    /** Sluice: the counters file {@code sluice stat} reads; empty means {@code sluice-counters.dat} in the first log dir. */
    public static final String METRICS_FILE = "sluice.metrics.file";
    /** Where to serve Prometheus metrics, {@code http://host:port}; empty (the default) serves none. */
    public static final String METRICS_LISTENER = "metrics.listener";

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static
    {
        DEFAULTS.put(LISTENERS, "PLAINTEXT://127.0.0.1:9092,NATIVE://127.0.0.1:9093");
        DEFAULTS.put(ADVERTISED_LISTENERS, "");
        DEFAULTS.put(LOG_DIRS, "");
        DEFAULTS.put(LOG_DIR, "./data");
        DEFAULTS.put(NODE_ID, "1");
        DEFAULTS.put(NUM_PARTITIONS, "1");
        DEFAULTS.put(DEFAULT_REPLICATION_FACTOR, "1");
        DEFAULTS.put(AUTO_CREATE_TOPICS_ENABLE, "true");
        DEFAULTS.put(DELETE_TOPIC_ENABLE, "true");
        DEFAULTS.put(LOG_SEGMENT_BYTES, Integer.toString(1024 * 1024 * 1024));
        DEFAULTS.put(LOG_ROLL_MS, "");
        DEFAULTS.put(LOG_ROLL_HOURS, "168");
        DEFAULTS.put(LOG_RETENTION_MS, "");
        DEFAULTS.put(LOG_RETENTION_MINUTES, "");
        DEFAULTS.put(LOG_RETENTION_HOURS, "168");
        DEFAULTS.put(LOG_RETENTION_BYTES, "-1");
        DEFAULTS.put(LOG_FLUSH_INTERVAL_MESSAGES, Long.toString(Long.MAX_VALUE));
        DEFAULTS.put(LOG_FLUSH_INTERVAL_MS, Long.toString(Long.MAX_VALUE));
        DEFAULTS.put(LOG_INDEX_INTERVAL_BYTES, "4096");
        DEFAULTS.put(LOG_INDEX_SIZE_MAX_BYTES, Integer.toString(10 * 1024 * 1024));
        DEFAULTS.put(LOG_SEGMENT_DELETE_DELAY_MS, "60000");
        DEFAULTS.put(LOG_CLEANUP_POLICY, "delete");
        DEFAULTS.put(LOG_MESSAGE_TIMESTAMP_TYPE, "CreateTime");
        DEFAULTS.put(LOG_CLEANER_ENABLE, "true");
        DEFAULTS.put(LOG_CLEANER_THREADS, "1");
        DEFAULTS.put(LOG_CLEANER_DEDUPE_BUFFER_SIZE, Integer.toString(32 * 1024 * 1024));
        DEFAULTS.put(LOG_CLEANER_IO_BUFFER_SIZE, Integer.toString(512 * 1024));
        DEFAULTS.put(LOG_CLEANER_BACKOFF_MS, "15000");
        DEFAULTS.put(LOG_CLEANER_MIN_CLEANABLE_RATIO, "0.5");
        DEFAULTS.put(LOG_CLEANER_DELETE_RETENTION_MS, "86400000");
        DEFAULTS.put(LOG_CLEANER_MIN_COMPACTION_LAG_MS, "0");
        DEFAULTS.put(LOG_CLEANER_MAX_COMPACTION_LAG_MS, Long.toString(Long.MAX_VALUE));
        DEFAULTS.put(COMPRESSION_TYPE, "producer");
        DEFAULTS.put(MIN_INSYNC_REPLICAS, "1");
        DEFAULTS.put(MESSAGE_MAX_BYTES, Integer.toString(1024 * 1024 + 12));
        DEFAULTS.put(SOCKET_REQUEST_MAX_BYTES, Integer.toString(100 * 1024 * 1024));
        DEFAULTS.put(SOCKET_SEND_BUFFER_BYTES, Integer.toString(100 * 1024));
        DEFAULTS.put(SOCKET_RECEIVE_BUFFER_BYTES, Integer.toString(100 * 1024));
        DEFAULTS.put(NUM_NETWORK_THREADS, Integer.toString(Math.max(1, CORES / 2)));
        DEFAULTS.put(NUM_SHARDS, Integer.toString(CORES));
        DEFAULTS.put(OFFSETS_TOPIC_NUM_PARTITIONS, "50");
        DEFAULTS.put(GROUP_INITIAL_REBALANCE_DELAY_MS, "3000");
        DEFAULTS.put(GROUP_MIN_SESSION_TIMEOUT_MS, "6000");
        DEFAULTS.put(GROUP_MAX_SESSION_TIMEOUT_MS, "1800000");
        DEFAULTS.put(GROUP_MAX_SIZE, Integer.toString(Integer.MAX_VALUE));
        DEFAULTS.put(OFFSET_METADATA_MAX_BYTES, "4096");
        DEFAULTS.put(OFFSETS_TOPIC_SEGMENT_BYTES, Integer.toString(100 * 1024 * 1024));
        DEFAULTS.put(OFFSETS_TOPIC_REPLICATION_FACTOR, "1");
        DEFAULTS.put(OFFSETS_RETENTION_MINUTES, "10080");
        DEFAULTS.put(OFFSETS_RETENTION_CHECK_INTERVAL_MS, "600000");
        DEFAULTS.put(ACKS_ALL_FLUSH, "true");
        DEFAULTS.put(IDLE_STRATEGY_SHARD, "blocking");
        DEFAULTS.put(IDLE_STRATEGY_NETWORK, "blocking");
        DEFAULTS.put(AFFINITY_SHARD, "");
        DEFAULTS.put(AFFINITY_NETWORK, "");
        DEFAULTS.put(THREAD_MODEL, "split");
        DEFAULTS.put(FETCH_INLINE_MAX_BYTES, Integer.toString(TransportContext.INLINE_REGION_MAX_BYTES_DEFAULT));
        DEFAULTS.put(SHARD_RING_SIZE, "1024");
        DEFAULTS.put(METRICS_FILE, "");
        DEFAULTS.put(METRICS_LISTENER, "");
    }

    private final Map<String, String> explicit = new LinkedHashMap<>();
    private boolean concluded;

    private List<Endpoint> listeners;
    private List<Endpoint> advertisedListeners;
    private List<Path> logDirs;
    private int nodeId;
    private int numPartitions;
    private short defaultReplicationFactor;
    private boolean autoCreateTopics;
    private boolean deleteTopicEnable;
    private int messageMaxBytes;
    private int socketRequestMaxBytes;
    private int socketSendBufferBytes;
    private int socketReceiveBufferBytes;
    private int numNetworkThreads;
    private int numShards;
    private int offsetsTopicNumPartitions;
    private int groupInitialRebalanceDelayMs;
    private boolean acksAllFlush;
    private boolean colocated;
    private int fetchInlineMaxBytes;
    private IdleStrategySpec shardIdleStrategy;
    private IdleStrategySpec networkIdleStrategy;
    private CpuList shardAffinity;
    private CpuList networkAffinity;
    private int shardRingSize;
    private Path metricsFile;
    private String metricsListenerHost;
    private int metricsListenerPort = -1;
    private LogConfig logConfig;
    private CleanerContext cleanerContext;

    /** The property names the broker knows, each with its default ("" when derived from another). */
    public static Map<String, String> defaults()
    {
        return Collections.unmodifiableMap(DEFAULTS);
    }

    /**
     * Set one property.
     *
     * @throws IllegalArgumentException for a property the broker does not know.
     */
    public BrokerConfig set(final String key, final String value)
    {
        checkNotConcluded();
        if (!DEFAULTS.containsKey(key))
        {
            throw new IllegalArgumentException("unknown property " + key);
        }
        explicit.put(key, value.trim());
        return this;
    }

    /**
     * Set every property of a Java properties file; later {@link #set} calls override them.
     *
     * @throws IllegalArgumentException when the file cannot be read or names an unknown property.
     */
    public BrokerConfig load(final Path file)
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + ex.getMessage());
        }
        for (final String key : properties.stringPropertyNames())
        {
            set(key, properties.getProperty(key));
        }
        return this;
    }

    /**
     * Set {@code key=value} as written on a command line after {@code --override}.
     *
     * @throws IllegalArgumentException when there is no '=' or the key is unknown.
     */
    public BrokerConfig override(final String assignment)
    {
        final int eq = assignment.indexOf('=');
        if (eq <= 0)
        {
            throw new IllegalArgumentException("--override needs key=value, got '" + assignment + "'");
        }
        return set(assignment.substring(0, eq).trim(), assignment.substring(eq + 1));
    }

    /**
     * Validate every property and derive the typed values.
     *
     * @throws IllegalArgumentException naming the first invalid property.
     */
    public BrokerConfig conclude()
    {
        checkNotConcluded();
        listeners = Endpoint.parseList(LISTENERS, value(LISTENERS));
        if (listeners.isEmpty())
        {
            throw new IllegalArgumentException("invalid listeners: at least one listener is needed");
        }
        advertisedListeners = Endpoint.parseList(ADVERTISED_LISTENERS, value(ADVERTISED_LISTENERS));
        for (final Endpoint advertised : advertisedListeners)
        {
            if (listener(advertised.name()) == null)
            {
                throw new IllegalArgumentException(
                    "invalid advertised.listeners: " + advertised.name() + " is not in listeners");
            }
        }
        logDirs = parseLogDirs();
        nodeId = intValue(NODE_ID, 0, Integer.MAX_VALUE);
        numPartitions = intValue(NUM_PARTITIONS, 1, Integer.MAX_VALUE);
        defaultReplicationFactor = (short)intValue(DEFAULT_REPLICATION_FACTOR, 1, 1);
        autoCreateTopics = boolValue(AUTO_CREATE_TOPICS_ENABLE);
        deleteTopicEnable = boolValue(DELETE_TOPIC_ENABLE);
        messageMaxBytes = intValue(MESSAGE_MAX_BYTES, 0, Integer.MAX_VALUE);
        socketRequestMaxBytes = intValue(SOCKET_REQUEST_MAX_BYTES, 1, Integer.MAX_VALUE);
        socketSendBufferBytes = intValue(SOCKET_SEND_BUFFER_BYTES, -1, Integer.MAX_VALUE);
        socketReceiveBufferBytes = intValue(SOCKET_RECEIVE_BUFFER_BYTES, -1, Integer.MAX_VALUE);
        numNetworkThreads = intValue(NUM_NETWORK_THREADS, 1, 1024);
        numShards = intValue(NUM_SHARDS, 1, 1024);
        offsetsTopicNumPartitions = intValue(OFFSETS_TOPIC_NUM_PARTITIONS, 1, Integer.MAX_VALUE);
        groupInitialRebalanceDelayMs = intValue(GROUP_INITIAL_REBALANCE_DELAY_MS, 0, Integer.MAX_VALUE);
        intValue(GROUP_MAX_SESSION_TIMEOUT_MS, intValue(GROUP_MIN_SESSION_TIMEOUT_MS, 1, Integer.MAX_VALUE), Integer.MAX_VALUE);
        intValue(GROUP_MAX_SIZE, 1, Integer.MAX_VALUE);
        intValue(OFFSET_METADATA_MAX_BYTES, 0, Integer.MAX_VALUE);
        intValue(OFFSETS_TOPIC_SEGMENT_BYTES, 14, Integer.MAX_VALUE);
        intValue(OFFSETS_TOPIC_REPLICATION_FACTOR, 1, 1);
        longValue(OFFSETS_RETENTION_MINUTES, 1, Long.MAX_VALUE / 60_000);
        longValue(OFFSETS_RETENTION_CHECK_INTERVAL_MS, 1, Long.MAX_VALUE);
        acksAllFlush = boolValue(ACKS_ALL_FLUSH);
        colocated = "colocated".equals(oneOf(THREAD_MODEL, "split", "colocated"));
        fetchInlineMaxBytes = intValue(FETCH_INLINE_MAX_BYTES, 0, 1024 * 1024);
        shardIdleStrategy = idleStrategyValue(IDLE_STRATEGY_SHARD);
        networkIdleStrategy = idleStrategyValue(IDLE_STRATEGY_NETWORK);
        shardAffinity = cpuListValue(AFFINITY_SHARD);
        networkAffinity = cpuListValue(AFFINITY_NETWORK);
        shardRingSize = intValue(SHARD_RING_SIZE, 2, 1 << 20);
        if (Integer.bitCount(shardRingSize) != 1)
        {
            throw new IllegalArgumentException("invalid " + SHARD_RING_SIZE + ": " + shardRingSize + " (a power of two)");
        }
        metricsFile = value(METRICS_FILE).isEmpty() ? logDirs.get(0).resolve(MetricsFile.DEFAULT_FILE_NAME) : Path.of(value(METRICS_FILE));
        parseMetricsListener(value(METRICS_LISTENER));
        oneOf(LOG_CLEANUP_POLICY, "delete", "compact", "compact,delete", "delete,compact");
        oneOf(COMPRESSION_TYPE, "producer");
        intValue(MIN_INSYNC_REPLICAS, 1, 1);

        final long retentionMs = firstSet(LOG_RETENTION_MS, LOG_RETENTION_MINUTES, 60_000L, LOG_RETENTION_HOURS, 3_600_000L);
        final long rollMs = firstSet(LOG_ROLL_MS, null, 0, LOG_ROLL_HOURS, 3_600_000L);
        if (rollMs < 1)
        {
            throw new IllegalArgumentException("invalid " + (value(LOG_ROLL_MS).isEmpty() ? LOG_ROLL_HOURS : LOG_ROLL_MS) +
                ": " + rollMs + " (at least 1)");
        }
        logConfig = new LogConfig()
            .segmentBytes(intValue(LOG_SEGMENT_BYTES, 14, Integer.MAX_VALUE))
            .segmentMs(rollMs)
            .segmentIndexBytes(intValue(LOG_INDEX_SIZE_MAX_BYTES, 8, Integer.MAX_VALUE))
            .indexIntervalBytes(intValue(LOG_INDEX_INTERVAL_BYTES, 0, Integer.MAX_VALUE))
            .retentionMs(retentionMs < 0 ? -1 : retentionMs)
            .retentionBytes(longValue(LOG_RETENTION_BYTES, -1, Long.MAX_VALUE))
            .flushMessages(longValue(LOG_FLUSH_INTERVAL_MESSAGES, 1, Long.MAX_VALUE))
            .flushMs(longValue(LOG_FLUSH_INTERVAL_MS, 0, Long.MAX_VALUE))
            .maxMessageBytes(messageMaxBytes)
            .fileDeleteDelayMs(longValue(LOG_SEGMENT_DELETE_DELAY_MS, 0, Long.MAX_VALUE))
            .logAppendTime("LogAppendTime".equals(oneOf(LOG_MESSAGE_TIMESTAMP_TYPE, "CreateTime", "LogAppendTime")))
            .deleteRetentionMs(longValue(LOG_CLEANER_DELETE_RETENTION_MS, 0, Long.MAX_VALUE))
            .minCleanableDirtyRatio(ratioValue(LOG_CLEANER_MIN_CLEANABLE_RATIO))
            .minCompactionLagMs(longValue(LOG_CLEANER_MIN_COMPACTION_LAG_MS, 0, Long.MAX_VALUE))
            .maxCompactionLagMs(longValue(LOG_CLEANER_MAX_COMPACTION_LAG_MS, 1, Long.MAX_VALUE))
            .conclude();
        cleanerContext = boolValue(LOG_CLEANER_ENABLE) ? new CleanerContext()
            .threads(intValue(LOG_CLEANER_THREADS, 1, 64))
            .dedupeBufferSize(intValue(LOG_CLEANER_DEDUPE_BUFFER_SIZE, 1024 * 1024, Integer.MAX_VALUE))
            .ioBufferSize(intValue(LOG_CLEANER_IO_BUFFER_SIZE, 4096, Integer.MAX_VALUE))
            .backoffMs(longValue(LOG_CLEANER_BACKOFF_MS, 0, Long.MAX_VALUE)) : null;
        concluded = true;
        return this;
    }

    /** The effective value of {@code key} as a string: what was set, else its default. */
    public String value(final String key)
    {
        final String set = explicit.get(key);
        if (set != null)
        {
            return set;
        }
        final String fallback = DEFAULTS.get(key);
        if (fallback == null)
        {
            throw new IllegalArgumentException("unknown property " + key);
        }
        return fallback;
    }

    /** True when {@code key} was set explicitly (file or override) rather than left at its default. */
    public boolean isSet(final String key)
    {
        return explicit.containsKey(key);
    }

    public List<Endpoint> listeners()
    {
        return listeners;
    }

    /** The listener named {@code name} (PLAINTEXT, NATIVE), or null. */
    public Endpoint listener(final String name)
    {
        for (final Endpoint endpoint : listeners)
        {
            if (endpoint.name().equals(name))
            {
                return endpoint;
            }
        }
        return null;
    }

    /** The advertised endpoint for {@code name}, or null when none was configured (then the bound one serves). */
    public Endpoint advertisedListener(final String name)
    {
        for (final Endpoint endpoint : advertisedListeners)
        {
            if (endpoint.name().equals(name))
            {
                return endpoint;
            }
        }
        return null;
    }

    public List<Path> logDirs()
    {
        return logDirs;
    }

    public int nodeId()
    {
        return nodeId;
    }

    public int numPartitions()
    {
        return numPartitions;
    }

    public short defaultReplicationFactor()
    {
        return defaultReplicationFactor;
    }

    public boolean autoCreateTopics()
    {
        return autoCreateTopics;
    }

    public boolean deleteTopicEnable()
    {
        return deleteTopicEnable;
    }

    public int messageMaxBytes()
    {
        return messageMaxBytes;
    }

    public int socketRequestMaxBytes()
    {
        return socketRequestMaxBytes;
    }

    /** -1 leaves the OS default. */
    public int socketSendBufferBytes()
    {
        return socketSendBufferBytes;
    }

    /** -1 leaves the OS default. */
    public int socketReceiveBufferBytes()
    {
        return socketReceiveBufferBytes;
    }

    public int numNetworkThreads()
    {
        return numNetworkThreads;
    }

    public int numShards()
    {
        return numShards;
    }

    public int offsetsTopicNumPartitions()
    {
        return offsetsTopicNumPartitions;
    }

    public int groupInitialRebalanceDelayMs()
    {
        return groupInitialRebalanceDelayMs;
    }

    public boolean acksAllFlush()
    {
        return acksAllFlush;
    }

    /** {@code sluice.idle.strategy.shard}: makes a new idle strategy per shard thread. */
    /** {@value #THREAD_MODEL}: each shard thread runs an event loop too, instead of separate network threads. */
    public boolean colocated()
    {
        return colocated;
    }

    /** {@value #FETCH_INLINE_MAX_BYTES}. */
    public int fetchInlineMaxBytes()
    {
        return fetchInlineMaxBytes;
    }

    public IdleStrategySpec shardIdleStrategy()
    {
        return shardIdleStrategy;
    }

    /** {@code sluice.idle.strategy.network}: makes a new idle strategy per network event loop. */
    public IdleStrategySpec networkIdleStrategy()
    {
        return networkIdleStrategy;
    }

    /** {@code sluice.affinity.shard}: the CPUs for shard threads, in order; empty when they are not pinned. */
    public CpuList shardAffinity()
    {
        return shardAffinity;
    }

    /** {@code sluice.affinity.network}: the CPUs for network event loops, in order; empty when not pinned. */
    public CpuList networkAffinity()
    {
        return networkAffinity;
    }

    public int shardRingSize()
    {
        return shardRingSize;
    }

    /** The counters file: {@code sluice.metrics.file}, else {@code sluice-counters.dat} in the first log dir. */
    public Path metricsFile()
    {
        return metricsFile;
    }

    /** The host of {@code metrics.listener}, or null when no Prometheus endpoint is wanted. */
    public String metricsListenerHost()
    {
        return metricsListenerHost;
    }

    /** The port of {@code metrics.listener} (0: one the OS picks), or -1 when none is wanted. */
    public int metricsListenerPort()
    {
        return metricsListenerPort;
    }

    private void parseMetricsListener(final String listener)
    {
        if (listener.isEmpty())
        {
            return;
        }
        final String scheme = "http://";
        final int colon = listener.lastIndexOf(':');
        if (!listener.startsWith(scheme) || colon < scheme.length())
        {
            throw new IllegalArgumentException("invalid " + METRICS_LISTENER + ": '" + listener + "' (expected http://host:port)");
        }
        String host = listener.substring(scheme.length(), colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final String port = listener.substring(colon + 1);
        try
        {
            metricsListenerPort = Integer.parseInt(port.endsWith("/") ? port.substring(0, port.length() - 1) : port);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("invalid " + METRICS_LISTENER + ": bad port in '" + listener + "'");
        }
        if (metricsListenerPort < 0 || metricsListenerPort > 65535)
        {
            throw new IllegalArgumentException("invalid " + METRICS_LISTENER + ": port " + metricsListenerPort + " out of range");
        }
        metricsListenerHost = host.isEmpty() ? "0.0.0.0" : host;
    }

    /** Storage settings every topic starts from before its own overrides. */
    public LogConfig logConfig()
    {
        return logConfig;
    }

    /**
     * The log cleaner's settings from the {@code log.cleaner.*} properties, or null when
     * {@code log.cleaner.enable=false} (compacted topics then grow until it is enabled again). A fresh context per
     * call: the caller adds its error handler and thread factory.
     */
    public CleanerContext cleanerContext()
    {
        return cleanerContext == null ? null : new CleanerContext()
            .threads(cleanerContext.threads())
            .dedupeBufferSize(cleanerContext.dedupeBufferSize())
            .ioBufferSize(cleanerContext.ioBufferSize())
            .backoffMs(cleanerContext.backoffMs());
    }

    private void checkNotConcluded()
    {
        if (concluded)
        {
            throw new IllegalStateException("BrokerConfig already concluded");
        }
    }

    private List<Path> parseLogDirs()
    {
        final String key = isSet(LOG_DIRS) || !value(LOG_DIRS).isEmpty() ? LOG_DIRS : LOG_DIR;
        final List<Path> dirs = new ArrayList<>();
        for (final String part : value(key).split(","))
        {
            if (!part.isBlank())
            {
                dirs.add(Path.of(part.trim()));
            }
        }
        if (dirs.isEmpty())
        {
            throw new IllegalArgumentException("invalid " + key + ": no directory given");
        }
        return List.copyOf(dirs);
    }

    private long firstSet(
        final String msKey, final String midKey, final long midUnit, final String coarseKey, final long coarseUnit)
    {
        if (!value(msKey).isEmpty())
        {
            return longValue(msKey, -1, Long.MAX_VALUE);
        }
        if (midKey != null && !value(midKey).isEmpty())
        {
            final long minutes = longValue(midKey, -1, Long.MAX_VALUE / midUnit);
            return minutes < 0 ? -1 : minutes * midUnit;
        }
        final long hours = longValue(coarseKey, -1, Long.MAX_VALUE / coarseUnit);
        return hours < 0 ? -1 : hours * coarseUnit;
    }

    private int intValue(final String key, final int min, final int max)
    {
        return (int)longValue(key, min, max);
    }

    private long longValue(final String key, final long min, final long max)
    {
        final String raw = value(key);
        final long parsed;
        try
        {
            parsed = Long.parseLong(raw);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("invalid " + key + ": '" + raw + "' is not a number");
        }
        if (parsed < min || parsed > max)
        {
            throw new IllegalArgumentException(
                "invalid " + key + ": " + parsed + " (allowed " + min + ".." + max + ")");
        }
        return parsed;
    }

    private double ratioValue(final String key)
    {
        final String raw = value(key);
        final double parsed;
        try
        {
            parsed = Double.parseDouble(raw);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("invalid " + key + ": '" + raw + "' is not a number");
        }
        if (!(parsed >= 0 && parsed <= 1))
        {
            throw new IllegalArgumentException("invalid " + key + ": " + parsed + " (allowed 0..1)");
        }
        return parsed;
    }

    private boolean boolValue(final String key)
    {
        final String raw = value(key);
        if ("true".equalsIgnoreCase(raw))
        {
            return true;
        }
        if ("false".equalsIgnoreCase(raw))
        {
            return false;
        }
        throw new IllegalArgumentException("invalid " + key + ": '" + raw + "' (true or false)");
    }

    private String oneOf(final String key, final String... allowed)
    {
        final String raw = value(key);
        for (final String candidate : allowed)
        {
            if (candidate.equals(raw))
            {
                return raw;
            }
        }
        throw new IllegalArgumentException(
            "invalid " + key + ": '" + raw + "' (one of " + String.join(", ", allowed) + ")");
    }

    private IdleStrategySpec idleStrategyValue(final String key)
    {
        try
        {
            return IdleStrategySpec.parse(value(key));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("invalid " + key + ": " + ex.getMessage());
        }
    }

    private CpuList cpuListValue(final String key)
    {
        try
        {
            return CpuList.parse(value(key));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("invalid " + key + ": " + ex.getMessage());
        }
    }

    /**
     * One listener: {@code NAME://host:port}. An empty host, or 0.0.0.0, binds every interface.
     *
     * @param name PLAINTEXT (Kafka protocol) or NATIVE (Sluice's own).
     */
    public record Endpoint(String name, String host, int port)
    {
        public static final String PLAINTEXT = "PLAINTEXT";
        public static final String NATIVE = "NATIVE";

        static List<Endpoint> parseList(final String key, final String value)
        {
            final List<Endpoint> endpoints = new ArrayList<>();
            for (final String part : value.split(","))
            {
                if (part.isBlank())
                {
                    continue;
                }
                final Endpoint endpoint = parse(key, part.trim());
                for (final Endpoint existing : endpoints)
                {
                    if (existing.name.equals(endpoint.name))
                    {
                        throw new IllegalArgumentException("invalid " + key + ": " + endpoint.name + " given twice");
                    }
                }
                endpoints.add(endpoint);
            }
            return List.copyOf(endpoints);
        }

        static Endpoint parse(final String key, final String text)
        {
            final int scheme = text.indexOf("://");
            final int colon = text.lastIndexOf(':');
            if (scheme <= 0 || colon <= scheme + 2)
            {
                throw new IllegalArgumentException("invalid " + key + ": '" + text + "' (expected NAME://host:port)");
            }
            final String name = text.substring(0, scheme);
            if (!PLAINTEXT.equals(name) && !NATIVE.equals(name))
            {
                throw new IllegalArgumentException(
                    "invalid " + key + ": listener " + name + " (PLAINTEXT or NATIVE)");
            }
            String host = text.substring(scheme + 3, colon);
            if (host.startsWith("[") && host.endsWith("]"))
            {
                host = host.substring(1, host.length() - 1);
            }
            final int port;
            try
            {
                port = Integer.parseInt(text.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("invalid " + key + ": bad port in '" + text + "'");
            }
            if (port < 0 || port > 65535)
            {
                throw new IllegalArgumentException("invalid " + key + ": port " + port + " out of range");
            }
            return new Endpoint(name, host, port);
        }

        /** True when the listener binds every interface, so it cannot be advertised as written. */
        public boolean isWildcard()
        {
            return host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host);
        }

        @Override
        public String toString()
        {
            return name + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
