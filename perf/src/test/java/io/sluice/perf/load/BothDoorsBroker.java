package io.sluice.perf.load;

import java.nio.file.Path;

import io.sluice.broker.Broker;
import io.sluice.broker.BrokerConfig;

/** An in-process broker for harness tests: both doors on ports the OS picks, its logs under {@code dir/data}. */
final class BothDoorsBroker
{
    private BothDoorsBroker()
    {
    }

    static Broker start(final Path dir)
    {
        return Broker.open(new BrokerConfig()
            .set(BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0,NATIVE://127.0.0.1:0")
            .set(BrokerConfig.LOG_DIRS, dir.resolve("data").toString())
            .conclude()).start();
    }
}
