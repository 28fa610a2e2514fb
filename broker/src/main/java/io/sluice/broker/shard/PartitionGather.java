package io.sluice.broker.shard;

import io.sluice.transport.Connection;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@link ProduceGather} and {@link FetchGather} share: the request they answer, its topics and partition
 * slots in request order (each slot's partition, when a shard serves it, and error code), and the count-down of
 * the shards still working on it. A subclass keeps its own per-slot arrays and grows and clears them with these
 * ({@link #growSlots}, {@link #clearSlot}).
 *
 * <p>Threading: filled by one event-loop thread, then each shard writes only the slots of its own partitions;
 * the subclasses say how those writes are ordered before the completion reads them.
 */
abstract class PartitionGather
{
    final AtomicInteger pendingShards = new AtomicInteger();
    /** Scratch for {@link ShardProxy#publish}: which shards this request goes to. */
    final boolean[] involved;

    Connection connection;
    long requestSeq;
    int correlationId;
    short apiVersion;

    int topicCount;
    String[] topicNames = new String[4];
    UUID[] topicIds = new UUID[4];
    int[] topicEnd = new int[4];

    int count;
    Partition[] partitions = new Partition[4];
    int[] partitionIndexes = new int[4];
    short[] errorCodes = new short[4];

    PartitionGather(final int shardCount)
    {
        involved = new boolean[shardCount];
    }

    /** Start a new request: no topics, no slots. */
    final void resetRequest(final Connection connection, final long requestSeq, final int correlationId, final short apiVersion)
    {
        this.connection = connection;
        this.requestSeq = requestSeq;
        this.correlationId = correlationId;
        this.apiVersion = apiVersion;
        topicCount = 0;
        count = 0;
    }

    /** Open the next topic of the response; partitions added after this belong to it. */
    public void addTopic(final String name, final UUID id)
    {
        if (topicCount == topicNames.length)
        {
            final int length = topicCount * 2;
            topicNames = Arrays.copyOf(topicNames, length);
            topicIds = Arrays.copyOf(topicIds, length);
            topicEnd = Arrays.copyOf(topicEnd, length);
        }
        topicNames[topicCount] = name;
        topicIds[topicCount] = id;
        topicEnd[topicCount] = count;
        topicCount++;
    }

    /**
     * Whether the topic opened last has the id {@code (high, low)}: native requests list partitions one by one,
     * each with its topic id, and a run of the same id continues the current topic.
     */
    public boolean continuesTopic(final long high, final long low)
    {
        if (topicCount == 0)
        {
            return false;
        }
        final UUID id = topicIds[topicCount - 1];
        return id.getMostSignificantBits() == high && id.getLeastSignificantBits() == low;
    }

    /** A new slot of the current topic for {@code partitionIndex}: no partition, no error, the subclass's defaults. */
    final int addSlot(final int partitionIndex)
    {
        if (count == partitions.length)
        {
            final int length = count * 2;
            partitions = Arrays.copyOf(partitions, length);
            partitionIndexes = Arrays.copyOf(partitionIndexes, length);
            errorCodes = Arrays.copyOf(errorCodes, length);
            growSlots(length);
        }
        final int slot = count++;
        topicEnd[topicCount - 1] = count;
        partitions[slot] = null;
        partitionIndexes[slot] = partitionIndex;
        errorCodes[slot] = 0;
        clearSlot(slot);
        return slot;
    }

    /** Grow the subclass's per-slot arrays to {@code length}, keeping their contents. */
    abstract void growSlots(int length);

    /** Give the subclass's fields of a new {@code slot} their defaults. */
    abstract void clearSlot(int slot);

    /** Drop the references to partitions, topics and the connection, so a pooled gather keeps nothing alive. */
    void clearReferences()
    {
        Arrays.fill(partitions, 0, count, null);
        Arrays.fill(topicNames, 0, topicCount, null);
        Arrays.fill(topicIds, 0, topicCount, null);
        connection = null;
    }

    public Connection connection()
    {
        return connection;
    }

    public long requestSeq()
    {
        return requestSeq;
    }

    public int correlationId()
    {
        return correlationId;
    }

    public short apiVersion()
    {
        return apiVersion;
    }

    public int topicCount()
    {
        return topicCount;
    }

    public String topicName(final int topic)
    {
        return topicNames[topic];
    }

    public UUID topicId(final int topic)
    {
        return topicIds[topic];
    }

    /** One past the last partition slot of {@code topic}; slots of topic t run from topicEnd(t - 1) (or 0). */
    public int topicEnd(final int topic)
    {
        return topicEnd[topic];
    }

    public int partitionCount()
    {
        return count;
    }

    /** The partition of {@code slot}, or null when it was answered without a shard. */
    public Partition partition(final int slot)
    {
        return partitions[slot];
    }

    public int partitionIndex(final int slot)
    {
        return partitionIndexes[slot];
    }

    public short errorCode(final int slot)
    {
        return errorCodes[slot];
    }
}
