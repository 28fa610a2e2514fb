package io.sluice.journal.compaction;

import io.sluice.codecs.record.RecordBatchFlyweight;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the whole batches of a range of a segment file, a buffer-full at a time with positional reads, and
 * presents each through a {@link RecordBatchFlyweight}. The buffer starts at {@code log.cleaner.io.buffer.size}
 * and grows to hold a larger batch. A batch that runs past the range or declares an impossible length is an
 * error: the cleaner only reads segments that recovery or an append validated.
 *
 * <p>Not thread-safe: one per cleaner thread. The flyweight is valid until the next call.
 */
final class BatchReader
{
    private final RecordBatchFlyweight batch = new RecordBatchFlyweight();
    private ByteBuffer buffer;
    private FileChannel channel;
    private long bufferStart;
    private int bufferLength;
    private int cursor;
    private int currentLength;
    private long end;

    BatchReader(final int bufferSize)
    {
        buffer = ByteBuffer.allocateDirect(bufferSize);
    }

    /** Read the batches of {@code channel} between file positions {@code start} and {@code end}. */
    void reset(final FileChannel channel, final long start, final long end)
    {
        this.channel = channel;
        this.end = end;
        bufferStart = start;
        bufferLength = 0;
        cursor = 0;
        currentLength = 0;
    }

    /** The next whole batch, or null at the end of the range. */
    RecordBatchFlyweight next() throws IOException
    {
        cursor += currentLength;
        currentLength = 0;
        final long position = bufferStart + cursor;
        if (position >= end)
        {
            return null;
        }
        if (bufferLength - cursor < RecordBatchFlyweight.HEADER_LENGTH ||
            bufferLength - cursor < batch.wrap(buffer, cursor).totalLength())
        {
            fill(position);
        }
        batch.wrap(buffer, cursor);
        final int batchLength = batch.batchLength();
        if (batchLength < RecordBatchFlyweight.HEADER_LENGTH - RecordBatchFlyweight.LOG_OVERHEAD ||
            batchLength > end - position - RecordBatchFlyweight.LOG_OVERHEAD)
        {
            throw new IOException("impossible batch length " + batchLength + " at " + position);
        }
        final int length = batch.totalLength();
        if (length > bufferLength)
        {
            buffer = ByteBuffer.allocateDirect(length);
            fill(position);
            batch.wrap(buffer, 0);
        }
        currentLength = length;
        return batch;
    }

    /** The buffer the flyweight points into. */
    ByteBuffer buffer()
    {
        return buffer;
    }

    private void fill(final long position) throws IOException
    {
        bufferStart = position;
        cursor = 0;
        final int wanted = (int)Math.min(buffer.capacity(), end - position);
        buffer.clear().limit(wanted);
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer, position + buffer.position()) < 0)
            {
                throw new IOException("segment ends before " + (position + wanted));
            }
        }
        bufferLength = wanted;
        if (bufferLength < RecordBatchFlyweight.HEADER_LENGTH)
        {
            throw new IOException("torn batch header at " + position);
        }
    }
}
