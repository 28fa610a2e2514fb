package io.sluice.journal;

import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.codecs.record.Varints;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds, inside one stored batch, the first record whose timestamp reaches a target, for ListOffsets. An
 * uncompressed batch is walked record by record (length, attributes, timestamp delta, offset delta); a
 * LogAppendTime batch gives every record its max timestamp; a compressed batch is answered at batch level
 * (its first offset at or after the start, and its max timestamp), since it is stored without decompressing.
 *
 * <p>Not on the produce or fetch path; the read buffer grows to the largest batch looked at. Not thread-safe.
 */
final class RecordTimestampScanner
{
    private final RecordBatchFlyweight batch = new RecordBatchFlyweight();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private ByteBuffer buffer = ByteBuffer.allocateDirect(0);
    private int varlongSize;

    /**
     * Fill {@code result} with the first record of the batch at {@code position} whose offset is at least
     * {@code startingOffset} and whose timestamp is at least {@code timestamp}.
     *
     * @return false when the batch holds no such record.
     */
    boolean find(
        final FileChannel channel, final long position, final int length, final long timestamp,
        final long startingOffset, final TimestampOffset result) throws IOException
    {
        load(channel, position, length);
        final long baseOffset = batch.baseOffset();
        if (batch.compressionType() != 0 || batch.isLogAppendTime())
        {
            if (batch.maxTimestamp() < timestamp || batch.lastOffset() < startingOffset)
            {
                return false;
            }
            result.set(batch.maxTimestamp(), Math.max(baseOffset, startingOffset));
            return true;
        }
        final long baseTimestamp = batch.baseTimestamp();
        int at = RecordBatchFlyweight.RECORDS_OFFSET;
        while (at < length)
        {
            final long recordLength = Varints.readZigZagInt(view, at, length);
            if (recordLength == Varints.MALFORMED)
            {
                return false;
            }
            final int bodyStart = at + Varints.size(recordLength);
            final int next = bodyStart + Varints.value(recordLength);
            final int timestampStart = bodyStart + 1;
            final long timestampDelta = readZigZagLong(timestampStart, next);
            if (timestampDelta == Long.MIN_VALUE)
            {
                return false;
            }
            final long offsetDelta = Varints.readZigZagInt(view, timestampStart + varlongSize, next);
            if (offsetDelta == Varints.MALFORMED)
            {
                return false;
            }
            final long recordTimestamp = baseTimestamp + timestampDelta;
            final long offset = baseOffset + Varints.value(offsetDelta);
            if (recordTimestamp >= timestamp && offset >= startingOffset)
            {
                result.set(recordTimestamp, offset);
                return true;
            }
            at = next;
        }
        return false;
    }

    private void load(final FileChannel channel, final long position, final int length) throws IOException
    {
        if (buffer.capacity() < length)
        {
            buffer = ByteBuffer.allocateDirect(Math.max(length, 2 * buffer.capacity()));
            view.wrap(buffer);
        }
        buffer.clear().limit(length);
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer, position + buffer.position()) < 0)
            {
                throw new IOException("batch at " + position + " runs past the end of its segment");
            }
        }
        batch.wrap(view, 0);
    }

    /** A zig-zag varlong at {@code index}, its size left in {@link #varlongSize}; Long.MIN_VALUE if malformed. */
    private long readZigZagLong(final int index, final int limit)
    {
        long raw = 0;
        int shift = 0;
        int at = index;
        while (true)
        {
            if (at >= limit || shift > 63)
            {
                return Long.MIN_VALUE;
            }
            final byte b = view.getByte(at++);
            raw |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
            shift += 7;
        }
        varlongSize = at - index;
        return (raw >>> 1) ^ -(raw & 1);
    }
}
