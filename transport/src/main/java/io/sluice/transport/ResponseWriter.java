package io.sluice.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * Writes one {@link ResponseFrame} to a non-blocking socket across as many calls as the socket needs: the
 * 4-byte big-endian size prefix gathered with the first buffer bytes, then alternately the buffer bytes up to
 * the next file region and the region itself through {@link FileChannel#transferTo} (sendfile, no copy
 * through user space). A frame whose regions hold no more than the inline limit in all is made bytes only
 * first ({@link ResponseFrame#inlineRegions}): its regions are read into its buffer and it leaves in one write.
 *
 * <p>The frame is walked as segments: even segment {@code 2k} is buffer bytes {@code [regionAt(k-1),
 * regionAt(k))} (from 0, up to {@code length()} for the last), odd segment {@code 2k+1} is region {@code k}.
 *
 * <p>Owned by one connection, used only on its event-loop thread; allocates nothing per frame.
 */
final class ResponseWriter
{
    private final ByteBuffer sizePrefix = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.BIG_ENDIAN);
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private ResponseFrame frame;
    private int segment;
    private int segmentCount;
    private int bufferPosition;
    private long regionSent;
    private final int inlineMaxBytes;
    private boolean inline;

    /** @param inlineMaxBytes most region bytes a frame may have to be sent as one write; 0: always sendfile. */
    ResponseWriter(final int inlineMaxBytes)
    {
        this.inlineMaxBytes = inlineMaxBytes;
    }

    /** True while a frame is partly written. */
    boolean isWriting()
    {
        return null != frame;
    }

    /**
     * Start writing {@code frame}.
     *
     * @return null when it can be written, else why it cannot (too long for a size prefix, a length beyond
     * its buffer, regions out of order or without a file).
     */
    String begin(final ResponseFrame frame)
    {
        final long frameLength = frame.frameLength();
        if (frameLength > Integer.MAX_VALUE)
        {
            return "response of " + frameLength + " bytes is too long for a frame";
        }
        if (frame.length() < 0 || frame.length() > frame.buffer().capacity())
        {
            return "response length " + frame.length() + " is outside its buffer of " + frame.buffer().capacity();
        }
        int previous = 0;
        for (int i = 0, count = frame.regionCount(); i < count; i++)
        {
            final int at = frame.regionAt(i);
            if (at < previous || at > frame.length() || frame.regionLength(i) < 0 ||
                frame.regionPosition(i) < 0 || null == frame.regionChannel(i))
            {
                return "response region " + i + " at " + at + " is out of order, outside the buffer, or has no file";
            }
            previous = at;
        }
        this.frame = frame;
        inline = frame.regionCount() > 0 && frame.regionBytes() <= inlineMaxBytes;
        segment = 0;
        segmentCount = 2 * frame.regionCount() + 1;
        bufferPosition = 0;
        regionSent = 0;
        sizePrefix.clear();
        sizePrefix.putInt(0, (int)frameLength);
        return null;
    }

    /**
     * Write as much of the frame as the socket takes now.
     *
     * @return true when the whole frame is written, false when the socket is full (wait for OP_WRITE).
     * @throws IOException from the socket or a region's file, including a region past the end of its file.
     */
    boolean write(final SocketChannel channel) throws IOException
    {
        final ResponseFrame frame = this.frame;
        if (inline)
        {
            inline = false;
            frame.inlineRegions();
            segmentCount = 1;
        }
        while (segment < segmentCount)
        {
            final boolean complete = (segment & 1) == 0 ?
                writeBytes(channel, frame, segment >> 1) : transferRegion(channel, frame, segment >> 1);
            if (!complete)
            {
                return false;
            }
            segment++;
            regionSent = 0;
        }
        reset();
        return true;
    }

    /** Forget the frame in progress (written, or its connection closed). */
    void reset()
    {
        frame = null;
        gather[1] = null;
    }

    private boolean writeBytes(final SocketChannel channel, final ResponseFrame frame, final int chunk)
        throws IOException
    {
        final int end = chunk < frame.regionCount() ? frame.regionAt(chunk) : frame.length();
        final ByteBuffer body = frame.buffer().byteBuffer();
        final int base = frame.buffer().wrapAdjustment();
        body.limit(base + end).position(base + bufferPosition);
        if (sizePrefix.hasRemaining())
        {
            gather[0] = sizePrefix;
            gather[1] = body;
            channel.write(gather, 0, 2);
        }
        else if (body.hasRemaining())
        {
            channel.write(body);
        }
        bufferPosition = body.position() - base;
        return !sizePrefix.hasRemaining() && bufferPosition == end;
    }

    private boolean transferRegion(final SocketChannel channel, final ResponseFrame frame, final int region)
        throws IOException
    {
        final FileChannel file = frame.regionChannel(region);
        final long position = frame.regionPosition(region);
        final int length = frame.regionLength(region);
        while (regionSent < length)
        {
            final long sent = file.transferTo(position + regionSent, length - regionSent, channel);
            if (sent <= 0)
            {
                // transferTo says 0 both for a full socket and for a range past the end of the file; only the
                // latter would spin forever, so tell them apart (one fstat, only when nothing moved).
                if (position + regionSent >= file.size())
                {
                    throw new IOException("file region [" + position + ", " + (position + length) +
                        ") ends past the end of its file (" + file.size() + " bytes)");
                }
                return false;
            }
            regionSent += sent;
        }
        return true;
    }
}
