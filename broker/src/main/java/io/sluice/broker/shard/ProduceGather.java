package io.sluice.broker.shard;

import io.sluice.transport.Connection;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One produce request on its way through the shards: the record sets copied out of the request frame, the
 * partition each goes to, and a result slot per partition that the owning shard fills in. A request that
 * spans shards is published to each of them; the shard that finishes last hands the gather to its
 * {@link Completion}, which answers the client and releases the gather to its pool.
 *
 * <p>Threading: filled by one event-loop thread, then each shard writes only the slots of its own partitions;
 * the count-down of {@link #pendingShards} orders those writes before the completion reads them. Pooled and
 * reused: arrays grow to the largest request seen and are kept.
 */
public final class ProduceGather extends PartitionGather
{
    /** Called once all shards are done, on the thread of the last one (or the event loop if none was involved). */
    @FunctionalInterface
    public interface Completion
    {
        void onComplete(ProduceGather gather);
    }

    /** A gather whose copy buffer grew past this is not pooled, so one burst of huge requests is not kept. */
    static final int MAX_POOLED_CAPACITY = 1024 * 1024;

    private final ExpandableDirectByteBuffer data = new ExpandableDirectByteBuffer(64 * 1024);
    private final ByteBuffer[] shardViews;
    private ByteBuffer viewed;
    private int dataLength;

    private Completion completion;
    private short acks;

    private int[] recordsOffsets = new int[4];
    private int[] recordsLengths = new int[4];
    private long[] baseOffsets = new long[4];
    private long[] logAppendTimes = new long[4];
    private long[] logStartOffsets = new long[4];
    private String[] errorMessages = new String[4];

    ProduceGather(final int shardCount)
    {
        super(shardCount);
        shardViews = new ByteBuffer[shardCount];
        refreshViews();
    }

    /** Start filling for a new request. */
    public ProduceGather reset(
        final Completion completion,
        final Connection connection,
        final long requestSeq,
        final int correlationId,
        final short apiVersion,
        final short acks)
    {
        resetRequest(connection, requestSeq, correlationId, apiVersion);
        this.completion = completion;
        this.acks = acks;
        dataLength = 0;
        return this;
    }

    /**
     * Add a partition of the current topic whose record sets the shard will append, copying them from the
     * request frame (which is only valid during the event loop's callback).
     */
    public void addAppend(
        final Partition partition, final DirectBuffer frame, final int recordsOffset, final int recordsLength)
    {
        final int slot = addSlot(partition.index());
        partitions[slot] = partition;
        data.putBytes(dataLength, frame, recordsOffset, recordsLength);
        recordsOffsets[slot] = dataLength;
        recordsLengths[slot] = recordsLength;
        dataLength += recordsLength;
    }

    /** Add a partition of the current topic answered without a shard, with {@code errorCode}. */
    public void addError(final int partitionIndex, final short errorCode, final String errorMessage)
    {
        final int slot = addSlot(partitionIndex);
        errorCodes[slot] = errorCode;
        errorMessages[slot] = errorMessage;
    }

    @Override
    void growSlots(final int length)
    {
        recordsOffsets = Arrays.copyOf(recordsOffsets, length);
        recordsLengths = Arrays.copyOf(recordsLengths, length);
        baseOffsets = Arrays.copyOf(baseOffsets, length);
        logAppendTimes = Arrays.copyOf(logAppendTimes, length);
        logStartOffsets = Arrays.copyOf(logStartOffsets, length);
        errorMessages = Arrays.copyOf(errorMessages, length);
    }

    @Override
    void clearSlot(final int slot)
    {
        recordsOffsets[slot] = 0;
        recordsLengths[slot] = 0;
        baseOffsets[slot] = -1;
        logAppendTimes[slot] = -1;
        logStartOffsets[slot] = -1;
        errorMessages[slot] = null;
    }

    /** Make the copied record sets visible to the shards' views; call once filled, before publishing. */
    void seal()
    {
        if (viewed != data.byteBuffer())
        {
            refreshViews();
        }
    }

    private void refreshViews()
    {
        viewed = data.byteBuffer();
        for (int i = 0; i < shardViews.length; i++)
        {
            shardViews[i] = viewed.duplicate();
        }
    }

    /** The record sets of {@code slot} as a buffer positioned for {@code PartitionLog.append}; shard thread only. */
    ByteBuffer records(final int shard, final int slot)
    {
        final ByteBuffer view = shardViews[shard];
        view.clear();
        view.position(recordsOffsets[slot]).limit(recordsOffsets[slot] + recordsLengths[slot]);
        return view;
    }

    void result(
        final int slot, final short errorCode, final long baseOffset, final long logAppendTime, final long logStartOffset)
    {
        errorCodes[slot] = errorCode;
        baseOffsets[slot] = baseOffset;
        logAppendTimes[slot] = logAppendTime;
        logStartOffsets[slot] = logStartOffset;
    }

    void complete()
    {
        completion.onComplete(this);
    }

    /** Whether this gather is worth keeping in the pool (its copy buffer is of ordinary size). */
    boolean isPoolable()
    {
        return data.capacity() <= MAX_POOLED_CAPACITY;
    }

    /** Drop references so a pooled gather keeps no connection or partition alive. */
    void clear()
    {
        Arrays.fill(errorMessages, 0, count, null);
        clearReferences();
        completion = null;
    }

    public short acks()
    {
        return acks;
    }

    public String errorMessage(final int slot)
    {
        return errorMessages[slot];
    }

    public long baseOffset(final int slot)
    {
        return baseOffsets[slot];
    }

    public long logAppendTime(final int slot)
    {
        return logAppendTimes[slot];
    }

    public long logStartOffset(final int slot)
    {
        return logStartOffsets[slot];
    }
}
