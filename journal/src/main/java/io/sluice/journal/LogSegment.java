package io.sluice.journal;

import io.sluice.codecs.record.RecordBatchFlyweight;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One segment of a partition log: the {@code .log} file of whole RecordBatch v2 batches, its sparse offset
 * index and its time index. Offsets in a segment increase from its base offset; they are contiguous unless the
 * cleaner has removed records (below the cleaner checkpoint), which leaves gaps.
 *
 * <p>Not thread-safe: only the partition's owner thread calls it. Other threads may only transfer bytes from
 * {@link #channel()}, which stays open until {@link #closeAndDelete()}, after the file delete delay.
 */
final class LogSegment
{
    private final long baseOffset;
    private Path logPath;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final boolean indexFilesExisted;
    private int size;
    // Batch boundaries that let positionOf skip the scan from the index entry (up to index.interval.bytes of batch
    // headers, a read each): every batch before the position ends below the offset. One is the latest append, which a
    // consumer at the log end asks for next; the other is where the latest read ended, which a consumer reading
    // behind the end asks for next. -1: none.
    private long appendedOffset = -1;
    private int appendedPosition;
    private long readEndOffset = -1;
    private int readEndPosition;
    private int bytesSinceLastIndexEntry;
    private long maxTimestamp = -1;
    private long offsetOfMaxTimestamp = -1;
    private long rollBaseMs;
    private boolean indexesDirty;

    private LogSegment(
        final Path dir, final long baseOffset, final String extraSuffix, final int indexCapacity, final boolean create,
        final long nowMs)
        throws IOException
    {
        this.baseOffset = baseOffset;
        logPath = SegmentFiles.path(dir, baseOffset, SegmentFiles.LOG_SUFFIX + extraSuffix);
        final Path indexPath = SegmentFiles.path(dir, baseOffset, SegmentFiles.INDEX_SUFFIX + extraSuffix);
        final Path timeIndexPath = SegmentFiles.path(dir, baseOffset, SegmentFiles.TIME_INDEX_SUFFIX + extraSuffix);
        indexFilesExisted = !create && Files.exists(indexPath) && Files.exists(timeIndexPath);
        if (create)
        {
            Files.deleteIfExists(indexPath);
            Files.deleteIfExists(timeIndexPath);
            channel = FileChannel.open(
                logPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        else
        {
            channel = FileChannel.open(logPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        OffsetIndex offsets = null;
        try
        {
            offsets = new OffsetIndex(indexPath, baseOffset, indexCapacity);
            timeIndex = new TimeIndex(timeIndexPath, baseOffset, indexCapacity);
        }
        catch (final IOException ex)
        {
            if (offsets != null)
            {
                offsets.close();
            }
            channel.close();
            throw ex;
        }
        offsetIndex = offsets;
        final long length = channel.size();
        size = (int)Math.min(length, Integer.MAX_VALUE);
        rollBaseMs = nowMs;
    }

    /** Create the files of a new, empty, active segment with preallocated indexes. */
    static LogSegment create(final Path dir, final long baseOffset, final LogConfig config, final long nowMs)
        throws IOException
    {
        return new LogSegment(dir, baseOffset, "", config.segmentIndexBytes(), true, nowMs);
    }

    /**
     * Create the files of a segment the cleaner writes, named as the segment of {@code baseOffset} plus
     * {@code .<tag>.cleaned}, with indexes preallocated to {@code indexCapacity} bytes. Leftovers of an earlier
     * attempt with the same tag are replaced.
     */
    static LogSegment createCleaned(
        final Path dir, final long baseOffset, final String tag, final int indexCapacity, final long nowMs)
        throws IOException
    {
        final String suffix = "." + tag + SegmentFiles.CLEANED_SUFFIX;
        Files.deleteIfExists(SegmentFiles.path(dir, baseOffset, SegmentFiles.LOG_SUFFIX + suffix));
        return new LogSegment(dir, baseOffset, suffix, indexCapacity, true, nowMs);
    }

    /**
     * Open an existing segment. Its index files are mapped as found (created empty when missing); the loader
     * validates or rebuilds them, then {@link #makeActive} or {@link #makeInactive} sizes them.
     */
    static LogSegment open(final Path dir, final long baseOffset, final long nowMs) throws IOException
    {
        return new LogSegment(dir, baseOffset, "", 0, false, nowMs);
    }

    long baseOffset()
    {
        return baseOffset;
    }

    FileChannel channel()
    {
        return channel;
    }

    /** The log file's current path (it changes when the segment is marked deleted). */
    Path logPath()
    {
        return logPath;
    }

    int size()
    {
        return size;
    }

    long maxTimestamp()
    {
        return maxTimestamp;
    }

    long offsetOfMaxTimestamp()
    {
        return offsetOfMaxTimestamp;
    }

    /** Time the segment.ms roll counts from: its first batch's max timestamp, else when it was created. */
    long rollBaseMs()
    {
        return rollBaseMs;
    }

    OffsetIndex offsetIndex()
    {
        return offsetIndex;
    }

    TimeIndex timeIndex()
    {
        return timeIndex;
    }

    boolean indexFilesExisted()
    {
        return indexFilesExisted;
    }

    boolean indexesFull()
    {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /** Append the bytes between {@code src}'s position and limit at the end of the file. */
    int write(final ByteBuffer src) throws IOException
    {
        final int start = size;
        long position = start;
        while (src.hasRemaining())
        {
            position += channel.write(src, position);
        }
        size = (int)position;
        return size - start;
    }

    /**
     * Account for a batch now stored at {@code position}: the index entry every {@code index.interval.bytes},
     * and the running maximum timestamp.
     */
    void onBatchStored(
        final long batchBaseOffset, final long batchMaxTimestamp, final int position, final int length,
        final int indexIntervalBytes)
    {
        if (position == 0)
        {
            rollBaseMs = batchMaxTimestamp >= 0 ? batchMaxTimestamp : rollBaseMs;
        }
        appendedOffset = batchBaseOffset;
        appendedPosition = position;
        if (batchMaxTimestamp > maxTimestamp)
        {
            maxTimestamp = batchMaxTimestamp;
            offsetOfMaxTimestamp = batchBaseOffset;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes && position > 0 && !offsetIndex.isFull())
        {
            offsetIndex.append(batchBaseOffset, position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += length;
        indexesDirty = true;
    }

    /**
     * Position of the first batch whose last offset is at least {@code offset}, starting from the index's
     * floor entry; -1 when no batch in the segment reaches it.
     */
    int positionOf(final long offset, final BatchHeaderReader reader) throws IOException
    {
        int position = offsetIndex.floorPosition(offset);
        if (appendedOffset >= 0 && appendedOffset <= offset && appendedPosition > position)
        {
            position = appendedPosition;
        }
        if (readEndOffset >= 0 && readEndOffset <= offset && readEndPosition > position)
        {
            position = readEndPosition;
        }
        while (position < size)
        {
            final RecordBatchFlyweight header = reader.read(channel, position, size);
            if (header == null)
            {
                return -1;
            }
            if (header.lastOffset() >= offset)
            {
                return position;
            }
            position += header.totalLength();
        }
        return -1;
    }

    /**
     * End of a region of whole batches starting at batch boundary {@code start}, at most {@code maxBytes}
     * long unless {@code minOneBatch} asks for the first batch whatever its size.
     */
    int regionEnd(
        final int start, final int maxBytes, final boolean minOneBatch, final BatchHeaderReader reader, final ReadResult result)
        throws IOException
    {
        result.nextOffset = -1;
        final long target = (long)start + maxBytes;
        if (target >= size)
        {
            return size;
        }
        int position = Math.max(start, offsetIndex.floorPositionByPosition((int)target));
        while (true)
        {
            final RecordBatchFlyweight header = reader.read(channel, position, size);
            if (header == null)
            {
                break;
            }
            if (position + header.totalLength() > target)
            {
                result.nextOffset = header.baseOffset();
                break;
            }
            position += header.totalLength();
        }
        if (position == start && minOneBatch)
        {
            final RecordBatchFlyweight header = reader.read(channel, start, size);
            if (header != null)
            {
                position = start + header.totalLength();
                result.nextOffset = header.lastOffset() + 1;
            }
        }
        return position;
    }

    /**
     * Find the first batch at or after {@code startingOffset} whose max timestamp is at least
     * {@code timestamp}, using the time index to skip batches known to be older.
     *
     * @param fromPosition a batch boundary to start at, or -1 to start where the indexes allow.
     * @return the batch's position, or -1 when no batch of this segment qualifies.
     */
    int positionOfTimestamp(
        final long timestamp, final long startingOffset, final int fromPosition, final BatchHeaderReader reader)
        throws IOException
    {
        int position = fromPosition >= 0 ?
            fromPosition : offsetIndex.floorPosition(Math.max(timeIndex.offsetBefore(timestamp), startingOffset));
        while (position < size)
        {
            final RecordBatchFlyweight header = reader.read(channel, position, size);
            if (header == null)
            {
                return -1;
            }
            if (header.lastOffset() >= startingOffset && header.maxTimestamp() >= timestamp)
            {
                return position;
            }
            position += header.totalLength();
        }
        return -1;
    }

    /**
     * Forget both indexes and the timestamps, to be rebuilt by {@link #onBatchStored} calls from the start
     * of the file (recovery) or before a truncation.
     */
    void resetIndexes()
    {
        offsetIndex.reset();
        timeIndex.reset();
        bytesSinceLastIndexEntry = 0;
        maxTimestamp = -1;
        offsetOfMaxTimestamp = -1;
        indexesDirty = true;
    }

    /**
     * Re-derive both indexes and the max timestamp from the batch headers, after a truncation.
     *
     * @return the offset after the last batch.
     */
    long rebuildIndexes(final BatchHeaderReader reader, final int indexIntervalBytes) throws IOException
    {
        resetIndexes();
        long next = baseOffset;
        int position = 0;
        while (position < size)
        {
            final RecordBatchFlyweight header = reader.read(channel, position, size);
            if (header == null)
            {
                throw new IOException("unreadable batch at " + position + " of segment " + baseOffset);
            }
            final int length = header.totalLength();
            next = header.lastOffset() + 1;
            onBatchStored(header.baseOffset(), header.maxTimestamp(), position, length, indexIntervalBytes);
            position += length;
        }
        return next;
    }

    /** Take the max timestamp from the time index's last entry, which roll and close leave there. */
    void loadMaxTimestampFromIndex()
    {
        maxTimestamp = timeIndex.lastTimestamp();
        offsetOfMaxTimestamp = timeIndex.lastOffset();
    }

    /**
     * For a segment that becomes active after loading: the roll clock starts at its first batch's
     * timestamp, and the next index entry is due an interval after its last one.
     */
    void loadActiveState(final BatchHeaderReader reader) throws IOException
    {
        if (size > 0)
        {
            final RecordBatchFlyweight first = reader.read(channel, 0, size);
            if (first != null && first.maxTimestamp() >= 0)
            {
                rollBaseMs = first.maxTimestamp();
            }
        }
        final int entries = offsetIndex.entries();
        bytesSinceLastIndexEntry = size - (entries == 0 ? 0 : offsetIndex.position(entries - 1));
    }

    /** Timestamp retention.ms counts from: the largest timestamp, or the roll base when batches have none. */
    long retentionBaseMs()
    {
        return maxTimestamp >= 0 ? maxTimestamp : rollBaseMs;
    }

    /** Cut the file to {@code position} (a batch boundary); indexes must be rebuilt or truncated after. */
    void truncateBytes(final int position) throws IOException
    {
        channel.truncate(position);
        size = position;
        appendedOffset = -1;
        readEndOffset = -1;
    }

    /**
     * A read ended at batch boundary {@code position}, before which every batch ends below {@code nextOffset}: the
     * reader's next fetch, for {@code nextOffset}, starts its search there.
     */
    void readEnded(final long nextOffset, final int position)
    {
        readEndOffset = nextOffset;
        readEndPosition = position;
    }

    /** The active segment's indexes are preallocated so that appends do not grow files. */
    void makeActive(final LogConfig config) throws IOException
    {
        offsetIndex.preallocate(config.segmentIndexBytes());
        timeIndex.preallocate(config.segmentIndexBytes());
    }

    /** On roll or close: record the final max timestamp and trim the indexes to their entries. */
    void makeInactive() throws IOException
    {
        timeIndex.maybeAppendFinal(maxTimestamp, offsetOfMaxTimestamp);
        offsetIndex.trim();
        timeIndex.trim();
        indexesDirty = true;
    }

    /** Force the log file; the indexes too when {@code withIndexes} (they are rebuilt for the active tail). */
    void flush(final boolean withIndexes) throws IOException
    {
        channel.force(false);
        if (withIndexes && indexesDirty)
        {
            offsetIndex.flush();
            timeIndex.flush();
            indexesDirty = false;
        }
    }

    /** Rename the files with the deleted suffix; the log channel stays open for in-flight transfers. */
    void markDeleted() throws IOException
    {
        offsetIndex.closeAndRename(SegmentFiles.DELETED_SUFFIX);
        timeIndex.closeAndRename(SegmentFiles.DELETED_SUFFIX);
        final Path target = logPath.resolveSibling(logPath.getFileName() + SegmentFiles.DELETED_SUFFIX);
        Files.move(logPath, target, StandardCopyOption.REPLACE_EXISTING);
        logPath = target;
    }

    /** Close a segment marked deleted and remove its files. */
    void closeDeleted() throws IOException
    {
        channel.close();
        Files.deleteIfExists(logPath);
        offsetIndex.delete();
        timeIndex.delete();
    }

    void close() throws IOException
    {
        try
        {
            offsetIndex.close();
            timeIndex.close();
        }
        finally
        {
            channel.close();
        }
    }
}
