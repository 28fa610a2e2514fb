package io.sluice.broker.shard;

import io.sluice.journal.PartitionLog;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.UUID;

/**
 * One partition of a topic, as the broker routes to it: its identity and the shard that owns it, fixed for
 * the broker's lifetime, plus the state that only that shard touches (its log, the fetches parked on it).
 *
 * <p>Identity fields are immutable and safe to read from any thread. The shard-owned fields must be read and
 * written only on the owning shard's thread (request handlers on other threads only route by {@link #shard()}).
 */
public final class Partition
{
    private final String topic;
    private final UUID topicId;
    private final int index;
    private final int shard;

    PartitionLog log;
    boolean touched;
    /** An append failed with a storage error and none has succeeded since (logged once per such run). */
    boolean appendsFailing;
    /** The log end offset as the counters file shows it; set while the shard owns an open log. */
    AtomicCounter endOffsetCounter;
    final FetchWaiters waiters = new FetchWaiters();

    public Partition(final String topic, final UUID topicId, final int index, final int shard)
    {
        this.topic = topic;
        this.topicId = topicId;
        this.index = index;
        this.shard = shard;
    }

    public String topic()
    {
        return topic;
    }

    public UUID topicId()
    {
        return topicId;
    }

    public int index()
    {
        return index;
    }

    /** Index of the shard that owns this partition. */
    public int shard()
    {
        return shard;
    }

    /** The open log, or null before it is opened or after it is closed. Owning shard thread only. */
    public PartitionLog log()
    {
        return log;
    }

    /** Attach the log once opened. Owning shard thread only (or before the shard starts). */
    public void log(final PartitionLog log)
    {
        this.log = log;
    }

    @Override
    public String toString()
    {
        return topic + "-" + index;
    }
}
