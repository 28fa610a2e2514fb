package io.sluice.client;

/**
 * Settings of a {@link SluiceProducer}, {@link SluiceConsumer} or {@link SluiceAdmin}, in Kafka client terms
 * where the concept is the same. Fluent setters, then {@link #conclude()} checks them (the clients call it);
 * an invalid value is an {@link IllegalArgumentException} naming the setting.
 *
 * <pre>{@code
 * SluiceProducer producer = new SluiceProducer(new ClientContext().bootstrap("127.0.0.1:9093").lingerMs(1));
 * }</pre>
 *
 * <p>Not thread-safe; a client copies nothing from it, so do not change a context after handing it over.
 */
public final class ClientContext
{
    /** Where a consumer starts in a partition with no position: Kafka's {@code auto.offset.reset}. */
    public enum OffsetReset
    {
        EARLIEST, LATEST, NONE
    }

    private String bootstrap = "127.0.0.1:9093";
    private String host;
    private int port;
    private long requestTimeoutMs = 30_000;
    private long reconnectBackoffMs = 50;
    private long reconnectBackoffMaxMs = 1_000;
    private int socketSendBufferBytes;
    private int socketReceiveBufferBytes;

    private int acks = -1;
    private boolean idempotence = true;
    private int batchSizeBytes = 16 * 1024;
    private long lingerMs = 5;
    private long bufferMemoryBytes = 32L * 1024 * 1024;
    private long maxBlockMs = 60_000;
    private long deliveryTimeoutMs = 120_000;
    private int maxInFlightPerPartition = 5;
    private boolean autoCreateTopics = true;
    private boolean producerInvoker;

    private int fetchMinBytes = 1;
    private int fetchMaxWaitMs = 500;
    private int fetchMaxBytes = 8 * 1024 * 1024;
    private int partitionMaxBytes = 1024 * 1024;
    private OffsetReset offsetReset = OffsetReset.LATEST;
    private boolean concluded;

    /** The broker's NATIVE listener as {@code host:port}; default {@code 127.0.0.1:9093}. */
    public ClientContext bootstrap(final String hostAndPort)
    {
        this.bootstrap = hostAndPort;
        return this;
    }

    /** How long any one request may take before it fails with {@link SluiceTimeoutException}; default 30 s. */
    public ClientContext requestTimeoutMs(final long value)
    {
        this.requestTimeoutMs = value;
        return this;
    }

    /** First wait before reconnecting after a failed or lost connection, doubled each time; default 50 ms. */
    public ClientContext reconnectBackoffMs(final long value)
    {
        this.reconnectBackoffMs = value;
        return this;
    }

    /** The most the reconnect wait grows to; default 1 s. */
    public ClientContext reconnectBackoffMaxMs(final long value)
    {
        this.reconnectBackoffMaxMs = value;
        return this;
    }

    /** SO_SNDBUF, 0 for the OS default. */
    public ClientContext socketSendBufferBytes(final int value)
    {
        this.socketSendBufferBytes = value;
        return this;
    }

    /** SO_RCVBUF, 0 for the OS default. */
    public ClientContext socketReceiveBufferBytes(final int value)
    {
        this.socketReceiveBufferBytes = value;
        return this;
    }

    /** Producer: 0 (no answer), 1 (written) or -1 (all: forced by group commit); default -1. */
    public ClientContext acks(final int value)
    {
        this.acks = value;
        return this;
    }

    /** Producer: idempotent (a producer id and per-partition sequence numbers); default true. */
    public ClientContext idempotence(final boolean value)
    {
        this.idempotence = value;
        return this;
    }

    /** Producer: the most bytes of one record batch; default 16 KiB. */
    public ClientContext batchSizeBytes(final int value)
    {
        this.batchSizeBytes = value;
        return this;
    }

    /** Producer: how long a batch waits for more records before it is sent; default 5 ms. */
    public ClientContext lingerMs(final long value)
    {
        this.lingerMs = value;
        return this;
    }

    /** Producer: memory for batches, allocated up front as {@code bufferMemoryBytes / batchSizeBytes} batches; default 32 MiB. */
    public ClientContext bufferMemoryBytes(final long value)
    {
        this.bufferMemoryBytes = value;
        return this;
    }

    /** Producer: how long a send may block for topic metadata or a free batch; default 60 s. */
    public ClientContext maxBlockMs(final long value)
    {
        this.maxBlockMs = value;
        return this;
    }

    /** Producer: how long a record may take from send to acknowledgement, retries included; default 120 s. */
    public ClientContext deliveryTimeoutMs(final long value)
    {
        this.deliveryTimeoutMs = value;
        return this;
    }

    /** Producer: batches of one partition in flight at once, 1 to 5 (the broker remembers five per producer); default 5. */
    public ClientContext maxInFlightPerPartition(final int value)
    {
        this.maxInFlightPerPartition = value;
        return this;
    }

    /** Producer and consumer: whether a topic named but missing may be created (if the broker allows it); default true. */
    public ClientContext autoCreateTopics(final boolean value)
    {
        this.autoCreateTopics = value;
        return this;
    }

    /**
     * Producer: whether the application runs the producer's I/O itself, by calling {@link SluiceProducer#invoke()},
     * instead of the producer starting an I/O thread; default false. For a thread that spins anyway (polling a
     * consumer, a market feed): a send then reaches the socket without waking another thread, which on a virtual
     * machine can cost more than the whole round trip (docs/native.md).
     */
    public ClientContext producerInvoker(final boolean value)
    {
        this.producerInvoker = value;
        return this;
    }

    /** Consumer: bytes a fetch waits for; default 1. */
    public ClientContext fetchMinBytes(final int value)
    {
        this.fetchMinBytes = value;
        return this;
    }

    /** Consumer: how long the broker holds a fetch waiting for {@code fetchMinBytes}; default 500 ms. */
    public ClientContext fetchMaxWaitMs(final int value)
    {
        this.fetchMaxWaitMs = value;
        return this;
    }

    /** Consumer: the most bytes of one fetch response (at least one batch is always returned); default 8 MiB. */
    public ClientContext fetchMaxBytes(final int value)
    {
        this.fetchMaxBytes = value;
        return this;
    }

    /** Consumer: the most bytes of one partition in one fetch; default 1 MiB. */
    public ClientContext partitionMaxBytes(final int value)
    {
        this.partitionMaxBytes = value;
        return this;
    }

    /** Consumer: where to start in a partition without a position; default {@link OffsetReset#LATEST}. */
    public ClientContext offsetReset(final OffsetReset value)
    {
        this.offsetReset = value;
        return this;
    }

    /**
     * Check every setting and parse the bootstrap address. Idempotent.
     *
     * @throws IllegalArgumentException naming the first invalid setting.
     */
    public ClientContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        final int colon = bootstrap == null ? -1 : bootstrap.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new IllegalArgumentException("invalid bootstrap: '" + bootstrap + "' (host:port)");
        }
        host = bootstrap.substring(0, colon);
        try
        {
            port = Integer.parseInt(bootstrap.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("invalid bootstrap: '" + bootstrap + "' (host:port)", ex);
        }
        require(port > 0 && port < 65536, "bootstrap port", port);
        require(requestTimeoutMs > 0, "requestTimeoutMs", requestTimeoutMs);
        require(reconnectBackoffMs > 0, "reconnectBackoffMs", reconnectBackoffMs);
        require(reconnectBackoffMaxMs >= reconnectBackoffMs, "reconnectBackoffMaxMs", reconnectBackoffMaxMs);
        require(socketSendBufferBytes >= 0, "socketSendBufferBytes", socketSendBufferBytes);
        require(socketReceiveBufferBytes >= 0, "socketReceiveBufferBytes", socketReceiveBufferBytes);
        require(acks == 0 || acks == 1 || acks == -1, "acks", acks);
        require(batchSizeBytes >= 1024 && batchSizeBytes <= 64 * 1024 * 1024, "batchSizeBytes", batchSizeBytes);
        require(lingerMs >= 0, "lingerMs", lingerMs);
        require(bufferMemoryBytes >= 2L * batchSizeBytes, "bufferMemoryBytes (at least two batches)", bufferMemoryBytes);
        require(maxBlockMs >= 0, "maxBlockMs", maxBlockMs);
        require(deliveryTimeoutMs > 0, "deliveryTimeoutMs", deliveryTimeoutMs);
        require(maxInFlightPerPartition >= 1 && maxInFlightPerPartition <= 5, "maxInFlightPerPartition", maxInFlightPerPartition);
        require(fetchMinBytes >= 0, "fetchMinBytes", fetchMinBytes);
        require(fetchMaxWaitMs >= 0, "fetchMaxWaitMs", fetchMaxWaitMs);
        require(fetchMaxBytes > 0, "fetchMaxBytes", fetchMaxBytes);
        require(partitionMaxBytes > 0, "partitionMaxBytes", partitionMaxBytes);
        require(offsetReset != null, "offsetReset", "null");
        concluded = true;
        return this;
    }

    private static void require(final boolean valid, final String name, final Object value)
    {
        if (!valid)
        {
            throw new IllegalArgumentException("invalid " + name + ": " + value);
        }
    }

    public String bootstrap()
    {
        return bootstrap;
    }

    String host()
    {
        return host;
    }

    int port()
    {
        return port;
    }

    public long requestTimeoutMs()
    {
        return requestTimeoutMs;
    }

    public long reconnectBackoffMs()
    {
        return reconnectBackoffMs;
    }

    public long reconnectBackoffMaxMs()
    {
        return reconnectBackoffMaxMs;
    }

    public int socketSendBufferBytes()
    {
        return socketSendBufferBytes;
    }

    public int socketReceiveBufferBytes()
    {
        return socketReceiveBufferBytes;
    }

    public int acks()
    {
        return acks;
    }

    public boolean idempotence()
    {
        return idempotence;
    }

    public int batchSizeBytes()
    {
        return batchSizeBytes;
    }

    public long lingerMs()
    {
        return lingerMs;
    }

    public long bufferMemoryBytes()
    {
        return bufferMemoryBytes;
    }

    public long maxBlockMs()
    {
        return maxBlockMs;
    }

    public long deliveryTimeoutMs()
    {
        return deliveryTimeoutMs;
    }

    public int maxInFlightPerPartition()
    {
        return maxInFlightPerPartition;
    }

    public boolean autoCreateTopics()
    {
        return autoCreateTopics;
    }

    public boolean producerInvoker()
    {
        return producerInvoker;
    }

    public int fetchMinBytes()
    {
        return fetchMinBytes;
    }

    public int fetchMaxWaitMs()
    {
        return fetchMaxWaitMs;
    }

    public int fetchMaxBytes()
    {
        return fetchMaxBytes;
    }

    public int partitionMaxBytes()
    {
        return partitionMaxBytes;
    }

    public OffsetReset offsetReset()
    {
        return offsetReset;
    }
}
