package io.sluice.broker.topic;

import io.sluice.broker.shard.Partition;
import io.sluice.journal.LogConfig;

import java.util.Map;
import java.util.UUID;

/**
 * A topic as the registry publishes it: name, stable id, partitions and config overrides. Immutable: a change
 * (more partitions, new configs) publishes a new {@code Topic} that shares the unchanged {@link Partition}s.
 * Safe to read from any thread.
 */
public final class Topic
{
    private final String name;
    private final UUID id;
    private final Partition[] partitions;
    private final Map<String, String> configs;
    private final LogConfig logConfig;
    private final int minInsyncReplicas;

    public Topic(
        final String name,
        final UUID id,
        final Partition[] partitions,
        final Map<String, String> configs,
        final LogConfig logConfig,
        final int minInsyncReplicas)
    {
        this.name = name;
        this.id = id;
        this.partitions = partitions;
        this.configs = Map.copyOf(configs);
        this.logConfig = logConfig;
        this.minInsyncReplicas = minInsyncReplicas;
    }

    public String name()
    {
        return name;
    }

    public UUID id()
    {
        return id;
    }

    public int partitionCount()
    {
        return partitions.length;
    }

    /** Partition {@code index}, or null when the topic has no such partition. */
    public Partition partition(final int index)
    {
        return index >= 0 && index < partitions.length ? partitions[index] : null;
    }

    /** A copy of the partition array, for control work over all of them. */
    public Partition[] partitions()
    {
        return partitions.clone();
    }

    /** The topic's config overrides (what differs from the broker defaults), unmodifiable. */
    public Map<String, String> configs()
    {
        return configs;
    }

    public LogConfig logConfig()
    {
        return logConfig;
    }

    public int minInsyncReplicas()
    {
        return minInsyncReplicas;
    }

    public boolean isInternal()
    {
        return TopicName.isInternal(name);
    }

    @Override
    public String toString()
    {
        return name + " (" + partitions.length + " partitions, id " + id + ")";
    }
}
