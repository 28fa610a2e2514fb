package io.sluice.journal;

import io.sluice.codecs.record.RecordBatchFlyweight;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the fixed 61-byte header of a stored batch with one positional read into a reusable direct buffer,
 * and exposes it through a {@link RecordBatchFlyweight}. One per partition log; not thread-safe; allocates
 * nothing.
 */
final class BatchHeaderReader
{
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(RecordBatchFlyweight.HEADER_LENGTH);
    private final RecordBatchFlyweight batch = new RecordBatchFlyweight();

    BatchHeaderReader()
    {
        batch.wrap(buffer, 0);
    }

    /**
     * Read the header at {@code position}, reading nothing at or after {@code limit}.
     *
     * @return the header, or null when fewer than a whole header's bytes lie before {@code limit} or the
     * batch length it declares is impossible or runs past {@code limit}.
     */
    RecordBatchFlyweight read(final FileChannel channel, final long position, final long limit) throws IOException
    {
        if (limit - position < RecordBatchFlyweight.HEADER_LENGTH)
        {
            return null;
        }
        buffer.clear();
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer, position + buffer.position()) < 0)
            {
                return null;
            }
        }
        final int batchLength = batch.batchLength();
        if (batchLength < RecordBatchFlyweight.HEADER_LENGTH - RecordBatchFlyweight.LOG_OVERHEAD ||
            batchLength > limit - position - RecordBatchFlyweight.LOG_OVERHEAD)
        {
            return null;
        }
        return batch;
    }
}
