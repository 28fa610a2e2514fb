package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.codecs.record.RecordBatchValidator;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Black-box views of a partition directory for tests: a copy of its files as a crash would leave them, and a
 * full scan of the segment files that the indexes must agree with.
 */
final class StoredLog
{
    private StoredLog()
    {
    }

    /** One stored batch: where it is and what it holds. */
    static final class Batch
    {
        final long segmentBase;
        final int position;
        final long baseOffset;
        final long lastOffset;
        final long maxTimestamp;
        final byte[] bytes;

        Batch(final long segmentBase, final int position, final byte[] bytes)
        {
            this.segmentBase = segmentBase;
            this.position = position;
            this.bytes = bytes;
            final RecordBatchFlyweight header = new RecordBatchFlyweight().wrap(new UnsafeBuffer(bytes), 0);
            baseOffset = header.baseOffset();
            lastOffset = header.lastOffset();
            maxTimestamp = header.maxTimestamp();
        }
    }

    /**
     * Copy every file of {@code from} into a new directory {@code to}: what a process crash leaves on disk, the
     * page cache included, while the log in {@code from} stays open.
     */
    static Path copyAsCrashed(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (Files.isRegularFile(file))
                {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    static List<Path> files(final Path dir, final String suffix) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files
                .filter(f -> f.getFileName().toString().matches("[0-9]{20}" + suffix.replace(".", "\\.")))
                .sorted()
                .toList();
        }
    }

    static long baseOffset(final Path file)
    {
        return Long.parseLong(file.getFileName().toString().substring(0, 20));
    }

    /** Every batch of every segment, validated; fails on anything but whole valid batches. */
    static List<Batch> scan(final Path dir) throws IOException
    {
        final List<Batch> batches = new ArrayList<>();
        final RecordBatchValidator validator = new RecordBatchValidator();
        for (final Path log : files(dir, ".log"))
        {
            final byte[] bytes = Files.readAllBytes(log);
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            int position = 0;
            while (position < bytes.length)
            {
                final RecordBatchFlyweight header = new RecordBatchFlyweight().wrap(buffer, position);
                final int length = header.totalLength();
                final boolean cleaned = header.recordCount() != header.lastOffsetDelta() + 1;
                if (length > bytes.length - position || (cleaned ?
                    !cleanedBatchIsValid(bytes, position, length) :
                    validator.validate(buffer, position, length, Integer.MAX_VALUE) != ErrorCodes.NONE))
                {
                    throw new AssertionError("invalid batch at " + position + " of " + log);
                }
                final byte[] batch = new byte[length];
                System.arraycopy(bytes, position, batch, 0, length);
                batches.add(new Batch(baseOffset(log), position, batch));
                position += length;
            }
        }
        return batches;
    }

    /** A batch compaction rewrote with fewer records than offsets, checked by Kafka's own parser. */
    private static boolean cleanedBatchIsValid(final byte[] bytes, final int position, final int length)
    {
        final RecordBatch batch = MemoryRecords.readableRecords(ByteBuffer.wrap(bytes, position, length).slice())
            .batches().iterator().next();
        try
        {
            batch.ensureValid();
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
        int count = 0;
        for (final Record ignored : batch)
        {
            count++;
        }
        return count == batch.countOrNull() && count <= batch.lastOffset() - batch.baseOffset() + 1;
    }

    /**
     * Check the index files of a closed log against a full scan: every offset index entry names a batch
     * starting at its position, entries increase, and every time index entry names a batch whose max timestamp
     * is the running maximum of its segment at that batch. The last time index entry holds the segment's max.
     */
    static void assertIndexesAgree(final Path dir) throws IOException
    {
        final List<Batch> batches = scan(dir);
        for (final Path log : files(dir, ".log"))
        {
            final long base = baseOffset(log);
            final List<Batch> inSegment = batches.stream().filter(b -> b.segmentBase == base).toList();
            final ByteBuffer index = ByteBuffer.wrap(Files.readAllBytes(sibling(log, ".index")))
                .order(ByteOrder.BIG_ENDIAN);
            if (index.limit() % 8 != 0)
            {
                throw new AssertionError("index of " + log + " is " + index.limit() + " bytes");
            }
            long previousOffset = -1;
            for (int at = 0; at < index.limit(); at += 8)
            {
                final long offset = base + index.getInt(at);
                final int position = index.getInt(at + 4);
                if (offset <= previousOffset ||
                    inSegment.stream().noneMatch(b -> b.position == position && b.baseOffset == offset))
                {
                    throw new AssertionError("offset index entry " + offset + "@" + position + " of " + log);
                }
                previousOffset = offset;
            }
            final ByteBuffer timeIndex = ByteBuffer.wrap(Files.readAllBytes(sibling(log, ".timeindex")));
            if (timeIndex.limit() % 12 != 0)
            {
                throw new AssertionError("time index of " + log + " is " + timeIndex.limit() + " bytes");
            }
            long runningMax = -1;
            final List<Long> firstAtMax = new ArrayList<>();
            final List<Long> maxima = new ArrayList<>();
            for (final Batch batch : inSegment)
            {
                if (batch.maxTimestamp > runningMax)
                {
                    runningMax = batch.maxTimestamp;
                    maxima.add(runningMax);
                    firstAtMax.add(batch.baseOffset);
                }
            }
            for (int at = 0; at < timeIndex.limit(); at += 12)
            {
                final long timestamp = timeIndex.getLong(at);
                final long offset = base + timeIndex.getInt(at + 8);
                final int i = maxima.indexOf(timestamp);
                if (i < 0 || firstAtMax.get(i) != offset)
                {
                    throw new AssertionError("time index entry " + timestamp + "->" + offset + " of " + log);
                }
            }
            if (!inSegment.isEmpty() && (timeIndex.limit() == 0 ||
                timeIndex.getLong(timeIndex.limit() - 12) != runningMax))
            {
                throw new AssertionError("time index of " + log + " does not end at the segment's max " + runningMax);
            }
        }
    }

    static Path sibling(final Path log, final String suffix)
    {
        final String name = log.getFileName().toString();
        return log.resolveSibling(name.substring(0, name.length() - ".log".length()) + suffix);
    }
}
