package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.codecs.record.RecordBatchValidator;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One partition's durable log: a directory of segments named by base offset, holding RecordBatch v2 bytes
 * exactly as they are served.
 *
 * <p><b>Threading:</b> single writer. Every method must be called from the thread that owns the partition
 * (its shard), except that a {@link ReadResult}'s region may be transferred by any thread.
 *
 * <p>Methods return Kafka error codes ({@code io.sluice.codecs.record.ErrorCodes}); exceptions are reserved
 * for I/O failures that leave the log unusable.
 *
 * <p>{@link #append}, {@link #read} and {@link #force} allocate nothing once warm; rolling a segment, retention,
 * truncation and checkpoints (all rare) may.
 */
public final class PartitionLog implements AutoCloseable
{
    /** How often expired producer ids are looked for (Kafka's producer.id.expiration.check.interval.ms). */
    static final long PRODUCER_EXPIRY_CHECK_INTERVAL_MS = 10 * 60 * 1000;
    /** How long deleting a log waits for a cleaner to let go of its directory. */
    private static final long DELETE_CLEANER_WAIT_MS = 10_000;

    private final Path dir;
    private final EpochClock clock;
    private final RecoveryReport recoveryReport;
    private final BatchHeaderReader headerReader = new BatchHeaderReader();
    private final RecordBatchValidator validator = new RecordBatchValidator();
    private final RecordBatchFlyweight batch = new RecordBatchFlyweight();
    private final LeaderEpochCache epochCache;
    private final PartitionCheckpoint checkpoint;
    private final DeletionQueue deletions = new DeletionQueue();
    private final ProducerStateGuard producerState;
    private final TimestampLookup timestampLookup = new TimestampLookup(headerReader);
    private final SegmentList segments;
    private final CleaningConductor cleaning;
    private LogConfig config;
    private long logEndOffset;
    private long logStartOffset;
    private long highWatermark;
    private long recoveryPoint;
    private long unflushedMessages;
    private long lastFlushMs;
    private long lastCheckpointMs;
    private long lastProducerExpiryMs;
    private boolean directoryDirty;
    private boolean checkpointDirty;
    private boolean closed;
    private IOException storageFailure;

    private PartitionLog(
        final Path dir, final LogConfig config, final EpochClock clock, final LogLoader loader,
        final LeaderEpochCache epochCache, final RecoveryReport report)
    {
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.epochCache = epochCache;
        this.recoveryReport = report;
        checkpoint = loader.checkpoint;
        segments = new SegmentList(loader.segments);
        cleaning = new CleaningConductor(this, dir, segments, checkpoint, headerReader);
        producerState = new ProducerStateGuard(dir);
        logEndOffset = loader.logEndOffset;
        logStartOffset = checkpoint.logStartOffset;
        highWatermark = checkpoint.highWatermark;
        recoveryPoint = checkpoint.recoveryPoint;
        lastFlushMs = clock.time();
        lastCheckpointMs = lastFlushMs;
        lastProducerExpiryMs = lastFlushMs;
    }

    /**
     * Open (creating if absent) the log in {@code dir}, running recovery on whatever a crash left behind.
     * What recovery did is in {@link #recoveryReport()}.
     */
    public static PartitionLog open(final Path dir, final LogConfig config) throws IOException
    {
        return open(dir, config, SystemEpochClock.INSTANCE);
    }

    /** {@link #open(Path, LogConfig)} with the clock used for LogAppendTime, segment.ms, flush.ms, retention. */
    public static PartitionLog open(final Path dir, final LogConfig config, final EpochClock clock)
        throws IOException
    {
        config.conclude();
        if (!Files.isDirectory(dir))
        {
            Files.createDirectories(dir);
            // The new directory's own entry must survive a power loss as well as the files in it.
            CheckpointFile.forceDirectory(dir.toAbsolutePath().getParent());
        }
        final RecoveryReport report = new RecoveryReport();
        final LogLoader loader = new LogLoader(dir, config, clock.time(), report, new BatchHeaderReader());
        loader.load();
        final LeaderEpochCache epochCache = new LeaderEpochCache(dir);
        final PartitionLog log = new PartitionLog(dir, config, clock, loader, epochCache, report);
        try
        {
            epochCache.load();
            epochCache.truncateFromEnd(log.logEndOffset);
            epochCache.truncateFromStart(log.logStartOffset);
            log.producerState.recover(log.segments, log.logEndOffset, log.headerReader);
        }
        catch (final IOException | RuntimeException ex)
        {
            log.closeSegments();
            throw ex;
        }
        return log;
    }

    /**
     * Validate and append the batches in {@code batches} between its position and limit. Their base offsets
     * and partition leader epochs are written into the buffer in place, then the bytes are appended
     * unchanged. Nothing is written when any batch is refused. Does not force, except as the flush policy
     * ({@code flush.messages}) asks. The buffer's position and limit are as they were on return.
     *
     * @return {@code NONE} (check {@link AppendResult#duplicate}), {@code CORRUPT_MESSAGE},
     * {@code INVALID_RECORD}, {@code MESSAGE_TOO_LARGE}, {@code RECORD_LIST_TOO_LARGE} (more than
     * {@code segment.bytes} in one call), {@code UNSUPPORTED_FOR_MESSAGE_FORMAT},
     * {@code OUT_OF_ORDER_SEQUENCE_NUMBER}, {@code INVALID_PRODUCER_EPOCH} or {@code KAFKA_STORAGE_ERROR}.
     */
    /**
     * Why the latest append that answered {@code KAFKA_STORAGE_ERROR} failed: the file system's exception, or null
     * when the log was closed (or no append has failed).
     */
    public IOException storageFailure()
    {
        return storageFailure;
    }

    public short append(final ByteBuffer batches, final int leaderEpoch, final AppendResult result)
    {
        result.reset();
        if (closed)
        {
            return ErrorCodes.KAFKA_STORAGE_ERROR;
        }
        final int start = batches.position();
        final int limit = batches.limit();
        final int length = limit - start;
        final MutableDirectBuffer view = batch.wrap(batches, start).buffer();
        final short code = validator.validate(view, start, length, config.maxMessageBytes());
        if (code != ErrorCodes.NONE)
        {
            result.failedBatchIndex = validator.failedBatchIndex();
            return code;
        }
        if (length > config.segmentBytes())
        {
            return ErrorCodes.RECORD_LIST_TOO_LARGE;
        }
        final short producerCode =
            producerState.check(batches, start, limit, config.logAppendTime(), logStartOffset, result);
        if (producerCode != ErrorCodes.NONE || result.duplicate)
        {
            return producerCode;
        }
        final int recordCount = validator.recordCount();
        final int batchCount = validator.batchCount();
        final long firstOffset = logEndOffset;
        final long now = clock.time();
        try
        {
            maybeRoll(now, length, firstOffset + recordCount - 1);
            if (leaderEpoch > epochCache.latestEpoch())
            {
                epochCache.assign(leaderEpoch, firstOffset);
            }
        }
        catch (final IOException ex)
        {
            storageFailure = ex;
            return ErrorCodes.KAFKA_STORAGE_ERROR;
        }
        stamp(batches, start, limit, leaderEpoch, now);

        final LogSegment active = segments.active();
        final int segmentStart = active.size();
        try
        {
            active.write(batches);
        }
        catch (final IOException ex)
        {
            storageFailure = ex;
            batches.limit(limit).position(start);
            return abandonWrite(active, segmentStart);
        }
        batches.limit(limit).position(start);

        int position = start;
        while (position < limit)
        {
            batch.wrap(batches, position);
            final int batchLength = batch.totalLength();
            active.onBatchStored(
                batch.baseOffset(), batch.maxTimestamp(), segmentStart + position - start, batchLength,
                config.indexIntervalBytes());
            producerState.onStored(batch);
            position += batchLength;
        }
        logEndOffset = firstOffset + recordCount;

        result.firstOffset = firstOffset;
        result.lastOffset = logEndOffset - 1;
        result.logAppendTime = config.logAppendTime() ? now : -1;
        result.logStartOffset = logStartOffset;
        result.batchCount = batchCount;
        result.recordCount = recordCount;
        result.bytesWritten = length;

        unflushedMessages += recordCount;
        if (unflushedMessages >= config.flushMessages())
        {
            return force();
        }
        return ErrorCodes.NONE;
    }

    /** Force everything appended so far to disk and advance the recovery point: the group-commit half. */
    public short force()
    {
        if (closed)
        {
            return ErrorCodes.KAFKA_STORAGE_ERROR;
        }
        if (recoveryPoint == logEndOffset && !directoryDirty)
        {
            return ErrorCodes.NONE;
        }
        try
        {
            final int last = segments.count() - 1;
            for (int i = segments.floor(recoveryPoint); i <= last; i++)
            {
                segments.get(i).flush(i != last);
            }
            if (directoryDirty)
            {
                CheckpointFile.forceDirectory(dir);
                directoryDirty = false;
            }
        }
        catch (final IOException ex)
        {
            return ErrorCodes.KAFKA_STORAGE_ERROR;
        }
        recoveryPoint = logEndOffset;
        unflushedMessages = 0;
        lastFlushMs = clock.time();
        checkpointDirty = true;
        return ErrorCodes.NONE;
    }

    /**
     * Find the region starting at the batch that holds {@code offset}, at most {@code maxBytes} long (but
     * always one whole batch when {@code minOneBatch}, even if it is larger). The region never crosses a
     * segment boundary, so a fetch may return less than {@code maxBytes} even when more data follows.
     *
     * @return {@code NONE} (length 0 at the log end), {@code OFFSET_OUT_OF_RANGE} or
     * {@code KAFKA_STORAGE_ERROR}.
     */
    public short read(final long offset, final int maxBytes, final boolean minOneBatch, final ReadResult result)
    {
        result.logEndOffset = logEndOffset;
        result.highWatermark = highWatermark;
        result.logStartOffset = logStartOffset;
        result.channel = null;
        result.position = 0;
        result.length = 0;
        result.nextOffset = offset;
        if (closed)
        {
            return ErrorCodes.KAFKA_STORAGE_ERROR;
        }
        if (offset < logStartOffset || offset > logEndOffset)
        {
            return ErrorCodes.OFFSET_OUT_OF_RANGE;
        }
        if (offset == logEndOffset)
        {
            final LogSegment active = segments.active();
            result.channel = active.channel();
            result.position = active.size();
            return ErrorCodes.NONE;
        }
        try
        {
            for (int i = segments.floor(offset); i < segments.count(); i++)
            {
                final LogSegment segment = segments.get(i);
                final int position = segment.positionOf(offset, headerReader);
                if (position >= 0)
                {
                    result.channel = segment.channel();
                    result.position = position;
                    result.length = segment.regionEnd(position, maxBytes, minOneBatch, headerReader, result) - position;
                    if (result.nextOffset < 0)
                    {
                        result.nextOffset = i + 1 < segments.count() ? segments.get(i + 1).baseOffset() : logEndOffset;
                    }
                    segment.readEnded(result.nextOffset, position + result.length);
                    return ErrorCodes.NONE;
                }
            }
        }
        catch (final IOException ex)
        {
            return ErrorCodes.KAFKA_STORAGE_ERROR;
        }
        return ErrorCodes.KAFKA_STORAGE_ERROR;
    }

    /**
     * ListOffsets by time: the first offset at or after the log start whose record timestamp is at least
     * {@code timestamp}, with that timestamp; offset -1 when none. Records of a compressed batch are not
     * looked into: the batch's first offset (at or after the log start) answers, with its max timestamp.
     */
    public TimestampOffset offsetForTimestamp(final long timestamp, final TimestampOffset result)
    {
        if (closed)
        {
            return result.set(-1, -1);
        }
        try
        {
            return timestampLookup.offsetFor(segments, logStartOffset, timestamp, result);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * ListOffsets MAX_TIMESTAMP: the largest timestamp in the log and the first offset that carries it (the
     * first offset of its batch when that batch is compressed); offset -1 in an empty log.
     */
    public TimestampOffset maxTimestamp(final TimestampOffset result)
    {
        if (closed)
        {
            return result.set(-1, -1);
        }
        try
        {
            return timestampLookup.max(segments, logStartOffset, result);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Periodic duties: {@code flush.ms}, {@code segment.ms} rolls, retention by time and size, removal of
     * deleted segments after {@code file.delete.delay.ms}, the periodic checkpoint, and compaction's owner-side
     * steps (deciding to clean, swapping cleaned segments in) when a cleaner is attached.
     *
     * @return how much work was done, 0 when idle (the Agrona duty-cycle convention).
     */
    public int onTimer(final long nowMs)
    {
        if (closed)
        {
            return 0;
        }
        int work = 0;
        try
        {
            if (unflushedMessages > 0 && nowMs - lastFlushMs >= config.flushMs())
            {
                force();
                work++;
            }
            final LogSegment active = segments.active();
            if (active.size() > 0 && nowMs - active.rollBaseMs() > config.segmentMs())
            {
                roll(nowMs);
                work++;
            }
            work += deleteRetentionBreachedSegments(nowMs);
            work += cleaning.onTimer(nowMs, config);
            work += deletions.removeDue(nowMs);
            if (nowMs - lastProducerExpiryMs >= PRODUCER_EXPIRY_CHECK_INTERVAL_MS)
            {
                lastProducerExpiryMs = nowMs;
                work += producerState.removeExpired(nowMs, config.producerIdExpirationMs());
            }
            if (checkpointDirty && nowMs - lastCheckpointMs >= config.checkpointIntervalMs())
            {
                writeCheckpoint(nowMs);
                work++;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return work;
    }

    /**
     * Move the log start offset to {@code offset} (DeleteRecords; -1 means the high watermark); whole segments
     * below it are deleted.
     *
     * @return {@code NONE}, or {@code OFFSET_OUT_OF_RANGE} when {@code offset} is above the high watermark.
     */
    public short deleteRecords(final long offset)
    {
        if (closed)
        {
            return ErrorCodes.KAFKA_STORAGE_ERROR;
        }
        final long target = offset == -1 ? highWatermark : offset;
        if (target < 0 || target > highWatermark)
        {
            return ErrorCodes.OFFSET_OUT_OF_RANGE;
        }
        if (target <= logStartOffset)
        {
            return ErrorCodes.NONE;
        }
        try
        {
            logStartOffset = target;
            final long nowMs = clock.time();
            while (segments.count() > 1 && segments.get(1).baseOffset() <= logStartOffset)
            {
                deleteFirstSegment(nowMs);
            }
            producerState.deleteSnapshotsBelow(segments.first().baseOffset());
            epochCache.truncateFromStart(logStartOffset);
            writeCheckpoint(nowMs);
        }
        catch (final IOException ex)
        {
            return ErrorCodes.KAFKA_STORAGE_ERROR;
        }
        return ErrorCodes.NONE;
    }

    /**
     * Remove everything at and after {@code offset} (replication's divergent-tail repair). The log then ends
     * at the start of the batch holding {@code offset}. Below the log start, the log is emptied and restarts
     * at {@code offset}.
     *
     * @throws UncheckedIOException when the files could not be changed; the log is then unusable.
     */
    public void truncateTo(final long offset)
    {
        if (closed)
        {
            throw new IllegalStateException("log closed: " + dir);
        }
        if (offset >= logEndOffset)
        {
            return;
        }
        final long nowMs = clock.time();
        try
        {
            if (offset < logStartOffset || offset <= segments.first().baseOffset())
            {
                truncateFullyAndStartAt(Math.max(offset, 0), nowMs);
            }
            else
            {
                while (segments.active().baseOffset() >= offset)
                {
                    scheduleDeletion(segments.removeLast(), nowMs);
                }
                final LogSegment last = segments.active();
                final int position = last.positionOf(offset, headerReader);
                if (position >= 0)
                {
                    last.truncateBytes(position);
                }
                logEndOffset = last.rebuildIndexes(headerReader, config.indexIntervalBytes());
                last.makeActive(config);
                last.flush(false);
            }
            directoryDirty = true;
            cleaning.onTruncate(logEndOffset);
            producerState.recover(segments, logEndOffset, headerReader);
            recoveryPoint = Math.min(recoveryPoint, logEndOffset);
            highWatermark = Math.min(highWatermark, logEndOffset);
            epochCache.truncateFromEnd(logEndOffset);
            writeCheckpoint(nowMs);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Set the high watermark, kept between the log start and end offsets. */
    public void highWatermark(final long offset)
    {
        final long bounded = Math.max(logStartOffset, Math.min(offset, logEndOffset));
        if (bounded != highWatermark)
        {
            highWatermark = bounded;
            checkpointDirty = true;
        }
    }

    public long highWatermark()
    {
        return highWatermark;
    }

    public long logStartOffset()
    {
        return logStartOffset;
    }

    public long logEndOffset()
    {
        return logEndOffset;
    }

    /** Offsets below this were forced to disk and are trusted by recovery without re-reading. */
    public long recoveryPoint()
    {
        return recoveryPoint;
    }

    /** The latest leader epoch that appended to this log, or -1. */
    public int latestLeaderEpoch()
    {
        return epochCache.latestEpoch();
    }

    /** First offset appended in {@code epoch}, or -1 when the log holds no batch of it. */
    public long leaderEpochStartOffset(final int epoch)
    {
        return epochCache.startOffset(epoch);
    }

    /**
     * OffsetsForLeaderEpoch's end offset for {@code epoch}: where the next larger epoch starts, the log end for
     * the latest epoch, -1 when {@code epoch} is older than everything known. See {@link #floorLeaderEpoch}.
     */
    public long leaderEpochEndOffset(final int epoch)
    {
        return epochCache.endOffset(epoch, logEndOffset);
    }

    /** The largest known epoch at most {@code epoch}, the epoch OffsetsForLeaderEpoch answers with; or -1. */
    public int floorLeaderEpoch(final int epoch)
    {
        return epochCache.floorEpoch(epoch);
    }

    /** Number of segments, including the active one. */
    public int segmentCount()
    {
        return segments.count();
    }

    /** Bytes in all segments. */
    public long sizeInBytes()
    {
        return segments.sizeInBytes();
    }

    public Path directory()
    {
        return dir;
    }

    /**
     * Attach the log cleaner that compacts this log while its {@code cleanup.policy} includes {@code compact}, or
     * detach it with null (which abandons a cleaning in flight). See {@code io.sluice.journal.compaction.LogCleaner}.
     */
    public void cleaner(final CleaningScheduler scheduler)
    {
        try
        {
            cleaning.scheduler(scheduler);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The cleaner checkpoint: every key below this offset was deduplicated by a completed cleaning; -1 before the
     * first one.
     */
    public long cleanerOffset()
    {
        return checkpoint.cleanerOffset;
    }

    /** Cleanings swapped into this log since it was opened. */
    public long cleaningRounds()
    {
        return cleaning.completedRounds();
    }

    /** True while a cleaning of this log is queued or running. */
    public boolean cleaningInFlight()
    {
        return cleaning.inFlight();
    }

    /** Why the last failed cleaning failed (the cleaner retries later), or null. */
    public Throwable lastCleaningFailure()
    {
        return cleaning.lastFailure();
    }

    /** Apply changed topic configs (segment, retention, flush, cleanup policy) from now on. */
    public void config(final LogConfig config)
    {
        this.config = config.conclude();
    }

    public RecoveryReport recoveryReport()
    {
        return recoveryReport;
    }

    /** Close after a clean shutdown: force, write checkpoints and the producer-state snapshot. */
    @Override
    public void close()
    {
        if (closed)
        {
            // A failed write may have stopped the log without releasing its files.
            closeSegments();
            return;
        }
        try
        {
            cleaning.abort();
            if (force() != ErrorCodes.NONE)
            {
                throw new IOException("could not force " + dir);
            }
            final LogSegment active = segments.active();
            active.makeInactive();
            active.flush(true);
            producerState.snapshot(logEndOffset);
            checkpoint.cleanEndOffset = logEndOffset;
            checkpoint.cleanActiveSegmentBytes = active.size();
            writeCheckpoint(clock.time());
            deletions.removeAll();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            closeSegments();
        }
    }

    /** Close and remove the partition's directory (DeleteTopics). */
    public void delete()
    {
        try
        {
            cleaning.abortAndAwait(DELETE_CLEANER_WAIT_MS);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            closeSegments();
        }
        try
        {
            deletions.removeAll();
            try (Stream<Path> files = Files.walk(dir))
            {
                for (final Path file : (Iterable<Path>)files.sorted(Comparator.reverseOrder())::iterator)
                {
                    Files.deleteIfExists(file);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void stamp(final ByteBuffer batches, final int start, final int limit, final int leaderEpoch, final long now)
    {
        long nextOffset = logEndOffset;
        int position = start;
        while (position < limit)
        {
            batch.wrap(batches, position);
            batch.baseOffset(nextOffset).partitionLeaderEpoch(leaderEpoch);
            if (config.logAppendTime())
            {
                final MutableDirectBuffer buffer = batch.buffer();
                final int attributes = position + RecordBatchFlyweight.ATTRIBUTES_OFFSET;
                buffer.putShort(
                    attributes,
                    (short)(batch.attributes() | RecordBatchFlyweight.TIMESTAMP_TYPE_MASK),
                    ByteOrder.BIG_ENDIAN);
                buffer.putLong(position + RecordBatchFlyweight.MAX_TIMESTAMP_OFFSET, now, ByteOrder.BIG_ENDIAN);
                batch.crc(batch.computeCrc());
            }
            nextOffset = batch.lastOffset() + 1;
            position += batch.totalLength();
        }
    }

    private short abandonWrite(final LogSegment active, final int segmentStart)
    {
        try
        {
            active.truncateBytes(segmentStart);
        }
        catch (final IOException suppressed)
        {
            // The log now ends with bytes no offset points at; recovery cuts them as a torn tail.
            closed = true;
        }
        return ErrorCodes.KAFKA_STORAGE_ERROR;
    }

    private void maybeRoll(final long now, final int bytes, final long lastOffset) throws IOException
    {
        final LogSegment active = segments.active();
        if (active.size() > 0 &&
            ((long)active.size() + bytes > config.segmentBytes() ||
            now - active.rollBaseMs() > config.segmentMs() ||
            active.indexesFull() ||
            lastOffset - active.baseOffset() > Integer.MAX_VALUE))
        {
            roll(now);
        }
    }

    private void roll(final long now) throws IOException
    {
        final LogSegment previous = segments.active();
        final LogSegment next = LogSegment.create(dir, logEndOffset, config, now);
        previous.makeInactive();
        segments.add(next);
        directoryDirty = true;
        producerState.snapshot(logEndOffset);
    }

    private int deleteRetentionBreachedSegments(final long nowMs) throws IOException
    {
        int deleted = 0;
        while (segments.count() > 1 && segments.get(1).baseOffset() <= logStartOffset)
        {
            deleteFirstSegment(nowMs);
            deleted++;
        }
        final long retentionMs = config.delete() ? config.retentionMs() : -1;
        if (retentionMs >= 0)
        {
            while (hasDeletableFirstSegment() && nowMs - segments.first().retentionBaseMs() > retentionMs &&
                segments.endOffset(0, logEndOffset) <= highWatermark)
            {
                deleteFirstSegment(nowMs);
                deleted++;
            }
        }
        final long retentionBytes = config.delete() ? config.retentionBytes() : -1;
        if (retentionBytes >= 0)
        {
            long excess = segments.sizeInBytes() - retentionBytes;
            while (hasDeletableFirstSegment() && excess >= segments.first().size() &&
                segments.endOffset(0, logEndOffset) <= highWatermark)
            {
                excess -= segments.first().size();
                deleteFirstSegment(nowMs);
                deleted++;
            }
        }
        if (deleted > 0)
        {
            producerState.deleteSnapshotsBelow(segments.first().baseOffset());
            epochCache.truncateFromStart(logStartOffset);
            writeCheckpoint(nowMs);
        }
        return deleted;
    }

    /**
     * An empty active segment is never rolled for retention (that would roll forever), but an empty inactive one,
     * which cleaning can leave, may go.
     */
    private boolean hasDeletableFirstSegment()
    {
        return segments.first().size() > 0 || segments.count() > 1;
    }

    /** Delete the oldest segment, rolling first when it is the active one, and move the log start past it. */
    private void deleteFirstSegment(final long nowMs) throws IOException
    {
        if (segments.count() == 1)
        {
            roll(nowMs);
        }
        scheduleDeletion(segments.removeFirst(), nowMs);
        logStartOffset = Math.max(logStartOffset, segments.first().baseOffset());
        highWatermark = Math.max(highWatermark, logStartOffset);
        recoveryPoint = Math.max(recoveryPoint, logStartOffset);
    }

    private void truncateFullyAndStartAt(final long offset, final long nowMs) throws IOException
    {
        while (segments.count() > 0)
        {
            scheduleDeletion(segments.removeLast(), nowMs);
        }
        producerState.reset();
        segments.add(LogSegment.create(dir, offset, config, nowMs));
        logEndOffset = offset;
        logStartOffset = offset;
        highWatermark = offset;
        recoveryPoint = offset;
    }

    void scheduleDeletion(final LogSegment segment, final long nowMs) throws IOException
    {
        deletions.add(segment, nowMs + config.fileDeleteDelayMs());
        directoryDirty = true;
    }

    void writeCheckpoint(final long nowMs) throws IOException
    {
        checkpoint.recoveryPoint = recoveryPoint;
        checkpoint.logStartOffset = logStartOffset;
        checkpoint.highWatermark = highWatermark;
        checkpoint.write(dir);
        checkpointDirty = false;
        lastCheckpointMs = nowMs;
    }

    /**
     * Stop serving after a failure that left the files and the in-memory state apart; every call answers
     * {@code KAFKA_STORAGE_ERROR} until the log is reopened and recovery has put things right.
     */
    void stopAfterFailure()
    {
        closed = true;
    }

    /** Each active producer and the last offset of its newest batch, for the cleaner to keep that batch. */
    void producerLastOffsets(final Long2LongHashMap into)
    {
        producerState.lastOffsets(into);
    }

    private void closeSegments()
    {
        closed = true;
        segments.closeAll();
    }
}
