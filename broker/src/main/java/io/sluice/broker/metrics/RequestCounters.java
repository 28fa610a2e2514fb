package io.sluice.broker.metrics;

import org.agrona.concurrent.status.AtomicCounter;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Kafka requests received by one network thread, one counter per API, allocated the first time the thread sees
 * that API. Each network thread has its own set ({@link BrokerCounters#requests()}), so counting a request is a
 * single-writer release store.
 *
 * <p>Writer: the one thread that obtained it.
 */
public final class RequestCounters
{
    private final BrokerCounters counters;
    private final String thread;
    private final AtomicCounter[] byApiKey;

    RequestCounters(final BrokerCounters counters, final String thread)
    {
        this.counters = counters;
        this.thread = thread;
        int maxId = 0;
        for (final ApiKeys api : ApiKeys.values())
        {
            maxId = Math.max(maxId, api.id);
        }
        this.byApiKey = new AtomicCounter[maxId + 1];
    }

    /** Count one request of {@code api}. */
    public void onRequest(final ApiKeys api)
    {
        AtomicCounter counter = byApiKey[api.id];
        if (counter == null)
        {
            counter = counters.allocate(CounterType.REQUESTS, "api=\"" + api.name + "\",thread=\"" + thread + "\"");
            byApiKey[api.id] = counter;
        }
        counter.incrementRelease();
    }
}
