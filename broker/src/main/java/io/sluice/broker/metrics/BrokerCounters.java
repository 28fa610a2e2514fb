package io.sluice.broker.metrics;

import io.sluice.broker.BrokerLog;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.ConcurrentCountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The broker's counters: Agrona counters over the {@link MetricsFile} (or over memory, for tests), grouped by
 * who writes them.
 *
 * <ul>
 *     <li>{@link #shard(int)}: one set per shard, written only by that shard;</li>
 *     <li>{@link #requests()}: one set per network thread, written only by that thread;</li>
 *     <li>{@link #errors()}: shared, atomic adds (errors are rare);</li>
 *     <li>{@link #connections()}, {@link #connectionsAccepted()}: shared, atomic adds, once per connection;</li>
 *     <li>{@link #partitionEndOffset}: one per partition, written by its shard;</li>
 *     <li>{@link #committedOffsets()}: one per group and partition, written by the group coordinator.</li>
 * </ul>
 * Counting never locks or allocates. Allocating a counter (at start, when a partition opens, or when a thread
 * first sees an API or an error code) takes the counters manager's lock: that is control-plane work. When the
 * file is full, further counters are not shown (one log line says so) but still count harmlessly.
 *
 * <p>The file is never unmapped by the broker: a thread that outlived its stop (a late completion) would crash
 * the JVM writing to an unmapped page, so the mapping goes with the garbage collector, and the file stays so its
 * last values can be read after the broker stops.
 *
 * <p>Thread-safe.
 */
public final class BrokerCounters
{
    /** Counters the file has room for: every per-shard and per-thread counter, plus one per partition. */
    public static final int DEFAULT_CAPACITY = 16_384;

    private final MetricsFile file;
    private final ConcurrentCountersManager manager;
    private final ShardCounters[] shards;
    private final ErrorCounters errors;
    private final AtomicCounter connections;
    private final AtomicCounter connectionsAccepted;
    private final CommittedOffsetCounters committedOffsets = new CommittedOffsetCounters(this);
    private final AtomicCounter spill = new AtomicCounter(new UnsafeBuffer(ByteBuffer.allocateDirect(CountersReader.COUNTER_LENGTH)), 0);
    private final AtomicBoolean fullReported = new AtomicBoolean();
    private final ThreadLocal<RequestCounters> requests =
        ThreadLocal.withInitial(() -> new RequestCounters(this, Thread.currentThread().getName()));

    private BrokerCounters(
        final MetricsFile file,
        final AtomicBuffer metadata,
        final AtomicBuffer values,
        final int shardCount,
        final int ringCapacity)
    {
        this.file = file;
        this.manager = new ConcurrentCountersManager(metadata, values);
        this.connections = allocate(CounterType.CONNECTIONS, "");
        this.connectionsAccepted = allocate(CounterType.CONNECTIONS_ACCEPTED, "");
        this.errors = new ErrorCounters(this);
        this.shards = new ShardCounters[shardCount];
        for (int i = 0; i < shardCount; i++)
        {
            shards[i] = new ShardCounters(this, i, ringCapacity);
        }
    }

    /** Counters in {@code file}, readable by other processes. */
    public static BrokerCounters inFile(final MetricsFile file, final int shardCount, final int ringCapacity)
    {
        return new BrokerCounters(file, file.metadataBuffer(), file.valuesBuffer(), shardCount, ringCapacity);
    }

    /** Counters in this process's memory only (tests, and components built without a broker). */
    public static BrokerCounters inMemory(final int capacity, final int shardCount, final int ringCapacity)
    {
        return new BrokerCounters(
            null,
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * CountersReader.COUNTER_LENGTH)),
            shardCount,
            ringCapacity);
    }

    /** The counters of shard {@code id}; only that shard writes them. */
    public ShardCounters shard(final int id)
    {
        return shards[id];
    }

    /** The calling thread's request counters (network threads call this once and keep the result per thread). */
    public RequestCounters requests()
    {
        return requests.get();
    }

    public ErrorCounters errors()
    {
        return errors;
    }

    /** Open connections: incremented when one is accepted, decremented when it closes, from any network thread. */
    public AtomicCounter connections()
    {
        return connections;
    }

    public AtomicCounter connectionsAccepted()
    {
        return connectionsAccepted;
    }

    /**
     * A new gauge for the end offset of {@code topic}-{@code partition}, set by its shard. Close it when the
     * partition goes away, so its slot is reused.
     */
    public AtomicCounter partitionEndOffset(final String topic, final int partition)
    {
        return allocate(CounterType.PARTITION_END_OFFSET, "topic=\"" + topic + "\",partition=\"" + partition + "\"");
    }

    /** Consumer groups' committed offsets, for lag; written by the group coordinator's thread only. */
    public CommittedOffsetCounters committedOffsets()
    {
        return committedOffsets;
    }

    /** Reads every counter; from any thread. */
    public CountersReader reader()
    {
        return manager;
    }

    /** The file behind the counters, or null when they are in memory only. */
    public MetricsFile file()
    {
        return file;
    }

    /** A label value as written in a counter's label: backslash, double quote and newline escaped as Prometheus does. */
    static String escape(final String value)
    {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    AtomicCounter allocate(final CounterType type, final String labels)
    {
        final String label = labels.isEmpty() ? type.sampleName() : type.sampleName() + "{" + labels + "}";
        try
        {
            return manager.newCounter(label, type.id());
        }
        catch (final IllegalStateException full)
        {
            if (fullReported.compareAndSet(false, true))
            {
                BrokerLog.warn("the counters file is full (" + manager.capacity() + " counters); " + label +
                    " and later counters are not recorded");
            }
            return spill;
        }
    }
}
