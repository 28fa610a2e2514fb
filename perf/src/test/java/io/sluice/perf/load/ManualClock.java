package io.sluice.perf.load;

import org.agrona.concurrent.NanoClock;

/** A clock tests move by hand; parking on it just advances it. */
final class ManualClock implements NanoClock
{
    private long now;

    ManualClock(final long start)
    {
        now = start;
    }

    @Override
    public long nanoTime()
    {
        return now;
    }

    void advance(final long nanos)
    {
        now += nanos;
    }
}
