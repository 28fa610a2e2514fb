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
    /**
     * The offset after the region: the next batch's base offset, or the last batch's last offset plus one, or the
     * next segment's base (or the log end) when the region runs to its segment's end. A fetch from offset
     * {@code o} delivers {@code nextOffset - o} offsets; without compaction, that many records.
     */
    public long nextOffset;

    public ReadResult reset()
    {
        channel = null;
        position = 0;
        length = 0;
        logEndOffset = -1;
        highWatermark = -1;
        logStartOffset = -1;
        nextOffset = -1;
        return this;
    }
}
