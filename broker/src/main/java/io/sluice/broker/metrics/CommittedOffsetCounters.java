package io.sluice.broker.metrics;

import org.agrona.concurrent.status.AtomicCounter;

import java.util.HashMap;
import java.util.Map;

/**
 * Each consumer group's committed offsets as gauges in the counters file, so readers can show lag (a partition's
 * end offset minus the group's committed offset) without asking the coordinator. Mirrors the coordinator's offset
 * store: a gauge is allocated at a group's first commit of a partition and freed when the offset or the group goes.
 *
 * <p>Writer: the group coordinator's thread only. Commits are control-plane work, so the map lookups here are fine.
 */
public final class CommittedOffsetCounters
{
    private final BrokerCounters counters;
    private final Map<String, Map<String, AtomicCounter>> byGroup = new HashMap<>();

    CommittedOffsetCounters(final BrokerCounters counters)
    {
        this.counters = counters;
    }

    /** {@code group} has committed {@code offset} for {@code topic}-{@code partition}. */
    public void onCommit(final String group, final String topic, final int partition, final long offset)
    {
        byGroup.computeIfAbsent(group, g -> new HashMap<>())
            .computeIfAbsent(topic + "-" + partition, key -> counters.allocate(CounterType.CONSUMER_COMMITTED_OFFSET,
                "group=\"" + BrokerCounters.escape(group) + "\",topic=\"" + topic + "\",partition=\"" + partition + "\""))
            .setRelease(offset);
    }

    /** The group's offset for {@code topic}-{@code partition} is gone (deleted or expired). */
    public void onRemove(final String group, final String topic, final int partition)
    {
        final Map<String, AtomicCounter> partitions = byGroup.get(group);
        final AtomicCounter counter = partitions == null ? null : partitions.remove(topic + "-" + partition);
        if (counter != null)
        {
            counter.close();
            if (partitions.isEmpty())
            {
                byGroup.remove(group);
            }
        }
    }

    /** Every offset of the group is gone. */
    public void onRemoveGroup(final String group)
    {
        final Map<String, AtomicCounter> partitions = byGroup.remove(group);
        if (partitions != null)
        {
            partitions.values().forEach(AtomicCounter::close);
        }
    }
}
