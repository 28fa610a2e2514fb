package io.sluice.broker;

import io.sluice.broker.control.BrokerConductor;
import io.sluice.broker.control.ProducerIdAllocator;
import io.sluice.broker.group.GroupCoordinatorContext;
import io.sluice.broker.group.GroupCoordinatorService;
import io.sluice.broker.kafka.KafkaDoor;
import io.sluice.broker.metrics.BrokerCounters;
import io.sluice.broker.metrics.MetricsFile;
import io.sluice.broker.metrics.PrometheusEndpoint;
import io.sluice.broker.nativ.NativeDoor;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.journal.compaction.CleanerContext;
import io.sluice.journal.compaction.LogCleaner;
import io.sluice.transport.BlockingIdleStrategy;
import io.sluice.transport.Listener;
import io.sluice.transport.ListenerBindException;
import io.sluice.transport.Transport;
import io.sluice.transport.TransportContext;
import io.sluice.tuning.ThreadPinning;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A single-node Sluice broker: data directories, shards, the conductor, the topic registry, and the network
 * doors, started and stopped in the right order.
 *
 * <pre>{@code
 * try (Broker broker = Broker.open(new BrokerConfig().set("log.dirs", "/tmp/data").conclude()))
 * {
 *     broker.start();          // listeners accept from here on
 *     ...
 * }                            // stop: connections closed, logs forced and closed, directories unlocked
 * }</pre>
 *
 * <p>{@link #open}, {@link #start} and {@link #close} are for one thread (main, or a test); the accessors are
 * safe from any thread once started.
 */
public final class Broker implements AutoCloseable
{
    /** The conductor has no timers: it only needs waking for tasks, which wake it themselves. */
    private static final long CONDUCTOR_MAX_BLOCK_NS = 100_000_000;

    private final BrokerConfig config;
    private final EpochClock clock = SystemEpochClock.INSTANCE;
    private final List<Listener> listeners = new ArrayList<>();
    private LogDirs logDirs;
    private ShardProxy shards;
    private LogCleaner cleaner;
    private BrokerConductor conductor;
    private AgentRunner conductorRunner;
    private TopicRegistry topics;
    private Transport transport;
    private KafkaDoor kafka;
    private GroupCoordinatorService groups;
    private NativeDoor nativeDoor;
    private BrokerCounters counters;
    private PrometheusEndpoint metricsEndpoint;
    private boolean started;
    private boolean closed;

    private Broker(final BrokerConfig config)
    {
        this.config = config;
    }

    /**
     * Lock the data directories, recover every stored topic's logs, and build the doors, without listening
     * yet: more Kafka APIs may be registered on {@link #kafka()} before {@link #start()}.
     *
     * @param config a concluded configuration.
     * @throws IllegalStateException with a one-line reason when a directory or a log cannot be used.
     */
    public static Broker open(final BrokerConfig config)
    {
        final Broker broker = new Broker(config);
        try
        {
            broker.build();
        }
        catch (final RuntimeException ex)
        {
            broker.close();
            throw ex;
        }
        return broker;
    }

    private void build()
    {
        logDirs = LogDirs.open(config.logDirs(), config.nodeId());
        counters = BrokerCounters.inFile(
            MetricsFile.create(config.metricsFile(), BrokerCounters.DEFAULT_CAPACITY, ProcessHandle.current().pid(), clock.time()),
            config.numShards(),
            config.shardRingSize());
        // Logs, once, why pinning is degraded (no native support, CPUs outside this process's set), then a line
        // per pinned thread as it starts.
        final ThreadPinning pinning = new ThreadPinning(BrokerLog::info);
        final CleanerContext cleanerContext = config.cleanerContext();
        if (cleanerContext != null)
        {
            cleaner = new LogCleaner(cleanerContext
                .threadFactory(runnable -> new Thread(runnable, "sluice-log-cleaner"))
                .errorHandler(ex -> BrokerLog.error("log cleaner error", ex)));
        }
        shards = new ShardProxy(
            config.numShards(), config.shardRingSize(), config.acksAllFlush(), config.shardIdleStrategy()::newIdleStrategy, clock,
            counters, pinning.threadFactory(BrokerConfig.AFFINITY_SHARD, config.shardAffinity()), cleaner, config.colocated());
        conductor = new BrokerConductor();
        topics = new TopicRegistry(config, shards, conductor::submit);
        final ProducerIdAllocator producerIds;
        try
        {
            topics.load();
            producerIds = new ProducerIdAllocator(logDirs.first());
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalStateException("cannot load the data in " + logDirs.first() + ": " + ex.getMessage(), ex);
        }
        transport = new Transport(networkThreads(new TransportContext(), pinning)
            .socketSendBufferBytes(config.socketSendBufferBytes())
            .socketReceiveBufferBytes(config.socketReceiveBufferBytes())
            .socketRequestMaxBytes(config.socketRequestMaxBytes())
            .inlineRegionMaxBytes(config.fetchInlineMaxBytes())
            .connectionCounters(counters.connections(), counters.connectionsAccepted())
            .log(BrokerLog::info)
            .errorHandler(ex -> BrokerLog.error("network error", ex)));
        kafka = new KafkaDoor(
            config, topics, shards, conductor, producerIds, transport.responseFramePool(), clock, logDirs.clusterId(), counters);
        groups = new GroupCoordinatorService(
            GroupCoordinatorContext.from(config).committedOffsets(counters.committedOffsets()),
            topics, shards, conductor, kafka.node(), clock);
        groups.register(kafka.apis());
        nativeDoor = new NativeDoor(
            config, topics, shards, conductor, producerIds, groups, transport.responseFramePool(), clock, logDirs.clusterId());
    }

    /**
     * Split: {@code num.network.threads} loops on threads of their own, with the network idle strategy and affinity.
     * Colocated: a loop on each shard's thread, with the shard's.
     */
    private TransportContext networkThreads(final TransportContext ctx, final ThreadPinning pinning)
    {
        if (config.colocated())
        {
            BrokerLog.info(BrokerConfig.THREAD_MODEL + "=colocated: each of the " + config.numShards() +
                " shard threads runs a network event loop (" + BrokerConfig.NUM_NETWORK_THREADS + " is not used)");
            return ctx.eventLoopCount(config.numShards())
                .companions(shards::companion)
                .idleStrategies(config.shardIdleStrategy()::newIdleStrategy)
                .threadFactory(pinning.threadFactory(BrokerConfig.AFFINITY_SHARD, config.shardAffinity()));
        }
        return ctx.eventLoopCount(config.numNetworkThreads())
            .idleStrategies(config.networkIdleStrategy()::newIdleStrategy)
            .threadFactory(pinning.threadFactory(BrokerConfig.AFFINITY_NETWORK, config.networkAffinity()));
    }

    /**
     * Start the shards and the conductor, bind every listener and start serving.
     *
     * @throws IllegalStateException with a one-line reason (a port in use, say); the broker is closed then.
     */
    public Broker start()
    {
        if (started)
        {
            throw new IllegalStateException("broker already started");
        }
        started = true;
        try
        {
            if (cleaner != null)
            {
                cleaner.start();
            }
            shards.start();
            conductorRunner = new AgentRunner(
                new BlockingIdleStrategy(10, 5, CONDUCTOR_MAX_BLOCK_NS, conductor.blockingWait()),
                ex -> BrokerLog.error("conductor error", ex), null, conductor);
            AgentRunner.startOnThread(conductorRunner);
            groups.start();
            for (final BrokerConfig.Endpoint endpoint : config.listeners())
            {
                final boolean kafkaDoor = BrokerConfig.Endpoint.PLAINTEXT.equals(endpoint.name());
                final Listener listener = transport.listen(
                    endpoint.name(), endpoint.host(), endpoint.port(), kafkaDoor ? kafka.frameHandler() : nativeDoor.frameHandler());
                listeners.add(listener);
                if (kafkaDoor)
                {
                    advertise(endpoint, listener);
                }
            }
            transport.start();
            if (config.metricsListenerPort() >= 0)
            {
                metricsEndpoint = PrometheusEndpoint.start(
                    config.metricsListenerHost(), config.metricsListenerPort(), counters.reader());
                BrokerLog.info("Prometheus metrics at http://" + config.metricsListenerHost() + ":" +
                    metricsEndpoint.port() + PrometheusEndpoint.PATH);
            }
        }
        catch (final ListenerBindException ex)
        {
            close();
            throw new IllegalStateException(ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
        return this;
    }

    private void advertise(final BrokerConfig.Endpoint endpoint, final Listener listener)
    {
        final BrokerConfig.Endpoint advertised = config.advertisedListener(endpoint.name());
        if (advertised != null)
        {
            kafka.node().address(advertised.host(), advertised.port() == 0 ? listener.port() : advertised.port());
        }
        else
        {
            kafka.node().address(endpoint.isWildcard() ? localHostName() : endpoint.host(), listener.port());
        }
    }

    private static String localHostName()
    {
        try
        {
            return InetAddress.getLocalHost().getCanonicalHostName();
        }
        catch (final UnknownHostException ex)
        {
            return "localhost";
        }
    }

    /** The Kafka door, to register more APIs before {@link #start()}. */
    public KafkaDoor kafka()
    {
        return kafka;
    }

    public TopicRegistry topics()
    {
        return topics;
    }

    public ShardProxy shards()
    {
        return shards;
    }

    public BrokerConductor conductor()
    {
        return conductor;
    }

    public BrokerConfig config()
    {
        return config;
    }

    /** The bound port of listener {@code name} (PLAINTEXT, NATIVE), or -1 when there is none. */
    public int port(final String name)
    {
        for (final Listener listener : listeners)
        {
            if (listener.name().equals(name))
            {
                return listener.port();
            }
        }
        return -1;
    }

    /** The broker's counters (also in the counters file, for other processes). */
    public BrokerCounters counters()
    {
        return counters;
    }

    /** The bound port of the Prometheus endpoint, or -1 when {@code metrics.listener} is not set. */
    public int metricsPort()
    {
        return metricsEndpoint != null ? metricsEndpoint.port() : -1;
    }

    /** The bound listeners as {@code NAME://host:port}, space separated: what the start line shows. */
    public String describeListeners()
    {
        final StringBuilder text = new StringBuilder();
        for (final Listener listener : listeners)
        {
            if (text.length() > 0)
            {
                text.append(' ');
            }
            text.append(listener.name()).append("://").append(listener.host()).append(':').append(listener.port());
        }
        return text.toString();
    }

    /** The version this build calls itself, from the build's resources. */
    public static String version()
    {
        try (InputStream in = Broker.class.getResourceAsStream("version.properties"))
        {
            final Properties properties = new Properties();
            if (in != null)
            {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    /**
     * Stop: the network first (no new requests; connections close), then the conductor, then the shards,
     * which finish the requests already on their rings, answer parked fetches, force and close every log;
     * finally the directory locks. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (metricsEndpoint != null)
        {
            metricsEndpoint.close();
        }
        if (transport != null)
        {
            transport.close();
        }
        if (groups != null)
        {
            groups.close();
        }
        if (conductorRunner != null)
        {
            conductor.stopBlocking();
            conductorRunner.close();
        }
        if (shards != null)
        {
            shards.close();
        }
        if (cleaner != null)
        {
            cleaner.close();
        }
        if (logDirs != null)
        {
            logDirs.close();
        }
    }
}
