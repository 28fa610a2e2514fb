package io.sluice.transport;

import org.agrona.concurrent.AgentRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The network side of a broker: event loops that accept, read frames, and write responses, shared by every
 * listener.
 *
 * <pre>{@code
 * final Transport transport = new Transport(new TransportContext().eventLoopCount(2));
 * final ResponseFramePool pool = transport.responseFramePool();      // shards acquire responses here
 * final Listener kafka = transport.listen("PLAINTEXT", "127.0.0.1", 9092, kafkaFrameHandler);
 * final Listener sluice = transport.listen("NATIVE", "127.0.0.1", 9093, nativeFrameHandler);
 * transport.start();
 * ...
 * transport.close();   // stops accepting, closes connections, joins the threads
 * }</pre>
 *
 * <p>{@link #listen}, {@link #start} and {@link #close} are synchronized and may be called from any thread;
 * listeners may be added before or after {@link #start}.
 */
public final class Transport implements AutoCloseable
{
    private final TransportContext ctx;
    private final ResponseFramePool responseFramePool;
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final EventLoopAgent[] loops;
    private final List<Listener> listeners = new ArrayList<>();
    private AgentRunner[] runners;
    private boolean closed;

    /**
     * Concludes {@code ctx} and opens one selector per event loop; no thread starts until {@link #start()}.
     *
     * @throws IllegalArgumentException for an invalid setting, naming it.
     */
    public Transport(final TransportContext ctx)
    {
        this.ctx = ctx.conclude();
        this.responseFramePool = new ResponseFramePool(
            ctx.responseFramePoolCapacity(), ctx.responseFrameInitialBytes());
        this.loops = new EventLoopAgent[ctx.eventLoopCount()];
        try
        {
            for (int i = 0; i < loops.length; i++)
            {
                loops[i] = new EventLoopAgent(i, ctx, responseFramePool, connectionCount);
            }
        }
        catch (final IOException ex)
        {
            for (final EventLoopAgent loop : loops)
            {
                if (null != loop)
                {
                    loop.onClose();
                }
            }
            throw new UncheckedIOException("cannot open a selector", ex);
        }
        for (final EventLoopAgent loop : loops)
        {
            loop.loops(loops);
        }
    }

    public TransportContext context()
    {
        return ctx;
    }

    /** Where whoever fills responses takes {@link ResponseFrame}s; the transport releases them once written. */
    public ResponseFramePool responseFramePool()
    {
        return responseFramePool;
    }

    /**
     * Bind {@code host:port} now and serve its connections with {@code handler}.
     *
     * @param name    of the listener, for log lines ({@code PLAINTEXT}, {@code NATIVE}).
     * @param host    to bind; empty for every interface.
     * @param port    to bind; 0 for one the OS picks (see {@link Listener#port()}).
     * @param handler called on event-loop threads with every frame of the listener's connections.
     * @return the bound listener.
     * @throws ListenerBindException naming {@code host:port} when it cannot be bound (in use, say).
     */
    public synchronized Listener listen(final String name, final String host, final int port, final FrameHandler handler)
    {
        if (closed)
        {
            throw new IllegalStateException("transport is closed");
        }
        final Listener listener = new Listener(name, host, port, handler, ctx);
        listeners.add(listener);
        loops[0].addListener(listener);
        return listener;
    }

    /** The listeners bound so far. */
    public synchronized List<Listener> listeners()
    {
        return Collections.unmodifiableList(new ArrayList<>(listeners));
    }

    /**
     * Start one thread per event loop, made by the context's {@link TransportContext#threadFactory() thread factory}
     * and named for its loop ({@code sluice-network-N}).
     */
    public synchronized Transport start()
    {
        if (closed)
        {
            throw new IllegalStateException("transport is closed");
        }
        if (null == runners)
        {
            runners = new AgentRunner[loops.length];
            for (int i = 0; i < loops.length; i++)
            {
                runners[i] = new AgentRunner(ctx.idleStrategies().apply(loops[i]), ctx.errorHandler(), null, loops[i]);
                AgentRunner.startOnThread(runners[i], ctx.threadFactory());
            }
        }
        return this;
    }

    /**
     * Stop accepting, close every connection (handlers get {@link FrameHandler#onClose}; unwritten responses
     * are dropped and their frames released), and join the event-loop threads. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (null != runners)
        {
            for (final EventLoopAgent loop : loops)
            {
                loop.stopBlocking();
            }
            for (final AgentRunner runner : runners)
            {
                runner.close();
            }
        }
        else
        {
            for (final EventLoopAgent loop : loops)
            {
                loop.onClose();
            }
        }
    }
}
