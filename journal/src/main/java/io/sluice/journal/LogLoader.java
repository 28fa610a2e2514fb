package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.codecs.record.RecordBatchValidator;
import io.sluice.codecs.record.Varints;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Opens a partition directory and brings it to a consistent state, Kafka's log-loading rules:
 * <ul>
 *   <li>a cleaning interrupted after its commit point is finished: each {@code <base>.<end>.swap} file replaces
 *   the segments whose base offsets lie in {@code [base, end)}, and its indexes are rebuilt;</li>
 *   <li>leftover {@code .deleted}, {@code .cleaned} and temp files are removed, index files without a log are
 *   removed, and anything else that is not part of the log is counted and left alone;</li>
 *   <li>after a clean close (the checkpoint's clean-end matches the active segment) nothing is re-read;</li>
 *   <li>otherwise segments wholly below the recovery point are trusted and their indexes checked cheaply,
 *   while the segment holding the recovery point and every later one are re-validated batch by batch; the
 *   first torn, corrupt or out-of-sequence batch and everything after it is cut. Offsets must continue exactly,
 *   except below the cleaner checkpoint, where cleaning leaves gaps and batches holding fewer records than
 *   offsets;</li>
 *   <li>indexes are rebuilt for re-validated segments, and for trusted ones that are missing or inconsistent
 *   (which re-validates that segment too).</li>
 * </ul>
 * Runs once, on the thread opening the log; allocates freely.
 */
final class LogLoader
{
    /** Batches up to this size are loaded whole and fully validated; larger ones are CRC-checked in chunks. */
    private static final int MIN_LOAD_BYTES = 1024 * 1024;
    private static final int CHUNK_BYTES = 64 * 1024;

    private final Path dir;
    private final LogConfig config;
    private final long nowMs;
    private final RecoveryReport report;
    private final BatchHeaderReader headerReader;
    private final RecordBatchValidator validator = new RecordBatchValidator();
    private final UnsafeBuffer batchView = new UnsafeBuffer(0, 0);
    private final int loadLimit;
    private final RecordBatchFlyweight loadedBatch = new RecordBatchFlyweight();
    private ByteBuffer batchBuffer;
    /** Offsets below this may be missing (removed by cleaning); above it they must continue exactly. */
    private long cleanBound = -1;
    /** Set by {@link #recoverSegment} when it cut invalid bytes off the segment. */
    private boolean segmentCut;

    final List<LogSegment> segments = new ArrayList<>();
    final PartitionCheckpoint checkpoint = new PartitionCheckpoint();
    long logEndOffset;

    LogLoader(
        final Path dir, final LogConfig config, final long nowMs, final RecoveryReport report,
        final BatchHeaderReader headerReader)
    {
        this.dir = dir;
        this.config = config;
        this.nowMs = nowMs;
        this.report = report;
        this.headerReader = headerReader;
        loadLimit = Math.max(MIN_LOAD_BYTES, config.maxMessageBytes());
    }

    /** Load and recover; on failure every opened segment is closed before the exception propagates. */
    void load() throws IOException
    {
        try
        {
            final boolean hasCheckpoint = checkpoint.read(dir);
            completeSwaps();
            // Without a checkpoint nothing says where cleaning may have left gaps: accept them anywhere, as Kafka.
            cleanBound = hasCheckpoint ? checkpoint.cleanerOffset : Long.MAX_VALUE;
            openSegments();
            if (segments.isEmpty())
            {
                final long start = hasCheckpoint ? checkpoint.logStartOffset : 0;
                segments.add(LogSegment.create(dir, start, config, nowMs));
                logEndOffset = start;
                report.clean = hasCheckpoint && checkpoint.cleanEndOffset == start;
            }
            else if (hasCheckpoint && report.swapsCompleted == 0 && isCleanShutdown())
            {
                loadClean();
            }
            else
            {
                recover(hasCheckpoint ? checkpoint.recoveryPoint : 0);
            }
            finish(hasCheckpoint);
        }
        catch (final IOException | RuntimeException ex)
        {
            for (final LogSegment segment : segments)
            {
                try
                {
                    segment.close();
                }
                catch (final IOException suppressed)
                {
                    ex.addSuppressed(suppressed);
                }
            }
            segments.clear();
            throw ex;
        }
    }

    /**
     * Finish every cleaning that reached its commit point: the swap file replaces the segments (and their index
     * files) whose base offsets lie in its range, and the cleaner checkpoint moves to at least its end, since
     * gaps may lie anywhere below it. Unfinished {@code .cleaned} files are deleted.
     */
    private void completeSwaps() throws IOException
    {
        final List<Path> swaps = new ArrayList<>();
        final List<Path> segmentFiles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                if (name.endsWith(SegmentFiles.CLEANED_SUFFIX))
                {
                    Files.deleteIfExists(file);
                }
                else if (SegmentFiles.swapEnd(name) >= 0)
                {
                    swaps.add(file);
                }
                else if (segmentBase(name) >= 0)
                {
                    segmentFiles.add(file);
                }
            }
        }
        if (swaps.isEmpty())
        {
            return;
        }
        for (final Path swap : swaps)
        {
            final String name = swap.getFileName().toString();
            final long base = SegmentFiles.swapBase(name);
            final long end = SegmentFiles.swapEnd(name);
            for (final Path file : segmentFiles)
            {
                final long segmentBase = segmentBase(file.getFileName().toString());
                if (segmentBase >= base && segmentBase < end)
                {
                    Files.deleteIfExists(file);
                }
            }
            Files.move(swap, SegmentFiles.path(dir, base, SegmentFiles.LOG_SUFFIX), StandardCopyOption.ATOMIC_MOVE);
            checkpoint.cleanerOffset = Math.max(checkpoint.cleanerOffset, end);
            report.swapsCompleted++;
        }
        CheckpointFile.forceDirectory(dir);
    }

    /** Base offset of a live segment's log or index file name, else -1. */
    private static long segmentBase(final String name)
    {
        final long log = SegmentFiles.baseOffset(name, SegmentFiles.LOG_SUFFIX);
        if (log >= 0)
        {
            return log;
        }
        final long index = SegmentFiles.baseOffset(name, SegmentFiles.INDEX_SUFFIX);
        return index >= 0 ? index : SegmentFiles.baseOffset(name, SegmentFiles.TIME_INDEX_SUFFIX);
    }

    private void openSegments() throws IOException
    {
        final List<Long> logBases = new ArrayList<>();
        final List<Path> indexFiles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                if (name.endsWith(SegmentFiles.DELETED_SUFFIX) || name.endsWith(SegmentFiles.TEMP_SUFFIX) ||
                    name.endsWith(SegmentFiles.CLEANED_SUFFIX))
                {
                    Files.deleteIfExists(file);
                }
                else if (SegmentFiles.baseOffset(name, SegmentFiles.LOG_SUFFIX) >= 0 && Files.isRegularFile(file))
                {
                    logBases.add(SegmentFiles.baseOffset(name, SegmentFiles.LOG_SUFFIX));
                }
                else if (SegmentFiles.baseOffset(name, SegmentFiles.INDEX_SUFFIX) >= 0 ||
                    SegmentFiles.baseOffset(name, SegmentFiles.TIME_INDEX_SUFFIX) >= 0)
                {
                    indexFiles.add(file);
                }
                else if (!isKnownFile(name))
                {
                    report.foreignFiles++;
                }
            }
        }
        Collections.sort(logBases);
        for (final Path indexFile : indexFiles)
        {
            final String name = indexFile.getFileName().toString();
            final long base = name.endsWith(SegmentFiles.INDEX_SUFFIX) ?
                SegmentFiles.baseOffset(name, SegmentFiles.INDEX_SUFFIX) :
                SegmentFiles.baseOffset(name, SegmentFiles.TIME_INDEX_SUFFIX);
            if (Collections.binarySearch(logBases, base) < 0)
            {
                Files.deleteIfExists(indexFile);
            }
        }
        for (final long base : logBases)
        {
            segments.add(LogSegment.open(dir, base, nowMs));
        }
    }

    private static boolean isKnownFile(final String name)
    {
        return PartitionCheckpoint.FILE_NAME.equals(name) || LeaderEpochCache.FILE_NAME.equals(name) ||
            SegmentFiles.baseOffset(name, SegmentFiles.SNAPSHOT_SUFFIX) >= 0;
    }

    private boolean isCleanShutdown()
    {
        final LogSegment last = segments.get(segments.size() - 1);
        return checkpoint.cleanEndOffset >= last.baseOffset() && checkpoint.cleanActiveSegmentBytes == last.size();
    }

    private void loadClean() throws IOException
    {
        report.clean = true;
        logEndOffset = checkpoint.cleanEndOffset;
        for (int i = 0; i < segments.size(); i++)
        {
            final long next = i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : logEndOffset;
            if (!indexesLookSane(segments.get(i), next))
            {
                report.clean = false;
                report.indexesRebuilt++;
                final long end = recoverSegment(i, i + 1 < segments.size() ? next : Long.MAX_VALUE);
                if (i + 1 < segments.size() ? !reachesNext(end, next) : end != next)
                {
                    logEndOffset = end;
                    dropSegmentsAfter(i, end);
                    break;
                }
            }
        }
    }

    private void recover(final long checkpointRecoveryPoint) throws IOException
    {
        int first = 0;
        while (first + 1 < segments.size() && segments.get(first + 1).baseOffset() <= checkpointRecoveryPoint)
        {
            first++;
        }
        for (int i = 0; i < segments.size(); i++)
        {
            final LogSegment segment = segments.get(i);
            final boolean last = i + 1 == segments.size();
            final long next = last ? -1 : segments.get(i + 1).baseOffset();
            final long end;
            if (i < first && indexesLookSane(segment, next))
            {
                end = next;
                segmentCut = false;
            }
            else
            {
                if (!segment.indexFilesExisted() || !segment.offsetIndex().lengthWasValid() ||
                    !segment.timeIndex().lengthWasValid() || i < first)
                {
                    report.indexesRebuilt++;
                }
                end = recoverSegment(i, last ? Long.MAX_VALUE : next);
            }
            if (last)
            {
                logEndOffset = end;
            }
            else if (!reachesNext(end, next))
            {
                logEndOffset = end;
                dropSegmentsAfter(i, end);
                break;
            }
        }
    }

    /**
     * Whether a segment recovered up to {@code end} joins the next one at {@code next}: exactly, or with a gap
     * that cleaning left (every missing offset below the cleaner checkpoint), and without bytes cut.
     */
    private boolean reachesNext(final long end, final long next)
    {
        return !segmentCut && (end == next || next <= cleanBound);
    }

    /** Cheap check of a trusted segment's indexes: sizes, ranges, and the last offset entry's batch. */
    private boolean indexesLookSane(final LogSegment segment, final long nextOffset) throws IOException
    {
        if (!segment.indexFilesExisted())
        {
            return false;
        }
        final OffsetIndex offsets = segment.offsetIndex();
        if (!offsets.looksSane(nextOffset, segment.size()) || !segment.timeIndex().looksSane(nextOffset))
        {
            return false;
        }
        if (offsets.entries() > 0)
        {
            final int last = offsets.entries() - 1;
            final RecordBatchFlyweight header =
                headerReader.read(segment.channel(), offsets.position(last), segment.size());
            if (header == null || header.baseOffset() != offsets.offset(last))
            {
                return false;
            }
        }
        segment.loadMaxTimestampFromIndex();
        return true;
    }

    /**
     * Re-validate every batch of segment {@code i} from its start, rebuilding its indexes, and cut it at the
     * first batch that is torn, corrupt, reaches {@code limitOffset} (the next segment's base), or does not
     * continue the offsets. Below the cleaner checkpoint a batch may start after a gap and hold fewer records
     * than its offset range (none, for a batch kept for its producer's sequence).
     *
     * @return the offset after the segment's last good batch; {@link #segmentCut} says whether bytes were cut.
     */
    private long recoverSegment(final int i, final long limitOffset) throws IOException
    {
        final LogSegment segment = segments.get(i);
        final FileChannel channel = segment.channel();
        final int size = segment.size();
        segment.makeActive(config);
        segment.resetIndexes();
        long expected = segment.baseOffset();
        int position = 0;
        while (position < size)
        {
            final RecordBatchFlyweight header = headerReader.read(channel, position, size);
            if (header == null || header.magic() != RecordBatchFlyweight.MAGIC_V2)
            {
                break;
            }
            final long baseOffset = header.baseOffset();
            final int lastOffsetDelta = header.lastOffsetDelta();
            final int recordCount = header.recordCount();
            final boolean complete = recordCount > 0 && lastOffsetDelta == recordCount - 1;
            final boolean cleanable = baseOffset <= cleanBound;
            if (baseOffset < expected || (baseOffset != expected && !cleanable) ||
                lastOffsetDelta < 0 || baseOffset + lastOffsetDelta >= limitOffset ||
                (!complete && (!cleanable || recordCount < 0 || recordCount > lastOffsetDelta + 1)))
            {
                break;
            }
            final int length = header.totalLength();
            final long lastOffset = header.lastOffset();
            final long maxTimestamp = header.maxTimestamp();
            if (!batchIsValid(channel, position, length, complete))
            {
                break;
            }
            segment.onBatchStored(baseOffset, maxTimestamp, position, length, config.indexIntervalBytes());
            report.batchesScanned++;
            expected = lastOffset + 1;
            position += length;
        }
        segmentCut = position < size;
        if (segmentCut)
        {
            report.bytesTruncated += size - position;
            report.truncatedToOffset = expected;
            segment.truncateBytes(position);
        }
        return expected;
    }

    /**
     * Load and check a whole batch: every check of an append for a {@code complete} batch; for one cleaning
     * rewrote with fewer records than offsets, the CRC and (uncompressed) that the records fill it exactly.
     */
    private boolean batchIsValid(final FileChannel channel, final int position, final int length, final boolean complete)
        throws IOException
    {
        if (length > loadLimit)
        {
            return crcMatches(channel, position, length);
        }
        if (batchBuffer == null || batchBuffer.capacity() < length)
        {
            batchBuffer = ByteBuffer.allocateDirect(Math.max(length, 64 * 1024));
            batchView.wrap(batchBuffer);
        }
        batchBuffer.clear().limit(length);
        while (batchBuffer.hasRemaining())
        {
            if (channel.read(batchBuffer, position + batchBuffer.position()) < 0)
            {
                return false;
            }
        }
        if (complete)
        {
            return validator.validate(batchView, 0, length, Integer.MAX_VALUE) == ErrorCodes.NONE;
        }
        return cleanedRecordsAreWhole(length);
    }

    private boolean cleanedRecordsAreWhole(final int length)
    {
        final RecordBatchFlyweight batch = loadedBatch.wrap(batchView, 0);
        if (batch.computeCrc() != batch.crc())
        {
            return false;
        }
        if (batch.compressionType() != 0)
        {
            return true;
        }
        int position = RecordBatchFlyweight.RECORDS_OFFSET;
        int found = 0;
        while (position < length)
        {
            final long lengthAndSize = Varints.readZigZagInt(batchView, position, length);
            if (lengthAndSize == Varints.MALFORMED)
            {
                return false;
            }
            final int recordLength = Varints.value(lengthAndSize);
            position += Varints.size(lengthAndSize);
            if (recordLength < 0 || recordLength > length - position)
            {
                return false;
            }
            position += recordLength;
            found++;
        }
        return position == length && found == batch.recordCount();
    }

    /** CRC32C of a batch too large to load whole, read in chunks; the header was checked by the caller. */
    private boolean crcMatches(final FileChannel channel, final int position, final int length) throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(RecordBatchFlyweight.HEADER_LENGTH);
        while (header.hasRemaining())
        {
            if (channel.read(header, position + header.position()) < 0)
            {
                return false;
            }
        }
        final long storedCrc = header.getInt(RecordBatchFlyweight.CRC_OFFSET) & 0xFFFF_FFFFL;
        final CRC32C crc = new CRC32C();
        final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
        long at = position + RecordBatchFlyweight.ATTRIBUTES_OFFSET;
        final long end = (long)position + length;
        while (at < end)
        {
            chunk.clear().limit((int)Math.min(CHUNK_BYTES, end - at));
            final int read = channel.read(chunk, at);
            if (read < 0)
            {
                return false;
            }
            chunk.flip();
            crc.update(chunk);
            at += read;
        }
        return crc.getValue() == storedCrc;
    }

    private void dropSegmentsAfter(final int i, final long endOffset) throws IOException
    {
        report.truncatedToOffset = endOffset;
        while (segments.size() > i + 1)
        {
            final LogSegment dropped = segments.remove(segments.size() - 1);
            report.bytesTruncated += dropped.size();
            dropped.markDeleted();
            dropped.closeDeleted();
        }
    }

    private void finish(final boolean hasCheckpoint) throws IOException
    {
        final int lastIndex = segments.size() - 1;
        for (int i = 0; i < lastIndex; i++)
        {
            segments.get(i).makeInactive();
        }
        final LogSegment active = segments.get(lastIndex);
        active.makeActive(config);
        active.loadActiveState(headerReader);
        if (!hasCheckpoint)
        {
            checkpoint.logStartOffset = segments.get(0).baseOffset();
            checkpoint.highWatermark = 0;
        }
        checkpoint.logStartOffset = Math.min(
            Math.max(checkpoint.logStartOffset, segments.get(0).baseOffset()), logEndOffset);
        checkpoint.highWatermark = Math.max(
            checkpoint.logStartOffset, Math.min(checkpoint.highWatermark, logEndOffset));
        if (!report.clean)
        {
            // Bytes recovery accepted may so far live only in the page cache; make them durable before
            // declaring them below the recovery point.
            for (final LogSegment segment : segments)
            {
                segment.flush(segment != active);
            }
        }
        checkpoint.recoveryPoint = logEndOffset;
        checkpoint.cleanerOffset = Math.min(checkpoint.cleanerOffset, logEndOffset);
        checkpoint.cleanEndOffset = -1;
        checkpoint.cleanActiveSegmentBytes = -1;
        checkpoint.write(dir);
    }
}
