package io.sluice.journal;

import io.sluice.codecs.record.RecordBatchFlyweight;
import org.agrona.collections.Long2LongHashMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The owner-thread half of compaction for one {@link PartitionLog}: decides when the log needs cleaning (Kafka's
 * {@code LogCleanerManager} rules), hands a {@link CleaningTask} to the cleaner, and swaps the cleaned segments in
 * when the cleaner is done.
 *
 * <p><b>When:</b> at most every {@code log.cleaner.backoff.ms}, while the policy includes {@code compact}. The
 * cleanable range is the inactive segments below the high watermark and below the first segment holding a record
 * younger than {@code min.compaction.lag.ms}. The log is cleaned when its dirty bytes (from the segment holding the
 * cleaner checkpoint to the end of that range) are more than {@code min.cleanable.dirty.ratio} of the range, or
 * when the first dirty segment's first batch is older than {@code max.compaction.lag.ms}.
 *
 * <p><b>Swap</b> (crash-safe at every step; {@link LogLoader} finishes or forgets what a crash interrupts):
 * <ol>
 *   <li>each still-valid {@code .cleaned} log file is renamed {@code <base>.<end>.swap} and the directory forced:
 *   the commit point, after which recovery completes the replacement;</li>
 *   <li>the replaced segments go to the deletion queue (renamed {@code .deleted}, channels open for in-flight
 *   transfers) and the cleaned index files take the live names;</li>
 *   <li>the partition checkpoint records the new cleaner offset (which forces the directory again);</li>
 *   <li>each swap file takes the live {@code .log} name and the new segment replaces its sources in the list.</li>
 * </ol>
 * The cost on the owner thread is a few renames, two directory fsyncs and a checkpoint write per round, like a
 * checkpoint; reading, deduplicating and writing happen on the cleaner thread.
 *
 * <p>Not thread-safe: owner thread only.
 */
final class CleaningConductor
{
    /** After a failed round, wait this many backoffs before trying again. */
    private static final int FAILURE_BACKOFFS = 10;

    private final PartitionLog log;
    private final Path dir;
    private final SegmentList segments;
    private final PartitionCheckpoint checkpoint;
    private final BatchHeaderReader headerReader;
    private CleaningScheduler scheduler;
    private CleaningTask task;
    private long nextCheckMs;
    private long completedRounds;
    private Throwable lastFailure;

    CleaningConductor(
        final PartitionLog log, final Path dir, final SegmentList segments, final PartitionCheckpoint checkpoint,
        final BatchHeaderReader headerReader)
    {
        this.log = log;
        this.dir = dir;
        this.segments = segments;
        this.checkpoint = checkpoint;
        this.headerReader = headerReader;
    }

    /** Attach a cleaner, or detach with null; a change aborts the round in flight. */
    void scheduler(final CleaningScheduler scheduler) throws IOException
    {
        if (scheduler != this.scheduler)
        {
            abort();
            this.scheduler = scheduler;
            nextCheckMs = 0;
        }
    }

    long completedRounds()
    {
        return completedRounds;
    }

    Throwable lastFailure()
    {
        return lastFailure;
    }

    /** True while a task is queued or being cleaned. */
    boolean inFlight()
    {
        return task != null;
    }

    /**
     * Finish a round the cleaner is done with, or start one when due.
     *
     * @return work done, 0 when idle.
     */
    int onTimer(final long nowMs, final LogConfig config) throws IOException
    {
        if (task != null)
        {
            final int state = task.state();
            if (state == CleaningTask.DONE)
            {
                final CleaningTask done = task;
                task = null;
                swap(done, nowMs);
                return 1;
            }
            if (state == CleaningTask.FAILED)
            {
                lastFailure = task.failure();
                task = null;
                nextCheckMs = nowMs + FAILURE_BACKOFFS * (scheduler == null ? 0 : scheduler.backoffMs());
                return 1;
            }
            if (state == CleaningTask.ABORTED)
            {
                task = null;
                return 1;
            }
            return 0;
        }
        if (scheduler == null || !config.compact() || nowMs < nextCheckMs)
        {
            return 0;
        }
        nextCheckMs = nowMs + scheduler.backoffMs();
        final CleaningTask candidate = plan(nowMs, config);
        if (candidate != null && scheduler.offer(candidate))
        {
            task = candidate;
        }
        return 1;
    }

    /** Stop the round in flight, if any, without waiting; its files are removed by the cleaner or by recovery. */
    void abort() throws IOException
    {
        if (task != null)
        {
            final CleaningTask aborted = task;
            task = null;
            aborted.requestAbort();
            discardIfDone(aborted);
        }
    }

    /**
     * Stop the round in flight and wait up to {@code timeoutMs} for the cleaner to let go of the directory, before
     * the directory is removed.
     */
    void abortAndAwait(final long timeoutMs) throws IOException
    {
        if (task != null)
        {
            final CleaningTask aborted = task;
            task = null;
            aborted.requestAbort();
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (aborted.state() == CleaningTask.RUNNING && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            discardIfDone(aborted);
        }
    }

    /** The log was truncated to {@code logEndOffset}: a round in flight may hold removed data, and the checkpoint too. */
    void onTruncate(final long logEndOffset) throws IOException
    {
        abort();
        if (checkpoint.cleanerOffset > logEndOffset)
        {
            checkpoint.cleanerOffset = logEndOffset;
        }
    }

    private static void discardIfDone(final CleaningTask task) throws IOException
    {
        if (task.state() == CleaningTask.DONE)
        {
            for (final CleanedSegment output : task.outputs())
            {
                output.discard();
            }
        }
    }

    private CleaningTask plan(final long nowMs, final LogConfig config) throws IOException
    {
        final long logStartOffset = log.logStartOffset();
        final long logEndOffset = log.logEndOffset();
        long firstDirty = checkpoint.cleanerOffset;
        if (firstDirty < logStartOffset || firstDirty > logEndOffset)
        {
            firstDirty = logStartOffset;
        }
        final int active = segments.count() - 1;
        final int dirtyIndex = segments.floor(firstDirty);
        long bound = Math.min(segments.get(active).baseOffset(), log.highWatermark());
        final long minLagMs = config.minCompactionLagMs();
        if (minLagMs > 0)
        {
            for (int i = dirtyIndex; i < active; i++)
            {
                final LogSegment segment = segments.get(i);
                if (segment.maxTimestamp() > nowMs - minLagMs)
                {
                    bound = Math.min(bound, segment.baseOffset());
                    break;
                }
            }
        }
        final int cleanable = Math.min(segments.floor(bound), active);
        if (dirtyIndex >= cleanable)
        {
            return null;
        }
        long cleanBytes = 0;
        for (int i = 0; i < dirtyIndex; i++)
        {
            cleanBytes += segments.get(i).size();
        }
        long dirtyBytes = 0;
        for (int i = dirtyIndex; i < cleanable; i++)
        {
            dirtyBytes += segments.get(i).size();
        }
        if (dirtyBytes == 0)
        {
            return null;
        }
        final double dirtyRatio = (double)dirtyBytes / (cleanBytes + dirtyBytes);
        if (dirtyRatio <= config.minCleanableDirtyRatio() && !overdue(segments.get(dirtyIndex), nowMs, config))
        {
            return null;
        }
        final Long2LongHashMap producers = new Long2LongHashMap(-1);
        log.producerLastOffsets(producers);
        return new CleaningTask(dir, segments, cleanable, logEndOffset, firstDirty, nowMs, config, producers);
    }

    /** {@code max.compaction.lag.ms}: the first dirty segment's first batch is too old to wait for the ratio. */
    private boolean overdue(final LogSegment firstDirty, final long nowMs, final LogConfig config) throws IOException
    {
        if (config.maxCompactionLagMs() == Long.MAX_VALUE)
        {
            return false;
        }
        final RecordBatchFlyweight first = headerReader.read(firstDirty.channel(), 0, firstDirty.size());
        return first != null && first.maxTimestamp() >= 0 &&
            first.maxTimestamp() < nowMs - config.maxCompactionLagMs();
    }

    private void swap(final CleaningTask done, final long nowMs) throws IOException
    {
        final List<CleanedSegment> outputs = done.outputs();
        final boolean[] valid = new boolean[outputs.size()];
        boolean anyValid = false;
        for (int o = 0; o < outputs.size(); o++)
        {
            valid[o] = stillInLog(done, outputs.get(o));
            anyValid |= valid[o];
            if (!valid[o])
            {
                outputs.get(o).discard();
            }
        }
        if (!anyValid)
        {
            return;
        }
        try
        {
            commitAndReplace(done, outputs, valid, nowMs);
        }
        catch (final IOException | RuntimeException ex)
        {
            // Past the first rename the directory and the segment list may disagree (sources with closed indexes,
            // swap files recovery would apply): only a reopen, whose recovery finishes the swap, is safe.
            log.stopAfterFailure();
            throw ex;
        }
        completedRounds++;
    }

    private void commitAndReplace(
        final CleaningTask done, final List<CleanedSegment> outputs, final boolean[] valid, final long nowMs)
        throws IOException
    {
        for (int o = 0; o < outputs.size(); o++)
        {
            if (valid[o])
            {
                final CleanedSegment output = outputs.get(o);
                Files.move(output.files.log(), swapPath(done, output), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        CheckpointFile.forceDirectory(dir);

        for (int o = 0; o < outputs.size(); o++)
        {
            if (valid[o])
            {
                final CleanedSegment output = outputs.get(o);
                for (int k = 0; k < output.sourceCount; k++)
                {
                    log.scheduleDeletion(done.sources[output.firstSource + k], nowMs);
                }
                final long base = done.baseOffset(output.firstSource);
                moveInto(output.files.index(), SegmentFiles.path(dir, base, SegmentFiles.INDEX_SUFFIX));
                moveInto(output.files.timeIndex(), SegmentFiles.path(dir, base, SegmentFiles.TIME_INDEX_SUFFIX));
            }
        }

        checkpoint.cleanerOffset = Math.max(checkpoint.cleanerOffset, done.nextDirtyOffset());
        log.writeCheckpoint(nowMs);

        for (int o = 0; o < outputs.size(); o++)
        {
            if (valid[o])
            {
                final CleanedSegment output = outputs.get(o);
                final LogSegment first = done.sources[output.firstSource];
                final long base = first.baseOffset();
                moveInto(swapPath(done, output), SegmentFiles.path(dir, base, SegmentFiles.LOG_SUFFIX));
                final LogSegment cleaned = LogSegment.open(dir, base, nowMs);
                cleaned.loadMaxTimestampFromIndex();
                segments.replace(segments.indexOf(first), output.sourceCount, cleaned);
            }
        }
    }

    private Path swapPath(final CleaningTask done, final CleanedSegment output)
    {
        return SegmentFiles.swapPath(
            dir, done.baseOffset(output.firstSource), done.endOffset(output.firstSource + output.sourceCount - 1));
    }

    /** The output's sources are still, consecutively, segments of the log (retention may have removed some). */
    private boolean stillInLog(final CleaningTask done, final CleanedSegment output)
    {
        final int at = segments.indexOf(done.sources[output.firstSource]);
        if (at < 0 || at + output.sourceCount >= segments.count())
        {
            return false;
        }
        for (int k = 1; k < output.sourceCount; k++)
        {
            if (segments.get(at + k) != done.sources[output.firstSource + k])
            {
                return false;
            }
        }
        return true;
    }

    private static void moveInto(final Path from, final Path to) throws IOException
    {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
