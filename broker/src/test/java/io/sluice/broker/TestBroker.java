package io.sluice.broker;

import java.nio.file.Path;

/** An in-process broker for tests: Kafka listener on an OS-chosen port, two shards, data under a temp dir. */
public final class TestBroker implements AutoCloseable
{
    private final Broker broker;

    private TestBroker(final Broker broker)
    {
        this.broker = broker;
    }

    /**
     * @param dir       data directory.
     * @param overrides extra {@code key=value} settings.
     */
    public static TestBroker start(final Path dir, final String... overrides)
    {
        final BrokerConfig config = new BrokerConfig()
            .set(BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0")
            .set(BrokerConfig.LOG_DIRS, dir.toString())
            .set(BrokerConfig.NUM_SHARDS, "2")
            .set(BrokerConfig.NUM_NETWORK_THREADS, "1");
        for (final String override : overrides)
        {
            config.override(override);
        }
        return new TestBroker(Broker.open(config.conclude()).start());
    }

    public Broker broker()
    {
        return broker;
    }

    public int port()
    {
        return broker.port("PLAINTEXT");
    }

    public String bootstrap()
    {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close()
    {
        broker.close();
    }
}
