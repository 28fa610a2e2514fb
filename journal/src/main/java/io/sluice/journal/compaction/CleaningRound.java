package io.sluice.journal.compaction;

import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.journal.CleanedSegment;
import io.sluice.journal.CleanedSegmentWriter;
import io.sluice.journal.CleaningTask;
import org.agrona.ExpandableDirectByteBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link CleaningTask} carried out a step at a time, so that a cleaner thread's duty cycle stays short (about
 * one {@code log.cleaner.io.buffer.size} of reading) and an abort is noticed within a step:
 * <ol>
 *   <li><b>Map:</b> from the cleaner checkpoint on, every keyed record's offset goes into the {@link OffsetMap},
 *   until the dirty segments end or the map is as full as its load factor allows. The next cleaner checkpoint is
 *   the offset after the last batch wholly mapped.</li>
 *   <li><b>Clean:</b> every segment from the first up to the one holding that checkpoint is read again and what
 *   {@link BatchCleaner} keeps is written to {@code .cleaned} files, consecutive segments merged into one while
 *   their combined sizes fit {@code segment.bytes} and the index capacity (Kafka's grouping by size).</li>
 *   <li><b>Hand over:</b> the finished files go to the log's owner thread through {@link CleaningTask#complete}.</li>
 * </ol>
 * The segments are read through channels of the cleaner's own, opened on the task's paths, so nothing the owner
 * thread holds is touched, and an interrupt of the cleaner thread cannot close a channel the log uses.
 *
 * <p>Not thread-safe: owned by one {@link LogCleanerAgent}.
 */
final class CleaningRound implements AutoCloseable
{
    private static final int MAPPING = 1;
    private static final int CLEANING = 2;

    private final int ioBufferSize;
    private final OffsetMap map;
    private final BatchReader reader;
    private final BatchCleaner batchCleaner;
    private final ExpandableDirectByteBuffer out;
    private final List<CleanedSegment> outputs = new ArrayList<>();

    private CleaningTask task;
    private FileChannel[] channels;
    private int phase;
    private int segment;
    private boolean segmentOpen;
    private long nextDirtyOffset;
    private int lastSegment;
    private int groupStart;
    private int groupEnd;
    private CleanedSegmentWriter writer;
    private int outLength;

    CleaningRound(final CleanerContext context)
    {
        ioBufferSize = context.ioBufferSize();
        map = new OffsetMap(context.dedupeBufferSizePerThread(), context.dedupeBufferLoadFactor());
        reader = new BatchReader(ioBufferSize);
        batchCleaner = new BatchCleaner(context.maxDecompressedBatchBytes());
        out = new ExpandableDirectByteBuffer(ioBufferSize + RecordBatchFlyweight.HEADER_LENGTH);
    }

    /** True while a task is being worked on. */
    boolean isActive()
    {
        return task != null;
    }

    /** Begin {@code task}, already {@link CleaningTask#start() started}. */
    void begin(final CleaningTask task)
    {
        this.task = task;
        channels = new FileChannel[task.segmentCount()];
        map.clear();
        phase = MAPPING;
        segment = 0;
        while (segment < task.segmentCount() && task.endOffset(segment) <= task.firstDirtyOffset())
        {
            segment++;
        }
        segmentOpen = false;
        writer = null;
        outLength = 0;
    }

    /**
     * One bounded step of the task in hand. When the task ends (done, failed or aborted), its outcome is set on
     * it and this round becomes inactive.
     *
     * @return work done, 0 when there was nothing to do.
     */
    int doWork()
    {
        if (task == null)
        {
            return 0;
        }
        try
        {
            if (task.abortRequested())
            {
                end(null);
                return 1;
            }
            return phase == MAPPING ? map() : clean();
        }
        catch (final IOException | RuntimeException ex)
        {
            end(ex);
            return 1;
        }
        catch (final Error ex)
        {
            // Out of memory growing a buffer, say: the log must still learn its cleaning ended.
            end(ex);
            throw ex;
        }
    }

    /** Give up the task in hand, if any, as aborted. */
    void abandon()
    {
        if (task != null)
        {
            end(null);
        }
    }

    @Override
    public void close()
    {
        abandon();
        map.close();
    }

    private int map() throws IOException
    {
        final long firstDirty = task.firstDirtyOffset();
        int bytes = 0;
        while (bytes < ioBufferSize)
        {
            if (!segmentOpen)
            {
                if (segment == task.segmentCount())
                {
                    return finishMap();
                }
                reader.reset(channel(segment), 0, task.size(segment));
                segmentOpen = true;
            }
            final RecordBatchFlyweight batch = reader.next();
            if (batch == null)
            {
                // Offsets missing at the end of a segment are mapped too, so the checkpoint can pass them.
                map.latestOffset(task.endOffset(segment) - 1);
                segment++;
                segmentOpen = false;
                continue;
            }
            bytes += batch.totalLength();
            if (batch.lastOffset() < firstDirty)
            {
                continue;
            }
            if (!batch.isControl())
            {
                final int records = batch.recordCount();
                if (map.size() > 0 && map.size() + records > map.maxEntries())
                {
                    return finishMap();
                }
                if (records >= map.capacity())
                {
                    throw new IllegalStateException("a batch of " + records + " records at offset " +
                        batch.baseOffset() + " does not fit log.cleaner.dedupe.buffer.size");
                }
                batchCleaner.collectKeys(batch, reader.buffer(), firstDirty, map);
            }
            map.latestOffset(batch.lastOffset());
        }
        return 1;
    }

    private int finishMap()
    {
        nextDirtyOffset = map.latestOffset() + 1;
        if (nextDirtyOffset <= task.firstDirtyOffset())
        {
            throw new IllegalStateException("no dirty batch found from offset " + task.firstDirtyOffset());
        }
        lastSegment = 0;
        while (lastSegment + 1 < task.segmentCount() && task.baseOffset(lastSegment + 1) < nextDirtyOffset)
        {
            lastSegment++;
        }
        phase = CLEANING;
        segment = 0;
        segmentOpen = false;
        return 1;
    }

    private int clean() throws IOException
    {
        int bytes = 0;
        while (bytes < ioBufferSize)
        {
            if (writer == null)
            {
                if (segment > lastSegment)
                {
                    return finishRound();
                }
                groupStart = segment;
                groupEnd = groupEnd(segment);
                writer = new CleanedSegmentWriter(task, groupStart);
            }
            if (!segmentOpen)
            {
                reader.reset(channel(segment), 0, task.size(segment));
                segmentOpen = true;
            }
            final RecordBatchFlyweight batch = reader.next();
            if (batch == null)
            {
                segmentOpen = false;
                closeChannel(segment);
                segment++;
                if (segment == groupEnd)
                {
                    flushOut();
                    final CleanedSegmentWriter finished = writer;
                    writer = null;
                    outputs.add(finished.finish(groupEnd - groupStart));
                }
                continue;
            }
            bytes += batch.totalLength();
            outLength = batchCleaner.clean(batch, reader.buffer(), map, task, out, outLength);
            if (outLength >= ioBufferSize)
            {
                flushOut();
            }
        }
        return 1;
    }

    /**
     * The end (exclusive) of the group starting at {@code first}: following segments join while the group's log
     * bytes fit {@code segment.bytes}, its index entries fit the index capacity, and its offsets stay within 2^31
     * of its base, as Kafka's {@code groupSegmentsBySize}. The sizes are the sources': a segment shrinks first and
     * merges with its neighbours in a later round.
     */
    private int groupEnd(final int first)
    {
        final long maxOffsetEntries = task.segmentIndexBytes() / 8;
        final long maxTimeEntries = task.segmentIndexBytes() / 12;
        long logBytes = task.size(first);
        long offsetEntries = task.offsetIndexEntries(first);
        long timeEntries = task.timeIndexEntries(first);
        int end = first + 1;
        while (end <= lastSegment &&
            logBytes + task.size(end) <= task.segmentBytes() &&
            offsetEntries + task.offsetIndexEntries(end) <= maxOffsetEntries &&
            timeEntries + task.timeIndexEntries(end) <= maxTimeEntries &&
            task.endOffset(end) - 1 - task.baseOffset(first) <= Integer.MAX_VALUE)
        {
            logBytes += task.size(end);
            offsetEntries += task.offsetIndexEntries(end);
            timeEntries += task.timeIndexEntries(end);
            end++;
        }
        return end;
    }

    private void flushOut() throws IOException
    {
        if (outLength > 0)
        {
            final ByteBuffer bytes = out.byteBuffer();
            bytes.limit(outLength).position(0);
            writer.append(bytes);
            bytes.clear();
            outLength = 0;
        }
    }

    private int finishRound()
    {
        final CleaningTask done = task;
        task = null;
        closeChannels();
        done.complete(outputs, nextDirtyOffset);
        outputs.clear();
        return 1;
    }

    private FileChannel channel(final int i) throws IOException
    {
        if (channels[i] == null)
        {
            channels[i] = FileChannel.open(task.path(i), StandardOpenOption.READ);
        }
        return channels[i];
    }

    private void closeChannel(final int i) throws IOException
    {
        final FileChannel channel = channels[i];
        channels[i] = null;
        if (channel != null)
        {
            channel.close();
        }
    }

    private void closeChannels()
    {
        for (int i = 0; i < channels.length; i++)
        {
            try
            {
                closeChannel(i);
            }
            catch (final IOException ignored)
            {
                // Read-only channels: nothing to lose.
            }
        }
    }

    /**
     * End the task in hand: release its files, then report it aborted (asked to stop, or a segment vanished under
     * retention) or failed with {@code cause}.
     */
    private void end(final Throwable cause)
    {
        final CleaningTask ended = task;
        task = null;
        closeChannels();
        Throwable failure = cause;
        try
        {
            if (writer != null)
            {
                writer.close();
            }
            for (final CleanedSegment output : outputs)
            {
                output.discard();
            }
        }
        catch (final IOException ex)
        {
            if (failure == null)
            {
                failure = ex;
            }
            else
            {
                failure.addSuppressed(ex);
            }
        }
        writer = null;
        outputs.clear();
        outLength = 0;
        if (failure == null || ended.abortRequested() || cause instanceof NoSuchFileException)
        {
            ended.aborted();
        }
        else
        {
            ended.fail(failure);
        }
    }
}
