package io.sluice.client;

import io.sluice.codecs.sbe.MessageHeaderDecoder;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One non-blocking TCP connection to the broker's NATIVE listener: connects (again after a failure, waiting a
 * backoff that doubles up to a maximum), writes queued frames with gathering writes, and reads whole frames into
 * one direct buffer that grows to the largest frame seen. Every frame is a 4-byte big-endian size, then the SBE
 * message header and body.
 *
 * <p>Not thread-safe: owned by one thread (the producer's I/O thread, or the caller of a consumer or admin),
 * except {@link #wakeup()}, which any thread may call. Nothing is allocated per frame once warm; a reconnect
 * allocates a socket.
 */
final class NativeConnection implements AutoCloseable
{
    static final int DISCONNECTED = 0;
    static final int CONNECTING = 1;
    static final int CONNECTED = 2;

    /** No frame is larger than the broker's socket.request.max.bytes allows for requests; 1 GiB bounds responses. */
    private static final int MAX_FRAME_LENGTH = 1 << 30;
    private static final int INITIAL_READ_CAPACITY = 64 * 1024;

    private final ClientContext context;
    private final Selector selector;
    private final Consumer<SelectionKey> ignoreKey = key -> { };
    private final ByteBuffer[] writeQueue;
    private int writeHead;
    private int writeCount;

    private ByteBuffer readBuffer;
    private final UnsafeBuffer readView = new UnsafeBuffer(0, 0);
    private int readPosition;
    private int readLimit;
    private int frameOffset;

    private SocketChannel channel;
    private SelectionKey key;
    private int state = DISCONNECTED;
    private long nextAttemptNs;
    private long backoffMs;
    private int epoch;
    private String failure = "not connected yet";

    NativeConnection(final ClientContext context, final int maxQueuedFrames)
    {
        this.context = context;
        this.backoffMs = context.reconnectBackoffMs();
        this.writeQueue = new ByteBuffer[maxQueuedFrames];
        allocateReadBuffer(INITIAL_READ_CAPACITY);
        try
        {
            selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open a selector", ex);
        }
    }

    /** {@link #DISCONNECTED}, {@link #CONNECTING} or {@link #CONNECTED}. */
    int state()
    {
        return state;
    }

    boolean isConnected()
    {
        return state == CONNECTED;
    }

    /** Goes up by one on every established connection, so an owner can tell its requests were lost with the last. */
    int epoch()
    {
        return epoch;
    }

    /** Why the connection is down (or last went down). */
    String failure()
    {
        return failure;
    }

    String address()
    {
        return context.bootstrap();
    }

    /**
     * Move a connection attempt on: start one when disconnected and the backoff has passed, finish one in progress.
     *
     * @return true when connected.
     */
    boolean connect(final long nowNs)
    {
        if (state == CONNECTED)
        {
            return true;
        }
        if (state == DISCONNECTED && nowNs - nextAttemptNs >= 0)
        {
            startConnect(nowNs);
        }
        if (state == CONNECTING)
        {
            try
            {
                if (channel.finishConnect())
                {
                    state = CONNECTED;
                    epoch++;
                    backoffMs = context.reconnectBackoffMs();
                    failure = null;
                }
            }
            catch (final IOException ex)
            {
                fail(nowNs, "cannot connect to " + context.bootstrap() + ": " + ex.getMessage());
            }
        }
        return state == CONNECTED;
    }

    private void startConnect(final long nowNs)
    {
        try
        {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (context.socketSendBufferBytes() > 0)
            {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, context.socketSendBufferBytes());
            }
            if (context.socketReceiveBufferBytes() > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, context.socketReceiveBufferBytes());
            }
            key = channel.register(selector, 0);
            state = CONNECTING;
            if (channel.connect(new InetSocketAddress(context.host(), context.port())))
            {
                state = CONNECTED;
                epoch++;
                backoffMs = context.reconnectBackoffMs();
                failure = null;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            fail(nowNs, "cannot connect to " + context.bootstrap() + ": " + ex.getMessage());
        }
    }

    /**
     * Queue a whole frame (size prefix included, from its position to its limit) to be written in order. The
     * caller keeps the buffer untouched until it is written; a disconnect drops the queue.
     *
     * @return false when the queue is full.
     */
    boolean enqueue(final ByteBuffer frame)
    {
        if (writeCount == writeQueue.length)
        {
            return false;
        }
        if (writeHead + writeCount == writeQueue.length)
        {
            System.arraycopy(writeQueue, writeHead, writeQueue, 0, writeCount);
            java.util.Arrays.fill(writeQueue, writeCount, writeQueue.length, null);
            writeHead = 0;
        }
        writeQueue[writeHead + writeCount++] = frame;
        return true;
    }

    /** Frames queued and not yet wholly written. */
    int queued()
    {
        return writeCount;
    }

    /**
     * Write as much of the queue as the socket takes.
     *
     * @return bytes written, 0 when nothing could be, -1 when the connection failed (it is then down).
     */
    long flush(final long nowNs)
    {
        if (state != CONNECTED || writeCount == 0)
        {
            return 0;
        }
        try
        {
            final long written = channel.write(writeQueue, writeHead, writeCount);
            while (writeCount > 0 && !writeQueue[writeHead].hasRemaining())
            {
                writeQueue[writeHead++] = null;
                writeCount--;
            }
            if (writeCount == 0)
            {
                writeHead = 0;
            }
            return written;
        }
        catch (final IOException ex)
        {
            fail(nowNs, "write to " + context.bootstrap() + " failed: " + ex.getMessage());
            return -1;
        }
    }

    /**
     * Read what the socket has. Frames returned by {@link #nextFrame()} before this call are no longer valid.
     *
     * @return bytes read, 0 for none, -1 when the connection failed or was closed (it is then down).
     */
    int receive(final long nowNs)
    {
        if (state != CONNECTED)
        {
            return 0;
        }
        compact();
        if (readLimit >= Integer.BYTES)
        {
            final int size = readView.getInt(0, ByteOrder.BIG_ENDIAN);
            if (size < MessageHeaderDecoder.ENCODED_LENGTH || size > MAX_FRAME_LENGTH)
            {
                fail(nowNs, "broker sent a frame of " + size + " bytes");
                return -1;
            }
            if (Integer.BYTES + size > readBuffer.capacity())
            {
                growReadBuffer(Integer.BYTES + size);
            }
        }
        if (readLimit == readBuffer.capacity())
        {
            return 0;
        }
        try
        {
            readBuffer.limit(readBuffer.capacity()).position(readLimit);
            final int read = channel.read(readBuffer);
            if (read < 0)
            {
                fail(nowNs, "connection closed by " + context.bootstrap());
                return -1;
            }
            readLimit += read;
            return read;
        }
        catch (final IOException ex)
        {
            fail(nowNs, "read from " + context.bootstrap() + " failed: " + ex.getMessage());
            return -1;
        }
    }

    /**
     * The next whole frame read: its SBE message starts at {@link #frameOffset()} of {@link #buffer()}.
     *
     * @return its length after the size prefix, or -1 when no whole frame is buffered.
     */
    int nextFrame()
    {
        if (readLimit - readPosition < Integer.BYTES)
        {
            return -1;
        }
        final int size = readView.getInt(readPosition, ByteOrder.BIG_ENDIAN);
        if (size < 0 || readLimit - readPosition - Integer.BYTES < size)
        {
            return -1;
        }
        frameOffset = readPosition + Integer.BYTES;
        readPosition = frameOffset + size;
        return size;
    }

    int frameOffset()
    {
        return frameOffset;
    }

    /** The read buffer: frames from {@link #nextFrame()} live here until the next {@link #receive}. */
    DirectBuffer buffer()
    {
        return readView;
    }

    /**
     * Wait up to {@code timeoutNs} (at least a millisecond) for the socket to become readable, connectable or (with
     * frames queued) writable, or for {@link #wakeup()}.
     */
    void await(final long timeoutNs)
    {
        try
        {
            if (key != null && key.isValid())
            {
                final int interest = state == CONNECTING ? SelectionKey.OP_CONNECT :
                    state == CONNECTED ? SelectionKey.OP_READ | (writeCount > 0 ? SelectionKey.OP_WRITE : 0) : 0;
                if (key.interestOps() != interest)
                {
                    key.interestOps(interest);
                }
            }
            selector.select(ignoreKey, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNs + 999_999)));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("selector failed", ex);
        }
    }

    /** Make a thread blocked in {@link #await} return. Any thread. */
    void wakeup()
    {
        selector.wakeup();
    }

    /** Drop the connection (a request timed out, say); a new one is attempted after the backoff. */
    void disconnect(final long nowNs, final String reason)
    {
        if (state != DISCONNECTED)
        {
            fail(nowNs, reason);
        }
    }

    /**
     * Drop the connection, and with it whatever the broker still holds for it (a fetch waiting for records), and
     * connect again on the next {@link #connect} without a backoff: nothing failed.
     */
    void reconnectNow(final long nowNs)
    {
        if (state != DISCONNECTED)
        {
            drop();
            nextAttemptNs = nowNs;
        }
    }

    private void fail(final long nowNs, final String reason)
    {
        failure = reason;
        drop();
        nextAttemptNs = nowNs + TimeUnit.MILLISECONDS.toNanos(backoffMs);
        backoffMs = Math.min(backoffMs * 2, context.reconnectBackoffMaxMs());
    }

    private void drop()
    {
        closeChannel();
        state = DISCONNECTED;
        java.util.Arrays.fill(writeQueue, null);
        writeHead = 0;
        writeCount = 0;
        readPosition = 0;
        readLimit = 0;
    }

    private void closeChannel()
    {
        if (key != null)
        {
            key.cancel();
            key = null;
        }
        CloseHelper.quietClose(channel);
        channel = null;
    }

    private void compact()
    {
        if (readPosition == 0)
        {
            return;
        }
        final int remaining = readLimit - readPosition;
        if (remaining > 0)
        {
            readView.putBytes(0, readView, readPosition, remaining);
        }
        readPosition = 0;
        readLimit = remaining;
    }

    private void growReadBuffer(final int needed)
    {
        final ByteBuffer old = readBuffer;
        allocateReadBuffer(Math.max(needed, Math.min(MAX_FRAME_LENGTH, old.capacity() * 2)));
        readView.putBytes(0, new UnsafeBuffer(old), 0, readLimit);
    }

    private void allocateReadBuffer(final int capacity)
    {
        readBuffer = BufferUtil.allocateDirectAligned(align(capacity), 64);
        readView.wrap(readBuffer);
    }

    private static int align(final int capacity)
    {
        return (capacity + 63) & ~63;
    }

    @Override
    public void close()
    {
        closeChannel();
        state = DISCONNECTED;
        failure = "closed";
        CloseHelper.quietClose(selector);
    }
}
