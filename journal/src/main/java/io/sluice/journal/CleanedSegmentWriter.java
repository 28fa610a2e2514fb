package io.sluice.journal;

import io.sluice.codecs.record.RecordBatchFlyweight;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes one cleaned segment for a {@link CleaningTask}: the log file and both indexes, named as the segment of
 * the group's first base offset plus {@code .<task id>.cleaned}, so that they never collide with the live
 * segment of that base offset, and recovery deletes them if the process dies first.
 *
 * <p>Owned by one cleaner thread from creation to {@link #finish} or {@link #close}; the files are forced and
 * closed before the owner thread may see them.
 */
public final class CleanedSegmentWriter implements AutoCloseable
{
    private final RecordBatchFlyweight batch = new RecordBatchFlyweight();
    private final int indexIntervalBytes;
    private final int firstSource;
    private final LogSegment segment;
    private boolean closed;

    /** Start the cleaned segment that will replace task segments from {@code firstSource} on. */
    public CleanedSegmentWriter(final CleaningTask task, final int firstSource) throws IOException
    {
        this.firstSource = firstSource;
        indexIntervalBytes = task.indexIntervalBytes();
        segment = LogSegment.createCleaned(
            task.directory(), task.baseOffset(firstSource), Long.toString(task.id()), task.segmentIndexBytes(),
            task.nowMs());
    }

    /**
     * Append the whole batches between {@code batches}' position and limit, indexing them as an append would.
     * Their offsets must increase past everything written before and stay within 2^31 of the segment's base.
     * The buffer's position ends at its limit.
     */
    public void append(final ByteBuffer batches) throws IOException
    {
        final int start = batches.position();
        final int limit = batches.limit();
        final int segmentStart = segment.size();
        segment.write(batches);
        int position = start;
        while (position < limit)
        {
            batch.wrap(batches, position);
            final int length = batch.totalLength();
            segment.onBatchStored(
                batch.baseOffset(), batch.maxTimestamp(), segmentStart + position - start, length, indexIntervalBytes);
            position += length;
        }
    }

    /** Bytes written so far. */
    public int size()
    {
        return segment.size();
    }

    /**
     * Trim and force the indexes, force the log, close the files.
     *
     * @param sourceCount how many task segments, from the first one, this cleaned segment replaces.
     */
    public CleanedSegment finish(final int sourceCount) throws IOException
    {
        segment.makeInactive();
        segment.flush(true);
        final LogSegmentFiles files = LogSegmentFiles.of(segment);
        final int size = segment.size();
        closed = true;
        segment.close();
        return new CleanedSegment(firstSource, sourceCount, files, size);
    }

    /** Abandon an unfinished segment: close and delete its files. Does nothing after {@link #finish}. */
    @Override
    public void close() throws IOException
    {
        if (!closed)
        {
            closed = true;
            final LogSegmentFiles files = LogSegmentFiles.of(segment);
            try
            {
                segment.close();
            }
            finally
            {
                files.deleteIfExist();
            }
        }
    }
}
