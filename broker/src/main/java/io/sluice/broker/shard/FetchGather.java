package io.sluice.broker.shard;

import io.sluice.transport.Connection;

import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One fetch request on its way through the shards: per partition, where to read and how much, and the region
 * the owning shard found. A fetch that finds fewer than {@code minBytes} waits (long poll) until appends bring
 * enough or {@code maxWaitMs} passes; then the response is the regions as found, trimmed to {@code maxBytes}.
 *
 * <p>Threading: filled by one event-loop thread, published to every shard that owns one of its partitions.
 * Each shard writes only its own partitions' slots, and only while it holds the gather: during its first read
 * (the count-down of {@link #pendingShards} orders those writes before the last shard looks at the total), and
 * later only after winning the {@link #state} from PARKED to UPDATING. The state word carries a generation so
 * a shard holding a stale reference to a recycled gather cannot touch the new request.
 */
public final class FetchGather extends PartitionGather
{
    /** Called once the fetch is answered, on the thread of the shard that completed it. */
    @FunctionalInterface
    public interface Completion
    {
        void onComplete(FetchGather gather);
    }

    static final int INITIAL = 0;
    static final int PARKED = 1;
    static final int UPDATING = 2;
    static final int DONE = 3;
    private static final int STATE_BITS = 2;
    private static final int STATE_MASK = (1 << STATE_BITS) - 1;

    private final AtomicLong state = new AtomicLong();
    private final long[] shardBytes;
    private long generation;

    private Completion completion;
    private int maxWaitMs;
    private int minBytes;
    private int maxBytes;
    private long deadlineMs;

    private long[] fetchOffsets = new long[4];
    private int[] partitionMaxBytes = new int[4];
    private long[] highWatermarks = new long[4];
    private long[] logStartOffsets = new long[4];
    private FileChannel[] channels = new FileChannel[4];
    private long[] positions = new long[4];
    private int[] lengths = new int[4];
    private long[] nextOffsets = new long[4];

    FetchGather(final int shardCount)
    {
        super(shardCount);
        shardBytes = new long[shardCount];
    }

    /** Start filling for a new request; {@code nowMs} starts the {@code maxWaitMs} clock. */
    public FetchGather reset(
        final Completion completion,
        final Connection connection,
        final long requestSeq,
        final int correlationId,
        final short apiVersion,
        final int maxWaitMs,
        final int minBytes,
        final int maxBytes,
        final long nowMs)
    {
        resetRequest(connection, requestSeq, correlationId, apiVersion);
        this.completion = completion;
        this.maxWaitMs = Math.max(0, maxWaitMs);
        this.minBytes = minBytes;
        this.maxBytes = maxBytes <= 0 ? Integer.MAX_VALUE : maxBytes;
        this.deadlineMs = nowMs + this.maxWaitMs;
        Arrays.fill(shardBytes, 0);
        generation++;
        state.set(stamp(INITIAL));
        return this;
    }

    /** Add a partition of the current topic to be read from {@code fetchOffset}, at most {@code maxBytes}. */
    public void addRead(final Partition partition, final long fetchOffset, final int maxBytes)
    {
        final int slot = addSlot(partition.index());
        partitions[slot] = partition;
        fetchOffsets[slot] = fetchOffset;
        partitionMaxBytes[slot] = maxBytes;
    }

    /** Add a partition of the current topic answered without a shard, with {@code errorCode}. */
    public void addError(final int partitionIndex, final short errorCode)
    {
        final int slot = addSlot(partitionIndex);
        errorCodes[slot] = errorCode;
    }

    @Override
    void growSlots(final int length)
    {
        fetchOffsets = Arrays.copyOf(fetchOffsets, length);
        partitionMaxBytes = Arrays.copyOf(partitionMaxBytes, length);
        highWatermarks = Arrays.copyOf(highWatermarks, length);
        logStartOffsets = Arrays.copyOf(logStartOffsets, length);
        channels = Arrays.copyOf(channels, length);
        positions = Arrays.copyOf(positions, length);
        lengths = Arrays.copyOf(lengths, length);
        nextOffsets = Arrays.copyOf(nextOffsets, length);
    }

    @Override
    void clearSlot(final int slot)
    {
        fetchOffsets[slot] = 0;
        partitionMaxBytes[slot] = 0;
        highWatermarks[slot] = -1;
        logStartOffsets[slot] = -1;
        channels[slot] = null;
        positions[slot] = 0;
        lengths[slot] = 0;
        nextOffsets[slot] = 0;
    }

    long generation()
    {
        return generation;
    }

    private long stamp(final int value)
    {
        return (generation << STATE_BITS) | value;
    }

    /** Move from {@code from} to {@code to} if the gather is still on {@code expectedGeneration}. */
    boolean transition(final long expectedGeneration, final int from, final int to)
    {
        return state.compareAndSet(
            (expectedGeneration << STATE_BITS) | from, (expectedGeneration << STATE_BITS) | to);
    }

    /** State of {@code expectedGeneration}, or DONE when the gather has moved on to another request. */
    int state(final long expectedGeneration)
    {
        final long value = state.get();
        return (value >>> STATE_BITS) == expectedGeneration ? (int)(value & STATE_MASK) : DONE;
    }

    void state(final int value)
    {
        state.set(stamp(value));
    }

    void shardBytes(final int shard, final long bytes)
    {
        shardBytes[shard] = bytes;
    }

    long totalBytes()
    {
        long total = 0;
        for (final long bytes : shardBytes)
        {
            total += bytes;
        }
        return total;
    }

    boolean hasError()
    {
        for (int i = 0; i < count; i++)
        {
            if (errorCodes[i] != 0)
            {
                return true;
            }
        }
        return false;
    }

    /** Whether the fetch should be answered now rather than wait for more data. */
    boolean isSatisfied(final long nowMs)
    {
        return maxWaitMs == 0 || nowMs >= deadlineMs || totalBytes() >= minBytes || hasError();
    }

    void result(
        final int slot,
        final short errorCode,
        final long highWatermark,
        final long logStartOffset,
        final FileChannel channel,
        final long position,
        final int length,
        final long nextOffset)
    {
        errorCodes[slot] = errorCode;
        highWatermarks[slot] = highWatermark;
        logStartOffsets[slot] = logStartOffset;
        channels[slot] = channel;
        positions[slot] = position;
        lengths[slot] = length;
        nextOffsets[slot] = nextOffset;
    }

    /**
     * Fit the response into {@code maxBytes}: regions are kept in request order while they fit, the first
     * non-empty one always (so one oversized batch still makes progress); the rest are sent empty, and the
     * client asks for them again. Regions hold whole batches, so nothing is ever cut mid-batch.
     */
    void applyResponseLimit()
    {
        long budget = maxBytes;
        boolean first = true;
        for (int i = 0; i < count; i++)
        {
            final int length = lengths[i];
            if (length == 0)
            {
                continue;
            }
            if (first || length <= budget)
            {
                budget -= length;
                first = false;
            }
            else
            {
                lengths[i] = 0;
            }
        }
    }

    void complete()
    {
        completion.onComplete(this);
    }

    /** Drop references so a pooled gather keeps no connection, partition or file alive. */
    void clear()
    {
        Arrays.fill(channels, 0, count, null);
        clearReferences();
        completion = null;
    }

    public int maxWaitMs()
    {
        return maxWaitMs;
    }

    public int minBytes()
    {
        return minBytes;
    }

    public int maxBytes()
    {
        return maxBytes;
    }

    long deadlineMs()
    {
        return deadlineMs;
    }

    public long fetchOffset(final int slot)
    {
        return fetchOffsets[slot];
    }

    /** Most bytes to read for {@code slot}: its own limit, and never more than the whole response may carry. */
    int readLimit(final int slot)
    {
        return Math.min(partitionMaxBytes[slot], maxBytes);
    }

    public long highWatermark(final int slot)
    {
        return highWatermarks[slot];
    }

    public long logStartOffset(final int slot)
    {
        return logStartOffsets[slot];
    }

    /** File holding the records of {@code slot}, or null when there are none. */
    public FileChannel channel(final int slot)
    {
        return channels[slot];
    }

    public long position(final int slot)
    {
        return positions[slot];
    }

    /** Bytes of records to send for {@code slot}, whole batches, 0 for none. */
    public int length(final int slot)
    {
        return lengths[slot];
    }

    /** Offsets the region of {@code slot} delivers from the fetch offset (records, unless compacted away). */
    long offsetsOut(final int slot)
    {
        return lengths[slot] == 0 ? 0 : Math.max(0, nextOffsets[slot] - fetchOffsets[slot]);
    }
}
