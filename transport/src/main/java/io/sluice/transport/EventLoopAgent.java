package io.sluice.transport;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.VarHandle;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One network thread: owns a {@link Selector} and the connections registered with it, and nothing it owns
 * is touched by another thread. Each duty cycle it
 * <ol>
 *     <li>registers listeners and connections handed to it,</li>
 *     <li>polls the selector without blocking, accepting (the first loop accepts for every listener and
 *     deals connections round-robin to all loops), reading and dispatching frames, and continuing writes
 *     the socket had no room for,</li>
 *     <li>drains its ready queue: connections that other threads completed responses for (or asked to
 *     close), writing what is ready in request order.</li>
 * </ol>
 * Work per cycle is bounded: one read per readable connection, at most {@value #READY_DRAIN_LIMIT} ready
 * connections, at most {@value #ACCEPT_LIMIT} accepts per listener.
 *
 * <p>Idle, it can block in {@link Selector#select(Consumer, long)} (as the last phase of a
 * {@link BlockingIdleStrategy}): sockets wake it through the selector, and threads that hand it work (completed
 * responses, new connections) wake it with {@link Selector#wakeup()}, but only while it is blocked there.
 *
 * <p>A loop may have a {@link LoopCompanion} (a shard) that runs on its thread after the loop's own work each duty
 * cycle; the thread then blocks only when neither has work, and is named after the companion.
 *
 * <p>Steady state allocates nothing: the selector is polled with a pre-bound {@link Consumer} (the JDK's
 * {@code selectNow(Consumer)} never builds the selected-key set, so nothing is iterated), queues are
 * drained with pre-bound consumers, and buffers belong to connections.
 */
final class EventLoopAgent implements Agent, BlockingWait
{
    static final int READY_DRAIN_LIMIT = 1024;
    static final int ACCEPT_LIMIT = 64;
    private static final int NEW_CONNECTION_QUEUE_CAPACITY = 1024;
    private static final int NEW_LISTENER_QUEUE_CAPACITY = 64;
    private static final long ACCEPT_FAILURE_LOG_INTERVAL_MS = 1000;

    private final String roleName;
    private final TransportContext ctx;
    private final TransportLog log;
    private final ResponseFramePool pool;
    private final AtomicInteger connectionCount;
    private final Selector selector;
    private final ManyToOneConcurrentArrayQueue<Listener> newListeners =
        new ManyToOneConcurrentArrayQueue<>(NEW_LISTENER_QUEUE_CAPACITY);
    private final ManyToOneConcurrentArrayQueue<TcpConnection> newConnections =
        new ManyToOneConcurrentArrayQueue<>(NEW_CONNECTION_QUEUE_CAPACITY);
    private final ManyToOneConcurrentArrayQueue<TcpConnection> readyConnections;
    private final ArrayList<TcpConnection> connections = new ArrayList<>();
    private final ArrayList<Listener> listeners = new ArrayList<>();
    private final LoopCompanion companion;
    private final Consumer<SelectionKey> selectedKeyHandler = this::onSelectedKey;
    private final Consumer<TcpConnection> readyHandler = this::onReady;
    private final Consumer<TcpConnection> newConnectionHandler = this::onNewConnection;
    private final Consumer<Listener> newListenerHandler = this::onNewListener;

    private EventLoopAgent[] loops;
    private int nextLoop;
    private int workCount;
    private long lastAcceptFailureLogMs;
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile boolean selecting;
    private volatile boolean stopBlocking;

    EventLoopAgent(
        final int index,
        final TransportContext ctx,
        final ResponseFramePool pool,
        final AtomicInteger connectionCount) throws IOException
    {
        this.companion = null == ctx.companions() ? null : ctx.companions().apply(index);
        this.roleName = null == companion ? "sluice-network-" + index : companion.roleName();
        this.ctx = ctx;
        this.log = ctx.log();
        this.pool = pool;
        this.connectionCount = connectionCount;
        // A connection sits in the ready queue at most once while open, and at most once more after it closes.
        this.readyConnections = new ManyToOneConcurrentArrayQueue<>(2 * ctx.maxConnections());
        this.selector = Selector.open();
        if (null != companion)
        {
            companion.wakeWith(this::wake);
        }
    }

    /** The loops accepted connections are dealt to; set once, before the first listener is added. */
    void loops(final EventLoopAgent[] loops)
    {
        this.loops = loops;
    }

    @Override
    public String roleName()
    {
        return roleName;
    }

    @Override
    public void onStart()
    {
        thread = Thread.currentThread();
        if (null != companion)
        {
            companion.onStart();
        }
    }

    @Override
    public int doWork() throws Exception
    {
        workCount = 0;
        workCount += newListeners.drain(newListenerHandler);
        workCount += newConnections.drain(newConnectionHandler);
        workCount += selector.selectNow(selectedKeyHandler);
        workCount += readyConnections.drain(readyHandler, READY_DRAIN_LIMIT);
        if (null != companion)
        {
            workCount += companion.doWork();
        }
        return workCount;
    }

    /**
     * Block in the selector until a socket is ready, another thread hands this loop work, or {@code maxNanos}
     * pass; ready sockets are served before it returns. See {@link ParkingWait} for why no wake-up is lost.
     */
    @Override
    public void await(final long maxNanos)
    {
        selecting = true;
        VarHandle.fullFence();
        try
        {
            if (!stopBlocking && readyConnections.isEmpty() && newConnections.isEmpty() && newListeners.isEmpty() &&
                (null == companion || !companion.hasWork()))
            {
                final long boundNanos = null == companion ? maxNanos : companion.blockBound(maxNanos);
                selector.select(selectedKeyHandler, Math.max(1, TimeUnit.NANOSECONDS.toMillis(boundNanos)));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            selecting = false;
        }
    }

    /**
     * Any thread, before stopping this loop's agent: from now on it never blocks, and it is woken if it is blocked,
     * so it sees that its runner is closing at once rather than after its block bound.
     */
    void stopBlocking()
    {
        stopBlocking = true;
        wake();
    }

    /**
     * Any thread, after queueing work for this loop: wake it if it is blocked in the selector. Its own thread is not
     * blocked even while {@link #selecting}: it is then serving keys inside the select, and sees the work after.
     */
    private void wake()
    {
        if (Thread.currentThread() == thread)
        {
            return;
        }
        VarHandle.fullFence();
        if (selecting)
        {
            selector.wakeup();
        }
    }

    @Override
    public void onClose()
    {
        closed = true;
        for (final Listener listener : listeners)
        {
            listener.close();
        }
        listeners.clear();
        Listener listener;
        while (null != (listener = newListeners.poll()))
        {
            listener.close();
        }
        TcpConnection connection;
        while (null != (connection = newConnections.poll()))
        {
            connection.closeNow();
            connectionCount.decrementAndGet();
            ctx.connectionsCounter().decrement();
        }
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            close(connections.get(i), "");
        }
        readyConnections.clear();
        try
        {
            selector.close();
        }
        catch (final IOException ex)
        {
            log.log(roleName + ": closing the selector failed: " + ex);
        }
        if (null != companion)
        {
            companion.onClose();
        }
    }

    /** Any thread: accept on {@code listener} from this loop (only the first loop accepts). */
    void addListener(final Listener listener)
    {
        if (!newListeners.offer(listener))
        {
            throw new IllegalStateException("too many listeners added at once");
        }
        wake();
    }

    /**
     * Any thread: {@code connection} has completions or a close request to act on. Never fails: the queue
     * holds every connection of the process twice over, and each is in it at most once at a time (see
     * {@link TcpConnection#takeScheduled}).
     */
    void schedule(final TcpConnection connection)
    {
        while (!readyConnections.offer(connection))
        {
            if (closed)
            {
                return;
            }
            if (Thread.currentThread() == thread)
            {
                throw new IllegalStateException(roleName + " ready queue is full");
            }
            Thread.onSpinWait();
        }
        if (Thread.currentThread() != thread)
        {
            wake();
        }
    }

    private void onNewListener(final Listener listener)
    {
        try
        {
            listener.channel().register(selector, SelectionKey.OP_ACCEPT, listener);
            listeners.add(listener);
        }
        catch (final ClosedChannelException ex)
        {
            log.log(roleName + ": listener " + listener + " was closed before it could accept");
        }
    }

    private void onNewConnection(final TcpConnection connection)
    {
        try
        {
            connection.key(connection.channel().register(selector, SelectionKey.OP_READ, connection));
            connection.connectionIndex(connections.size());
            connections.add(connection);
        }
        catch (final ClosedChannelException ex)
        {
            connection.closeNow();
            connectionCount.decrementAndGet();
            ctx.connectionsCounter().decrement();
        }
    }

    private void onSelectedKey(final SelectionKey key)
    {
        final Object attachment = key.attachment();
        if (attachment instanceof TcpConnection)
        {
            final TcpConnection connection = (TcpConnection)attachment;
            final int readyOps = key.readyOps();
            String failure = null;
            if ((readyOps & SelectionKey.OP_READ) != 0)
            {
                failure = connection.onReadable();
            }
            if (null == failure && (readyOps & SelectionKey.OP_WRITE) != 0)
            {
                failure = connection.onWritable();
            }
            if (null != failure)
            {
                close(connection, failure);
            }
        }
        else
        {
            accept((Listener)attachment);
        }
    }

    private void onReady(final TcpConnection connection)
    {
        if (!connection.takeScheduled())
        {
            return;
        }
        final String closeReason = connection.pendingCloseReason();
        final String failure = null != closeReason ? closeReason : connection.onWritable();
        if (null != failure)
        {
            close(connection, failure);
        }
    }

    private void close(final TcpConnection connection, final String reason)
    {
        connection.closeNow();
        final int index = connection.connectionIndex();
        final int lastIndex = connections.size() - 1;
        final TcpConnection last = connections.remove(lastIndex);
        if (index != lastIndex)
        {
            connections.set(index, last);
            last.connectionIndex(index);
        }
        connection.connectionIndex(-1);
        connectionCount.decrementAndGet();
        ctx.connectionsCounter().decrement();
        if (!reason.isEmpty())
        {
            log.log(roleName + ": closed " + connection + ": " + reason);
        }
        try
        {
            connection.listener().handler().onClose(connection);
        }
        catch (final Exception ex)
        {
            log.log(roleName + ": frame handler failed on close of " + connection + ": " + ex);
        }
    }

    private void accept(final Listener listener)
    {
        for (int i = 0; i < ACCEPT_LIMIT; i++)
        {
            final SocketChannel channel;
            try
            {
                channel = listener.channel().accept();
            }
            catch (final IOException ex)
            {
                logAcceptFailure(listener, ex);
                return;
            }
            if (null == channel)
            {
                return;
            }
            workCount++;
            adopt(listener, channel);
        }
    }

    private void adopt(final Listener listener, final SocketChannel channel)
    {
        if (connectionCount.incrementAndGet() > ctx.maxConnections())
        {
            refuse(listener, channel, TransportContext.MAX_CONNECTIONS_PROP_NAME + "=" + ctx.maxConnections() +
                " reached");
            return;
        }
        try
        {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            if (ctx.socketSendBufferBytes() != -1)
            {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, ctx.socketSendBufferBytes());
            }
        }
        catch (final IOException ex)
        {
            refuse(listener, channel, "socket set-up failed: " + ex.getMessage());
            return;
        }
        final EventLoopAgent target = loops[nextLoop];
        nextLoop = nextLoop + 1 == loops.length ? 0 : nextLoop + 1;
        final TcpConnection connection = new TcpConnection(channel, listener, target, pool, ctx);
        // Counted before the hand-off: the target loop may close it before this line would otherwise run.
        ctx.connectionsCounter().increment();
        ctx.connectionsAcceptedCounter().increment();
        if (target.newConnections.offer(connection))
        {
            target.wake();
        }
        else
        {
            connection.closeNow();
            connectionCount.decrementAndGet();
            ctx.connectionsCounter().decrement();
            log.log(roleName + ": refused connection from " + connection.remoteAddress() + " on " + listener +
                ": " + target.roleName + " has too many connections waiting to be registered");
        }
    }

    private void refuse(final Listener listener, final SocketChannel channel, final String reason)
    {
        connectionCount.decrementAndGet();
        String peer = "unknown peer";
        try
        {
            peer = String.valueOf(channel.getRemoteAddress());
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Refusing anyway.
        }
        log.log(roleName + ": refused connection from " + peer + " on " + listener + ": " + reason);
    }

    private void logAcceptFailure(final Listener listener, final IOException ex)
    {
        // Running out of file descriptors makes every accept fail at once: report it once a second, not per try.
        final long nowMs = System.currentTimeMillis();
        if (nowMs - lastAcceptFailureLogMs >= ACCEPT_FAILURE_LOG_INTERVAL_MS)
        {
            lastAcceptFailureLogMs = nowMs;
            log.log(roleName + ": accept on " + listener + " failed: " + ex.getMessage());
        }
    }
}
