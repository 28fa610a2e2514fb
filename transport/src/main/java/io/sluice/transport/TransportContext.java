package io.sluice.transport;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Configuration of a {@link Transport}: set what differs from the defaults with the fluent setters, then the
 * transport calls {@link #conclude()}, which validates every value and fills the defaults it derives.
 *
 * <p>Where a setting has an Apache Kafka broker property of the same meaning, its name is given as a
 * {@code *_PROP_NAME} constant so the broker's config can map it one to one; an invalid value fails
 * {@link #conclude()} with an {@link IllegalArgumentException} naming that property.
 *
 * <p>Not thread-safe: configure on one thread, then hand it to the transport and leave it alone.
 */
public final class TransportContext
{
    public static final String NUM_NETWORK_THREADS_PROP_NAME = "num.network.threads";
    public static final String SOCKET_SEND_BUFFER_BYTES_PROP_NAME = "socket.send.buffer.bytes";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES_PROP_NAME = "socket.receive.buffer.bytes";
    public static final String SOCKET_REQUEST_MAX_BYTES_PROP_NAME = "socket.request.max.bytes";
    public static final String SOCKET_LISTEN_BACKLOG_SIZE_PROP_NAME = "socket.listen.backlog.size";
    public static final String MAX_CONNECTIONS_PROP_NAME = "max.connections";

    /** Kafka's defaults for the socket buffers; -1 leaves the operating system's default (and autotuning). */
    public static final int SOCKET_SEND_BUFFER_BYTES_DEFAULT = 102_400;
    public static final int SOCKET_RECEIVE_BUFFER_BYTES_DEFAULT = 102_400;
    public static final int SOCKET_REQUEST_MAX_BYTES_DEFAULT = 104_857_600;
    public static final int SOCKET_LISTEN_BACKLOG_SIZE_DEFAULT = 50;
    public static final int MAX_CONNECTIONS_DEFAULT = 10_000;
    public static final int MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_DEFAULT = 64;
    public static final int READ_BUFFER_INITIAL_BYTES_DEFAULT = 16 * 1024;
    public static final int RESPONSE_FRAME_POOL_CAPACITY_DEFAULT = 1024;
    public static final int RESPONSE_FRAME_INITIAL_BYTES_DEFAULT = 4096;
    public static final int INLINE_REGION_MAX_BYTES_DEFAULT = 16 * 1024;

    /** An idle event loop spins 10 times, yields 5 times, then blocks in its selector for up to 10 ms at a time. */
    public static final long IDLE_MAX_SPINS_DEFAULT = 10;
    public static final long IDLE_MAX_YIELDS_DEFAULT = 5;
    public static final long IDLE_MAX_BLOCK_NS_DEFAULT = 10_000_000;

    private boolean concluded;
    private int eventLoopCount;
    private int socketSendBufferBytes = SOCKET_SEND_BUFFER_BYTES_DEFAULT;
    private int socketReceiveBufferBytes = SOCKET_RECEIVE_BUFFER_BYTES_DEFAULT;
    private int socketRequestMaxBytes = SOCKET_REQUEST_MAX_BYTES_DEFAULT;
    private int socketListenBacklogSize = SOCKET_LISTEN_BACKLOG_SIZE_DEFAULT;
    private int maxConnections = MAX_CONNECTIONS_DEFAULT;
    private int maxInFlightRequestsPerConnection = MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_DEFAULT;
    private int readBufferInitialBytes = READ_BUFFER_INITIAL_BYTES_DEFAULT;
    private int responseFramePoolCapacity = RESPONSE_FRAME_POOL_CAPACITY_DEFAULT;
    private int responseFrameInitialBytes = RESPONSE_FRAME_INITIAL_BYTES_DEFAULT;
    private int inlineRegionMaxBytes = INLINE_REGION_MAX_BYTES_DEFAULT;
    private Function<BlockingWait, IdleStrategy> idleStrategies;
    private ThreadFactory threadFactory;
    private IntFunction<? extends LoopCompanion> companions;
    private TransportLog log;
    private ErrorHandler errorHandler;
    private AtomicCounter connectionsCounter;
    private AtomicCounter connectionsAcceptedCounter;

    /**
     * Validate every setting and fill the defaults that depend on others or on the machine. Called by the
     * transport; calling it again is harmless.
     *
     * @return this.
     * @throws IllegalArgumentException naming the property whose value is out of range.
     */
    public TransportContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (0 == eventLoopCount)
        {
            eventLoopCount = defaultEventLoopCount(Runtime.getRuntime().availableProcessors());
        }
        require(eventLoopCount >= 1, NUM_NETWORK_THREADS_PROP_NAME, "at least 1", eventLoopCount);
        require(socketSendBufferBytes == -1 || socketSendBufferBytes > 0,
            SOCKET_SEND_BUFFER_BYTES_PROP_NAME, "-1 or positive", socketSendBufferBytes);
        require(socketReceiveBufferBytes == -1 || socketReceiveBufferBytes > 0,
            SOCKET_RECEIVE_BUFFER_BYTES_PROP_NAME, "-1 or positive", socketReceiveBufferBytes);
        require(socketRequestMaxBytes > 0, SOCKET_REQUEST_MAX_BYTES_PROP_NAME, "positive", socketRequestMaxBytes);
        // The read buffer holds the size prefix and the frame, and must stay an int.
        require(socketRequestMaxBytes <= Integer.MAX_VALUE - 8,
            SOCKET_REQUEST_MAX_BYTES_PROP_NAME, "below 2 GiB", socketRequestMaxBytes);
        require(socketListenBacklogSize > 0,
            SOCKET_LISTEN_BACKLOG_SIZE_PROP_NAME, "positive", socketListenBacklogSize);
        // Each event loop's ready queue holds up to two entries per connection (see TcpConnection); keep the
        // queues' size sane.
        require(maxConnections >= 1 && maxConnections <= (1 << 20),
            MAX_CONNECTIONS_PROP_NAME, "between 1 and 1048576", maxConnections);
        require(maxInFlightRequestsPerConnection >= 1 && maxInFlightRequestsPerConnection <= (1 << 16),
            "maxInFlightRequestsPerConnection", "between 1 and 65536", maxInFlightRequestsPerConnection);
        require(readBufferInitialBytes >= 8, "readBufferInitialBytes", "at least 8", readBufferInitialBytes);
        require(responseFramePoolCapacity >= 1,
            "responseFramePoolCapacity", "at least 1", responseFramePoolCapacity);
        require(responseFrameInitialBytes >= 1,
            "responseFrameInitialBytes", "at least 1", responseFrameInitialBytes);
        require(inlineRegionMaxBytes >= 0, "inlineRegionMaxBytes", "at least 0", inlineRegionMaxBytes);

        if (null == idleStrategies)
        {
            idleStrategies = wait -> new BlockingIdleStrategy(
                IDLE_MAX_SPINS_DEFAULT, IDLE_MAX_YIELDS_DEFAULT, IDLE_MAX_BLOCK_NS_DEFAULT, wait);
        }
        if (null == threadFactory)
        {
            threadFactory = Thread::new;
        }
        if (null == log)
        {
            log = System.err::println;
        }
        if (null == errorHandler)
        {
            final TransportLog errorLog = log;
            errorHandler = (throwable) -> errorLog.log("transport error: " + throwable);
        }
        if (null == connectionsCounter || null == connectionsAcceptedCounter)
        {
            // Counted either way, so the event loops need no null checks; nobody reads these private ones.
            final UnsafeBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * CountersReader.COUNTER_LENGTH));
            connectionsCounter = null == connectionsCounter ? new AtomicCounter(values, 0) : connectionsCounter;
            connectionsAcceptedCounter = null == connectionsAcceptedCounter ?
                new AtomicCounter(values, 1) : connectionsAcceptedCounter;
        }
        concluded = true;
        return this;
    }

    /**
     * The default number of event loops: one per two cores, at least 1 and at most 3 (Kafka's default for
     * {@code num.network.threads}). Shards take one core each and are where the work is; network threads
     * mostly copy bytes in and hand file ranges to sendfile, so a few serve many connections.
     */
    public static int defaultEventLoopCount(final int availableProcessors)
    {
        return Math.max(1, Math.min(3, availableProcessors / 2));
    }

    public int eventLoopCount()
    {
        return eventLoopCount;
    }

    /** {@code num.network.threads}: how many event loops serve the connections of all listeners. */
    public TransportContext eventLoopCount(final int eventLoopCount)
    {
        this.eventLoopCount = eventLoopCount;
        return this;
    }

    public int socketSendBufferBytes()
    {
        return socketSendBufferBytes;
    }

    /** {@code socket.send.buffer.bytes}: SO_SNDBUF of accepted sockets, -1 for the OS default. */
    public TransportContext socketSendBufferBytes(final int socketSendBufferBytes)
    {
        this.socketSendBufferBytes = socketSendBufferBytes;
        return this;
    }

    public int socketReceiveBufferBytes()
    {
        return socketReceiveBufferBytes;
    }

    /** {@code socket.receive.buffer.bytes}: SO_RCVBUF of the listening (so of every accepted) socket, -1 for the OS default. */
    public TransportContext socketReceiveBufferBytes(final int socketReceiveBufferBytes)
    {
        this.socketReceiveBufferBytes = socketReceiveBufferBytes;
        return this;
    }

    public int socketRequestMaxBytes()
    {
        return socketRequestMaxBytes;
    }

    /** {@code socket.request.max.bytes}: the largest frame (after its size prefix) a connection may send. */
    public TransportContext socketRequestMaxBytes(final int socketRequestMaxBytes)
    {
        this.socketRequestMaxBytes = socketRequestMaxBytes;
        return this;
    }

    public int socketListenBacklogSize()
    {
        return socketListenBacklogSize;
    }

    /** {@code socket.listen.backlog.size}: accept backlog of each listening socket. */
    public TransportContext socketListenBacklogSize(final int socketListenBacklogSize)
    {
        this.socketListenBacklogSize = socketListenBacklogSize;
        return this;
    }

    public int maxConnections()
    {
        return maxConnections;
    }

    /** {@code max.connections}: open connections across all listeners; one more is accepted and closed at once. */
    public TransportContext maxConnections(final int maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }

    public int maxInFlightRequestsPerConnection()
    {
        return maxInFlightRequestsPerConnection;
    }

    /**
     * Requests a connection may have read but whose responses are not yet written (or skipped). At the limit
     * the connection stops being read until responses drain: per-connection back-pressure.
     */
    public TransportContext maxInFlightRequestsPerConnection(final int maxInFlightRequestsPerConnection)
    {
        this.maxInFlightRequestsPerConnection = maxInFlightRequestsPerConnection;
        return this;
    }

    public int readBufferInitialBytes()
    {
        return readBufferInitialBytes;
    }

    /** Initial size of each connection's direct read buffer; it grows (and stays grown) to fit the largest frame. */
    public TransportContext readBufferInitialBytes(final int readBufferInitialBytes)
    {
        this.readBufferInitialBytes = readBufferInitialBytes;
        return this;
    }

    public int responseFramePoolCapacity()
    {
        return responseFramePoolCapacity;
    }

    /** How many released {@link ResponseFrame}s the pool keeps for reuse. */
    public TransportContext responseFramePoolCapacity(final int responseFramePoolCapacity)
    {
        this.responseFramePoolCapacity = responseFramePoolCapacity;
        return this;
    }

    public int responseFrameInitialBytes()
    {
        return responseFrameInitialBytes;
    }

    /** Initial buffer capacity of a newly made {@link ResponseFrame}; it grows as a response needs. */
    public TransportContext responseFrameInitialBytes(final int responseFrameInitialBytes)
    {
        this.responseFrameInitialBytes = responseFrameInitialBytes;
        return this;
    }

    public int inlineRegionMaxBytes()
    {
        return inlineRegionMaxBytes;
    }

    /**
     * A response whose file regions hold at most this many bytes in all is sent as one write, its regions read
     * into its buffer, rather than as writes around sendfile calls (fewer system calls and TCP segments for small
     * fetches); 0 sends every region with sendfile.
     */
    public TransportContext inlineRegionMaxBytes(final int inlineRegionMaxBytes)
    {
        this.inlineRegionMaxBytes = inlineRegionMaxBytes;
        return this;
    }

    public Function<BlockingWait, IdleStrategy> idleStrategies()
    {
        return idleStrategies;
    }

    /**
     * Makes one {@link IdleStrategy} per event loop, given the loop's {@link BlockingWait} (its selector) for a
     * strategy that blocks. Default: a {@link BlockingIdleStrategy} that spins, yields, then blocks up to 10 ms.
     */
    public TransportContext idleStrategies(final Function<BlockingWait, IdleStrategy> idleStrategies)
    {
        this.idleStrategies = idleStrategies;
        return this;
    }

    /** What each loop runs on its thread beside its own work (null: nothing); see {@link #companions(IntFunction)}. */
    public IntFunction<? extends LoopCompanion> companions()
    {
        return companions;
    }

    /**
     * Give loop {@code i} the companion {@code companions.apply(i)} to run on its thread, which is then named after
     * the companion ({@link LoopCompanion#roleName()}). Called once per loop when the transport is built.
     */
    public TransportContext companions(final IntFunction<? extends LoopCompanion> companions)
    {
        this.companions = companions;
        return this;
    }

    public ThreadFactory threadFactory()
    {
        return threadFactory;
    }

    /**
     * Makes the event-loop threads, one per loop, before they are named ({@code sluice-network-N}) and started: a
     * factory may pin each thread to a CPU. Called on the thread that calls {@link Transport#start()}; it must
     * return an unstarted thread that runs the given task. Default: plain {@code new Thread(task)}.
     */
    public TransportContext threadFactory(final ThreadFactory threadFactory)
    {
        this.threadFactory = threadFactory;
        return this;
    }

    public TransportLog log()
    {
        return log;
    }

    /** Where closed-bad connections and refusals are reported, one line each. Default: standard error. */
    public TransportContext log(final TransportLog log)
    {
        this.log = log;
        return this;
    }

    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /** Receives what escapes an event loop's duty cycle (a bug, or a selector failure). Default: one log line. */
    public TransportContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    public AtomicCounter connectionsCounter()
    {
        return connectionsCounter;
    }

    public AtomicCounter connectionsAcceptedCounter()
    {
        return connectionsAcceptedCounter;
    }

    /**
     * Counters the event loops keep up to date with atomic adds: {@code open} connections (up when one is
     * accepted, down when it closes) and connections {@code accepted} since start. Default: private ones.
     */
    public TransportContext connectionCounters(final AtomicCounter open, final AtomicCounter accepted)
    {
        this.connectionsCounter = open;
        this.connectionsAcceptedCounter = accepted;
        return this;
    }

    private static void require(
        final boolean condition, final String name, final String expectation, final int value)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(name + " must be " + expectation + ", was " + value);
        }
    }
}
