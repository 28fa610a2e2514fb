package io.sluice.perf.load;

import java.util.function.LongConsumer;

import org.agrona.concurrent.NanoClock;

/**
 * The open-loop schedule: record {@code i} is due at {@code start + i / rate}, whatever happened to the records
 * before it. A sender that fell behind sends at once (and the latency of those late records is charged from their
 * due time, which is what corrects for coordinated omission); one that is early waits with its parker: parking by
 * default, so the harness leaves the cores to the broker under test, or other work when the harness spins.
 * <p>
 * With rate 0 the schedule is unbounded: every record is due the moment it is asked for (a closed loop, whose
 * latencies are service times, not response times). Not thread-safe: one sending thread.
 */
public final class RatePacer
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long startNanos;
    private final long ratePerSecond;
    private final NanoClock clock;
    private final LongConsumer parker;

    /**
     * @param startNanos    when record 0 is due, on {@code clock}
     * @param ratePerSecond records per second, or 0 for unbounded
     * @param clock         the clock the schedule is kept on
     * @param parker        waits about the given nanoseconds (LockSupport::parkNanos); may return early
     */
    public RatePacer(final long startNanos, final long ratePerSecond, final NanoClock clock, final LongConsumer parker)
    {
        if (ratePerSecond < 0)
        {
            throw new IllegalArgumentException("rate must be >= 0: " + ratePerSecond);
        }
        this.startNanos = startNanos;
        this.ratePerSecond = ratePerSecond;
        this.clock = clock;
        this.parker = parker;
    }

    /** True when records are sent as fast as the sender takes them. */
    public boolean unbounded()
    {
        return ratePerSecond == 0;
    }

    /** When record {@code index} is due; exact for any index (no overflow, no accumulated rounding). */
    public long dueTime(final long index)
    {
        if (ratePerSecond == 0)
        {
            return startNanos;
        }
        final long whole = index / ratePerSecond;
        final long rest = index % ratePerSecond;
        return startNanos + whole * NANOS_PER_SECOND + rest * NANOS_PER_SECOND / ratePerSecond;
    }

    /**
     * Wait until record {@code index} is due.
     *
     * @return the time the record was due (unbounded: now), the origin of its latency.
     */
    public long awaitSlot(final long index)
    {
        if (ratePerSecond == 0)
        {
            return clock.nanoTime();
        }
        final long due = dueTime(index);
        long now;
        while ((now = clock.nanoTime()) < due)
        {
            parker.accept(due - now);
        }
        return due;
    }
}
