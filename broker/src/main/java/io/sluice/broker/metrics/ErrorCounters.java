package io.sluice.broker.metrics;

import org.agrona.concurrent.status.AtomicCounter;
import org.apache.kafka.common.protocol.Errors;

import java.util.Map;

/**
 * Error codes answered to clients, one counter per Kafka error code, allocated the first time that code is
 * answered. Errors are answered from every network thread and shard, and rarely, so each counter is shared and
 * bumped with one atomic add: lock-free, and allocation-free once the code has been seen.
 *
 * <p>Thread-safe.
 */
public final class ErrorCounters
{
    private static final int MAX_CODE = 511;

    private final BrokerCounters counters;
    private final AtomicCounter[] byCode = new AtomicCounter[MAX_CODE + 2];

    ErrorCounters(final BrokerCounters counters)
    {
        this.counters = counters;
    }

    /** Count one answer with error {@code code}; NONE (0) is not an error and is ignored. */
    public void onError(final short code)
    {
        add(code, 1);
    }

    /** Count every error of a response, as Kafka's own {@code AbstractResponse.errorCounts()} reports them. */
    public void onErrors(final Map<Errors, Integer> counts)
    {
        for (final Map.Entry<Errors, Integer> entry : counts.entrySet())
        {
            add(entry.getKey().code(), entry.getValue());
        }
    }

    private void add(final short code, final long count)
    {
        if (code == 0 || code < -1 || code > MAX_CODE)
        {
            return;
        }
        final int index = code + 1;
        // A racy read is safe: a counter is published whole (final fields) and allocated at most once, under lock.
        AtomicCounter counter = byCode[index];
        if (counter == null)
        {
            counter = allocate(index, code);
        }
        counter.getAndAdd(count);
    }

    private synchronized AtomicCounter allocate(final int index, final short code)
    {
        AtomicCounter counter = byCode[index];
        if (counter == null)
        {
            counter = counters.allocate(
                CounterType.ERRORS, "code=\"" + code + "\",error=\"" + Errors.forCode(code).name() + "\"");
            byCode[index] = counter;
        }
        return counter;
    }
}
