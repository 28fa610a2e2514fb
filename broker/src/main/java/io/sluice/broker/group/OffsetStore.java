package io.sluice.broker.group;

import io.sluice.broker.metrics.CommittedOffsetCounters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The committed offsets of every group served, as stored: group, then topic, then partition. Also counts the
 * commits still being written per group and partition, so a group deleted meanwhile gets tombstones for them too.
 *
 * <p>Single-threaded: used only on the coordinator thread.
 */
final class OffsetStore
{
    /** One stored offset with its place. */
    record Entry(String topic, int partition, OffsetAndMetadata offset)
    {
    }

    private final Map<String, Map<String, TreeMap<Integer, OffsetAndMetadata>>> offsets = new HashMap<>();
    private final Map<String, Map<String, Map<Integer, Integer>>> pending = new HashMap<>();
    private final CommittedOffsetCounters counters;

    /** @param counters mirrors every stored offset into the counters file (for lag), or null for none. */
    OffsetStore(final CommittedOffsetCounters counters)
    {
        this.counters = counters;
    }

    /** The committed offset, or null. */
    OffsetAndMetadata get(final String groupId, final String topic, final int partition)
    {
        final Map<String, TreeMap<Integer, OffsetAndMetadata>> byTopic = offsets.get(groupId);
        final TreeMap<Integer, OffsetAndMetadata> byPartition = byTopic == null ? null : byTopic.get(topic);
        return byPartition == null ? null : byPartition.get(partition);
    }

    void put(final String groupId, final String topic, final int partition, final OffsetAndMetadata offset)
    {
        offsets.computeIfAbsent(groupId, g -> new TreeMap<>()).computeIfAbsent(topic, t -> new TreeMap<>())
            .put(partition, offset);
        if (counters != null)
        {
            counters.onCommit(groupId, topic, partition, offset.offset());
        }
    }

    void remove(final String groupId, final String topic, final int partition)
    {
        final Map<String, TreeMap<Integer, OffsetAndMetadata>> byTopic = offsets.get(groupId);
        if (byTopic == null)
        {
            return;
        }
        final TreeMap<Integer, OffsetAndMetadata> byPartition = byTopic.get(topic);
        if (byPartition != null && byPartition.remove(partition) != null && counters != null)
        {
            counters.onRemove(groupId, topic, partition);
        }
        if (byPartition != null && byPartition.isEmpty())
        {
            byTopic.remove(topic);
            if (byTopic.isEmpty())
            {
                offsets.remove(groupId);
            }
        }
    }

    void removeGroup(final String groupId)
    {
        offsets.remove(groupId);
        if (counters != null)
        {
            counters.onRemoveGroup(groupId);
        }
    }

    boolean hasOffsets(final String groupId)
    {
        return offsets.containsKey(groupId);
    }

    /** Every offset of the group, by topic then partition. */
    List<Entry> entries(final String groupId)
    {
        final List<Entry> entries = new ArrayList<>();
        final Map<String, TreeMap<Integer, OffsetAndMetadata>> byTopic = offsets.get(groupId);
        if (byTopic != null)
        {
            byTopic.forEach((topic, byPartition) ->
                byPartition.forEach((partition, offset) -> entries.add(new Entry(topic, partition, offset))));
        }
        return entries;
    }

    /** A commit of {@code topic}-{@code partition} for the group is being written (or has been: {@code delta} -1). */
    void pendingWrite(final String groupId, final String topic, final int partition, final int delta)
    {
        final Map<String, Map<Integer, Integer>> byTopic = pending.computeIfAbsent(groupId, g -> new HashMap<>());
        final Map<Integer, Integer> byPartition = byTopic.computeIfAbsent(topic, t -> new HashMap<>());
        final int count = byPartition.getOrDefault(partition, 0) + delta;
        if (count > 0)
        {
            byPartition.put(partition, count);
            return;
        }
        byPartition.remove(partition);
        if (byPartition.isEmpty())
        {
            byTopic.remove(topic);
            if (byTopic.isEmpty())
            {
                pending.remove(groupId);
            }
        }
    }

    /** Whether any commit of the group is being written. */
    boolean hasPendingWrites(final String groupId)
    {
        return pending.containsKey(groupId);
    }

    /** Whether a commit of that partition is being written. */
    boolean isPending(final String groupId, final String topic, final int partition)
    {
        final Map<String, Map<Integer, Integer>> byTopic = pending.get(groupId);
        final Map<Integer, Integer> byPartition = byTopic == null ? null : byTopic.get(topic);
        return byPartition != null && byPartition.containsKey(partition);
    }

    /** Every partition the group has an offset for or a commit being written for, as (topic, partition) pairs. */
    List<Entry> storedOrPending(final String groupId)
    {
        final List<Entry> keys = entries(groupId);
        final Map<String, Map<Integer, Integer>> byTopic = pending.get(groupId);
        if (byTopic != null)
        {
            byTopic.forEach((topic, byPartition) -> byPartition.keySet().forEach(partition ->
            {
                if (get(groupId, topic, partition) == null)
                {
                    keys.add(new Entry(topic, partition, null));
                }
            }));
        }
        return keys;
    }
}
