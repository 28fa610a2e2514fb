package io.sluice.client;

import io.sluice.broker.Broker;
import io.sluice.broker.BrokerConfig;

import java.nio.file.Path;
import java.util.Map;

/** An in-process broker with both doors on OS-chosen (or given) ports, two shards, data under a temp dir. */
final class NativeTestBroker implements AutoCloseable
{
    private final Broker broker;

    private NativeTestBroker(final Broker broker)
    {
        this.broker = broker;
    }

    static NativeTestBroker start(final Path dir, final String... overrides)
    {
        return start(dir, 0, overrides);
    }

    static NativeTestBroker start(final Path dir, final int nativePort, final String... overrides)
    {
        final BrokerConfig config = new BrokerConfig()
            .set(BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0,NATIVE://127.0.0.1:" + nativePort)
            .set(BrokerConfig.LOG_DIRS, dir.toString())
            .set(BrokerConfig.NUM_SHARDS, "2")
            .set(BrokerConfig.NUM_NETWORK_THREADS, "1");
        for (final String override : overrides)
        {
            config.override(override);
        }
        return new NativeTestBroker(Broker.open(config.conclude()).start());
    }

    int nativePort()
    {
        return broker.port("NATIVE");
    }

    String nativeAddress()
    {
        return "127.0.0.1:" + nativePort();
    }

    String kafkaBootstrap()
    {
        return "127.0.0.1:" + broker.port("PLAINTEXT");
    }

    /** Create {@code topic} with {@code partitions} partitions through the native door. */
    NativeTestBroker withTopic(final String topic, final int partitions)
    {
        try (SluiceAdmin admin = new SluiceAdmin(context()))
        {
            admin.createTopic(topic, partitions, Map.of());
        }
        return this;
    }

    ClientContext context()
    {
        return new ClientContext().bootstrap(nativeAddress()).requestTimeoutMs(10_000).lingerMs(1);
    }

    @Override
    public void close()
    {
        broker.close();
    }
}
