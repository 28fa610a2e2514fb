package io.sluice.transport;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One accepted socket: reads length-prefixed frames and hands them to its listener's handler, and writes
 * responses strictly in request order whatever order they complete in.
 *
 * <p><b>Ordering.</b> Request {@code seq} owns slot {@code seq & mask} of a reorder ring. A completing thread
 * puts its frame (or {@link #SKIPPED}) in the slot and schedules the connection on its event loop; the loop
 * writes from the slot of the oldest unwritten request onward and stops at the first empty one.
 *
 * <p><b>Back-pressure.</b> At most {@code maxInFlight} requests are read but not yet written or skipped;
 * at the limit the connection stops dispatching and reading (OP_READ off) until responses drain. That is
 * also why a slot is always free when its request is answered: its previous user was written before the
 * request that reuses it was read.
 *
 * <p><b>Threads.</b> {@link #respond}, {@link #skip}, {@link #close} and {@link #isOpen} are thread-safe;
 * everything else runs on the owning event loop.
 */
final class TcpConnection implements Connection
{
    private static final AtomicLong ID_SOURCE = new AtomicLong();
    private static final int SIZE_PREFIX_LENGTH = Integer.BYTES;
    private static final int SHRINK_CHECK_FRAMES = 1024;

    /** Slot marker for a request that gets no response; never written and never pooled. */
    private static final ResponseFrame SKIPPED = new ResponseFrame(1);

    private final long id = ID_SOURCE.getAndIncrement();
    private final SocketChannel channel;
    private final String remoteAddress;
    private final Listener listener;
    private final EventLoopAgent loop;
    private final ResponseFramePool pool;
    private final int maxFrameBytes;
    private final int maxInFlight;
    private final int slotMask;
    private final AtomicReferenceArray<ResponseFrame> slots;
    private final ResponseWriter writer;
    private final UnsafeBuffer readView = new UnsafeBuffer(0, 0);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicReference<String> closeReason = new AtomicReference<>();
    private volatile boolean open = true;

    private SelectionKey key;
    private int connectionIndex = -1;
    private final int initialReadBufferBytes;
    private ByteBuffer readBuffer;
    private int readOffset;
    private int largestRecentFrame;
    private int framesSinceSizeCheck;
    private long readSeq;
    private long writeSeq;
    private boolean readPaused;

    TcpConnection(
        final SocketChannel channel,
        final Listener listener,
        final EventLoopAgent loop,
        final ResponseFramePool pool,
        final TransportContext ctx)
    {
        this.channel = channel;
        this.remoteAddress = describe(channel);
        this.listener = listener;
        this.loop = loop;
        this.pool = pool;
        this.maxFrameBytes = ctx.socketRequestMaxBytes();
        this.writer = new ResponseWriter(ctx.inlineRegionMaxBytes());
        this.maxInFlight = ctx.maxInFlightRequestsPerConnection();
        final int slotCount = BitUtil.findNextPositivePowerOfTwo(maxInFlight);
        this.slotMask = slotCount - 1;
        this.slots = new AtomicReferenceArray<>(slotCount);
        this.initialReadBufferBytes = Math.min(ctx.readBufferInitialBytes(), maxFrameBytes + SIZE_PREFIX_LENGTH);
        this.readBuffer = allocateReadBuffer(initialReadBufferBytes);
        readView.wrap(readBuffer);
    }

    @Override
    public long id()
    {
        return id;
    }

    @Override
    public String remoteAddress()
    {
        return remoteAddress;
    }

    @Override
    public void respond(final long requestSeq, final ResponseFrame response)
    {
        complete(requestSeq, response);
    }

    @Override
    public void skip(final long requestSeq)
    {
        complete(requestSeq, SKIPPED);
    }

    @Override
    public void close(final String reason)
    {
        if (closeReason.compareAndSet(null, reason))
        {
            schedule();
        }
    }

    @Override
    public boolean isOpen()
    {
        return open && null == closeReason.get();
    }

    @Override
    public String toString()
    {
        return "connection " + id + " from " + remoteAddress + " on " + listener.name();
    }

    Listener listener()
    {
        return listener;
    }

    SocketChannel channel()
    {
        return channel;
    }

    void key(final SelectionKey key)
    {
        this.key = key;
    }

    int connectionIndex()
    {
        return connectionIndex;
    }

    void connectionIndex(final int connectionIndex)
    {
        this.connectionIndex = connectionIndex;
    }

    /** Loop: take the scheduling mark so the next completion schedules again; full fence before reading slots. */
    boolean takeScheduled()
    {
        return open && scheduled.getAndSet(false);
    }

    /** Loop: the close asked for by another thread (or the handler), if any. */
    String pendingCloseReason()
    {
        return closeReason.get();
    }

    /**
     * Loop: the socket is readable. Read once, dispatch the complete frames.
     *
     * @return why the connection must close (logged), "" to close it quietly (the peer closed between
     * frames), or null to keep it.
     */
    String onReadable()
    {
        final int read;
        try
        {
            read = channel.read(readBuffer);
        }
        catch (final IOException ex)
        {
            return "read failed: " + ex.getMessage();
        }
        if (read < 0)
        {
            final int buffered = readBuffer.position() - readOffset;
            return 0 == buffered ? "" : "end of stream in the middle of a frame (" + buffered + " bytes buffered)";
        }
        return dispatchFrames();
    }

    /**
     * Loop: write every response that is ready in request order, then resume reading if back-pressure
     * allows.
     *
     * @return why the connection must close, or null.
     */
    String onWritable()
    {
        final String failure = writeResponses();
        if (null != failure)
        {
            return failure;
        }
        if (readPaused && readSeq - writeSeq < maxInFlight)
        {
            readPaused = false;
            final String dispatchFailure = dispatchFrames();
            if (null != dispatchFailure)
            {
                return dispatchFailure;
            }
            if (!readPaused)
            {
                key.interestOps(key.interestOps() | SelectionKey.OP_READ);
            }
        }
        return null;
    }

    /**
     * Loop: release what the connection holds. After this {@link #isOpen()} is false, no completion schedules
     * it again, and a frame that arrives late is released by its sender (see {@link #complete}).
     */
    void closeNow()
    {
        open = false;
        scheduled.set(true);
        if (null != key)
        {
            key.cancel();
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // The socket is being abandoned; there is nobody to tell.
        }
        writer.reset();
        for (int i = 0, length = slots.length(); i < length; i++)
        {
            release(slots.getAndSet(i, null));
        }
        BufferUtil.free(readBuffer);
        readBuffer = null;
        readView.wrap(0, 0);
    }

    private void complete(final long requestSeq, final ResponseFrame frame)
    {
        final int index = (int)requestSeq & slotMask;
        if (!slots.compareAndSet(index, null, frame))
        {
            release(frame);
            close("request " + requestSeq + " answered twice, or its answer came before an older one was written");
            return;
        }
        if (!open)
        {
            // Closed while we were answering: whichever of us empties the slot releases the frame.
            if (slots.compareAndSet(index, frame, null))
            {
                release(frame);
            }
            return;
        }
        schedule();
    }

    private void schedule()
    {
        if (scheduled.compareAndSet(false, true))
        {
            loop.schedule(this);
        }
    }

    private String dispatchFrames()
    {
        final ByteBuffer buffer = readBuffer;
        final int limit = buffer.position();
        int offset = readOffset;
        String failure = null;
        while (null == closeReason.get())
        {
            final int available = limit - offset;
            if (available < SIZE_PREFIX_LENGTH)
            {
                break;
            }
            final int frameLength = readView.getInt(offset, ByteOrder.BIG_ENDIAN);
            if (frameLength < 0 || frameLength > maxFrameBytes)
            {
                failure = "frame size " + frameLength + " outside [0, " + maxFrameBytes + "]";
                break;
            }
            if (available - SIZE_PREFIX_LENGTH < frameLength)
            {
                if (buffer.capacity() < SIZE_PREFIX_LENGTH + frameLength)
                {
                    growReadBuffer(offset, limit, SIZE_PREFIX_LENGTH + frameLength);
                    return null;
                }
                break;
            }
            if (readSeq - writeSeq >= maxInFlight)
            {
                pauseReading();
                break;
            }
            final long seq = readSeq++;
            try
            {
                listener.handler().onFrame(this, seq, readView, offset + SIZE_PREFIX_LENGTH, frameLength);
            }
            catch (final Exception ex)
            {
                failure = "frame handler failed on request " + seq + ": " + ex;
                break;
            }
            offset += SIZE_PREFIX_LENGTH + frameLength;
            largestRecentFrame = Math.max(largestRecentFrame, SIZE_PREFIX_LENGTH + frameLength);
            framesSinceSizeCheck++;
        }
        if (null == failure)
        {
            compact(offset, limit);
        }
        return failure;
    }

    private void compact(final int offset, final int limit)
    {
        if (offset == limit)
        {
            readBuffer.clear();
            readOffset = 0;
            if (framesSinceSizeCheck >= SHRINK_CHECK_FRAMES)
            {
                shrinkReadBuffer();
            }
        }
        else if (offset > 0 && !readPaused)
        {
            // Move the partial frame to the front so the rest of it has room; the buffer is big enough for it.
            readBuffer.limit(limit).position(offset);
            readBuffer.compact();
            readOffset = 0;
        }
        else
        {
            // Paused: complete frames wait where they are, and nothing is read until they are dispatched.
            readOffset = offset;
        }
    }

    /**
     * Give back a read buffer that one large request grew but the recent ones do not need: when it is empty and
     * more than twice the size the last {@value #SHRINK_CHECK_FRAMES} frames needed (and than the initial size).
     * Checked that rarely so that a client alternating large and small requests does not reallocate each time.
     */
    private void shrinkReadBuffer()
    {
        final int needed = Math.max(initialReadBufferBytes, BitUtil.findNextPositivePowerOfTwo(largestRecentFrame));
        if (readBuffer.capacity() > 2 * needed)
        {
            BufferUtil.free(readBuffer);
            readBuffer = allocateReadBuffer(needed);
            readView.wrap(readBuffer);
        }
        largestRecentFrame = 0;
        framesSinceSizeCheck = 0;
    }

    /** Capacity of the read buffer, for tests. */
    int readBufferCapacity()
    {
        return readBuffer.capacity();
    }

    private void growReadBuffer(final int offset, final int limit, final int required)
    {
        final int capacity = (int)Math.min(
            (long)maxFrameBytes + SIZE_PREFIX_LENGTH, BitUtil.findNextPositivePowerOfTwo((long)required));
        final ByteBuffer grown = allocateReadBuffer(capacity);
        final ByteBuffer old = readBuffer;
        old.limit(limit).position(offset);
        grown.put(old);
        BufferUtil.free(old);
        readBuffer = grown;
        readOffset = 0;
        readView.wrap(grown);
    }

    private void pauseReading()
    {
        readPaused = true;
        key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
    }

    private String writeResponses()
    {
        try
        {
            while (true)
            {
                final int index = (int)writeSeq & slotMask;
                if (!writer.isWriting())
                {
                    final ResponseFrame frame = slots.getAcquire(index);
                    if (null == frame)
                    {
                        break;
                    }
                    if (SKIPPED == frame)
                    {
                        slots.setRelease(index, null);
                        writeSeq++;
                        continue;
                    }
                    final String invalid = writer.begin(frame);
                    if (null != invalid)
                    {
                        return invalid;
                    }
                }
                if (!writer.write(channel))
                {
                    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                    return null;
                }
                final ResponseFrame written = slots.get(index);
                slots.setRelease(index, null);
                pool.release(written);
                writeSeq++;
            }
        }
        catch (final IOException ex)
        {
            return "write failed: " + ex.getMessage();
        }
        if ((key.interestOps() & SelectionKey.OP_WRITE) != 0)
        {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        }
        return null;
    }

    private void release(final ResponseFrame frame)
    {
        if (null != frame && SKIPPED != frame)
        {
            pool.release(frame);
        }
    }

    private static ByteBuffer allocateReadBuffer(final int capacity)
    {
        return ByteBuffer.allocateDirect(capacity);
    }

    private static String describe(final SocketChannel channel)
    {
        try
        {
            final InetSocketAddress address = (InetSocketAddress)channel.getRemoteAddress();
            return address.getHostString() + ":" + address.getPort();
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown peer";
        }
    }
}
