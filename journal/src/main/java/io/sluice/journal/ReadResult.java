package io.sluice.journal;

import java.nio.channels.FileChannel;

/**
 * A zero-copy view of stored batches: {@code length} bytes at {@code position} of {@code channel}, ready for
 * {@link FileChannel#transferTo}. Filled in place by {@link PartitionLog#read}.
 *
 * <p>The region always starts at a batch boundary and holds whole batches. Any thread may transfer it; the
 * segment behind it stays open for at least {@code file.delete.delay.ms} after retention removes it.
 */
public final class ReadResult
{
    public FileChannel channel;
    public long position;
    public int length;
    /** Log end offset, high watermark and log start offset at the time of the read. */
    public long logEndOffset;
    public long highWatermark;
    public long logStartOffset;

    public ReadResult reset()
    {
        channel = null;
        position = 0;
        length = 0;
        logEndOffset = -1;
        highWatermark = -1;
        logStartOffset = -1;
        return this;
    }
}
