package io.sluice.transport;

import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A response on its way out: header and body bytes written into {@link #buffer()}, with file regions
 * spliced in between them and sent with {@link FileChannel#transferTo} (zero copy). The transport writes
 * the 4-byte size prefix itself: {@link #frameLength()} covers bytes and regions.
 *
 * <p>Pooled: take one with {@link ResponseFramePool#acquire()}, fill it on one thread, hand it to
 * {@link Connection#respond}; the transport releases it. Not thread-safe while being filled.
 */
public final class ResponseFrame
{
    private static final int INITIAL_REGIONS = 8;

    private final ExpandableDirectByteBuffer buffer;
    private int length;
    private int regionCount;
    private int[] regionAt = new int[INITIAL_REGIONS];
    private FileChannel[] regionChannels = new FileChannel[INITIAL_REGIONS];
    private long[] regionPositions = new long[INITIAL_REGIONS];
    private int[] regionLengths = new int[INITIAL_REGIONS];
    private long regionBytes;

    public ResponseFrame(final int initialCapacity)
    {
        buffer = new ExpandableDirectByteBuffer(initialCapacity);
    }

    /** Bytes of the response, written from index 0 (the transport adds the size prefix). Big-endian writes are the caller's job. */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** How many bytes of {@link #buffer()} are part of the response. */
    public int length()
    {
        return length;
    }

    public ResponseFrame length(final int length)
    {
        this.length = length;
        return this;
    }

    /**
     * Splice {@code regionLength} bytes of {@code channel} at {@code position} into the response after the
     * first {@code bufferIndex} bytes of the buffer (regions must be added in increasing {@code bufferIndex}).
     */
    public ResponseFrame addRegion(
        final int bufferIndex, final FileChannel channel, final long position, final int regionLength)
    {
        if (regionCount == regionAt.length)
        {
            growRegions();
        }
        regionAt[regionCount] = bufferIndex;
        regionChannels[regionCount] = channel;
        regionPositions[regionCount] = position;
        regionLengths[regionCount] = regionLength;
        regionCount++;
        regionBytes += regionLength;
        return this;
    }

    public int regionCount()
    {
        return regionCount;
    }

    public int regionAt(final int index)
    {
        return regionAt[index];
    }

    public FileChannel regionChannel(final int index)
    {
        return regionChannels[index];
    }

    public long regionPosition(final int index)
    {
        return regionPositions[index];
    }

    public int regionLength(final int index)
    {
        return regionLengths[index];
    }

    /** Size of the frame after the size prefix: buffer bytes plus every region. */
    public long frameLength()
    {
        return length + regionBytes;
    }

    /** Bytes of all regions together. */
    public long regionBytes()
    {
        return regionBytes;
    }

    /**
     * Read every region into the buffer where it belongs, so that the frame is buffer bytes only and leaves in one
     * write: for little file data, a read and a write cost fewer system calls (and TCP segments) than writing the
     * bytes around each region and sending each region with sendfile.
     *
     * @throws IOException from a file, including a region that ends past the end of its file.
     */
    void inlineRegions() throws IOException
    {
        final int total = (int)regionBytes;
        buffer.checkLimit(length + total);
        int shift = total;
        int segmentEnd = length;
        for (int i = regionCount - 1; i >= 0; i--)
        {
            final int at = regionAt[i];
            buffer.putBytes(at + shift, buffer, at, segmentEnd - at);
            shift -= regionLengths[i];
            read(i, at + shift);
            segmentEnd = at;
            regionChannels[i] = null;
        }
        length += total;
        regionCount = 0;
        regionBytes = 0;
    }

    private void read(final int region, final int index) throws IOException
    {
        // The buffer's own view: whoever writes the frame sets its position and limit before each use too.
        final ByteBuffer target = buffer.byteBuffer();
        final int base = buffer.wrapAdjustment() + index;
        target.limit(base + regionLengths[region]).position(base);
        final FileChannel channel = regionChannels[region];
        final long position = regionPositions[region];
        while (target.hasRemaining())
        {
            if (channel.read(target, position + target.position() - base) <= 0)
            {
                throw new IOException("file region [" + position + ", " + (position + regionLengths[region]) +
                    ") ends past the end of its file (" + channel.size() + " bytes)");
            }
        }
    }

    /** Forget the contents, keeping the capacity, so the frame can be pooled. */
    public ResponseFrame clear()
    {
        for (int i = 0; i < regionCount; i++)
        {
            regionChannels[i] = null;
        }
        length = 0;
        regionCount = 0;
        regionBytes = 0;
        return this;
    }

    private void growRegions()
    {
        final int newLength = regionAt.length * 2;
        regionAt = java.util.Arrays.copyOf(regionAt, newLength);
        regionChannels = java.util.Arrays.copyOf(regionChannels, newLength);
        regionPositions = java.util.Arrays.copyOf(regionPositions, newLength);
        regionLengths = java.util.Arrays.copyOf(regionLengths, newLength);
    }
}
