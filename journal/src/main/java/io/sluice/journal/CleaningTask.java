package io.sluice.journal;

import org.agrona.collections.Long2LongHashMap;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One round of cleaning one log: what the log's owner thread saw when it decided to clean (the inactive
 * segments that may be cleaned, the cleaner checkpoint, the settings), and the hand-off of the outcome back.
 *
 * <p>The description is immutable and holds only values (offsets, sizes, paths), never the log's own objects: the
 * cleaner opens its own read channels on the paths and writes {@code .cleaned} files, and the owner thread alone
 * swaps them in ({@link PartitionLog#onTimer}). Nothing the owner mutates is read by the cleaner.
 *
 * <p><b>Threading:</b> created by the owner thread, published to one cleaner thread through the scheduler's
 * queue. The state moves {@code QUEUED -> RUNNING -> DONE | FAILED | ABORTED} by atomic updates; the outcome is
 * written before the final state, so an owner that sees {@link #DONE} sees the outputs.
 */
public final class CleaningTask
{
    public static final int QUEUED = 0;
    public static final int RUNNING = 1;
    public static final int DONE = 2;
    public static final int FAILED = 3;
    public static final int ABORTED = 4;

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private volatile boolean abortRequested;

    private final Path dir;
    private final long[] baseOffsets;
    private final long[] endOffsets;
    private final int[] sizes;
    private final Path[] paths;
    private final int[] offsetIndexEntries;
    private final int[] timeIndexEntries;
    private final long firstDirtyOffset;
    private final long nowMs;
    private final long deleteRetentionMs;
    private final int segmentBytes;
    private final int segmentIndexBytes;
    private final int indexIntervalBytes;
    private final Long2LongHashMap producerLastOffsets;

    /** Owner side only: the segments described, to check at swap time that they are still the log's. */
    final LogSegment[] sources;

    private List<CleanedSegment> outputs;
    private long nextDirtyOffset = -1;
    private Throwable failure;

    CleaningTask(
        final Path dir, final SegmentList segments, final int count, final long logEndOffset,
        final long firstDirtyOffset, final long nowMs, final LogConfig config,
        final Long2LongHashMap producerLastOffsets)
    {
        this.dir = dir;
        this.firstDirtyOffset = firstDirtyOffset;
        this.nowMs = nowMs;
        this.producerLastOffsets = producerLastOffsets;
        deleteRetentionMs = config.deleteRetentionMs();
        segmentBytes = config.segmentBytes();
        segmentIndexBytes = config.segmentIndexBytes();
        indexIntervalBytes = config.indexIntervalBytes();
        sources = new LogSegment[count];
        baseOffsets = new long[count];
        endOffsets = new long[count];
        sizes = new int[count];
        paths = new Path[count];
        offsetIndexEntries = new int[count];
        timeIndexEntries = new int[count];
        for (int i = 0; i < count; i++)
        {
            final LogSegment segment = segments.get(i);
            sources[i] = segment;
            baseOffsets[i] = segment.baseOffset();
            endOffsets[i] = segments.endOffset(i, logEndOffset);
            sizes[i] = segment.size();
            paths[i] = segment.logPath();
            offsetIndexEntries[i] = segment.offsetIndex().entries();
            timeIndexEntries[i] = segment.timeIndex().entries();
        }
    }

    /** Unique within the process; names the task's {@code .cleaned} files. */
    public long id()
    {
        return id;
    }

    public Path directory()
    {
        return dir;
    }

    /** Number of segments that may be cleaned: the log's oldest ones, none of them active. */
    public int segmentCount()
    {
        return baseOffsets.length;
    }

    public long baseOffset(final int segment)
    {
        return baseOffsets[segment];
    }

    /** The offset after segment {@code segment}: the next segment's base offset. */
    public long endOffset(final int segment)
    {
        return endOffsets[segment];
    }

    /** Bytes of segment {@code segment}; it is inactive, so never grows. Read no further. */
    public int size(final int segment)
    {
        return sizes[segment];
    }

    /** Path of segment {@code segment}'s log file when the task was made. */
    public Path path(final int segment)
    {
        return paths[segment];
    }

    public int offsetIndexEntries(final int segment)
    {
        return offsetIndexEntries[segment];
    }

    public int timeIndexEntries(final int segment)
    {
        return timeIndexEntries[segment];
    }

    /** The cleaner checkpoint: keys are collected from here on; records below were deduplicated before. */
    public long firstDirtyOffset()
    {
        return firstDirtyOffset;
    }

    /** The owner's clock when the task was made: the time tombstone delete horizons are judged by. */
    public long nowMs()
    {
        return nowMs;
    }

    public long deleteRetentionMs()
    {
        return deleteRetentionMs;
    }

    /** {@code segment.bytes}: the most log bytes one group of segments merged into one may hold. */
    public int segmentBytes()
    {
        return segmentBytes;
    }

    /** {@code segment.index.bytes}: the capacity of a cleaned segment's indexes. */
    public int segmentIndexBytes()
    {
        return segmentIndexBytes;
    }

    public int indexIntervalBytes()
    {
        return indexIntervalBytes;
    }

    /**
     * True when the batch ending at {@code lastOffset} is the newest batch of active producer {@code producerId}:
     * it is kept, empty if need be, so that the producer's sequence survives cleaning (Kafka's rule).
     */
    public boolean isLastBatchOfProducer(final long producerId, final long lastOffset)
    {
        return producerLastOffsets.get(producerId) == lastOffset;
    }

    /** Called by the cleaner before starting; false when the task was aborted while queued. */
    public boolean start()
    {
        return state.compareAndSet(QUEUED, RUNNING);
    }

    /** The owner asked the cleaner to stop (the log is closing, deleting or dropping its cleaner). */
    public boolean abortRequested()
    {
        return abortRequested;
    }

    /**
     * The cleaner finished: {@code outputs} (each a group of consecutive segments cleaned into one file, in
     * offset order) replace their sources, and keys below {@code nextDirtyOffset} are deduplicated.
     */
    public void complete(final List<CleanedSegment> outputs, final long nextDirtyOffset)
    {
        this.outputs = List.copyOf(outputs);
        this.nextDirtyOffset = nextDirtyOffset;
        state.set(DONE);
    }

    /** The cleaner gave up on an error; it has removed its files. */
    public void fail(final Throwable cause)
    {
        failure = cause;
        state.set(FAILED);
    }

    /** The cleaner stopped on request; it has removed its files. */
    public void aborted()
    {
        state.set(ABORTED);
    }

    public int state()
    {
        return state.get();
    }

    /** Owner side: stop the cleaner at its next step, or drop the task if no cleaner has started it. */
    void requestAbort()
    {
        abortRequested = true;
        state.compareAndSet(QUEUED, ABORTED);
    }

    List<CleanedSegment> outputs()
    {
        return outputs;
    }

    long nextDirtyOffset()
    {
        return nextDirtyOffset;
    }

    Throwable failure()
    {
        return failure;
    }

    @Override
    public String toString()
    {
        return "CleaningTask{id=" + id + ", dir=" + dir + ", segments=" + baseOffsets.length +
            ", firstDirtyOffset=" + firstDirtyOffset + ", state=" + state.get() + "}";
    }
}
