package io.sluice.perf.load;

import java.util.concurrent.atomic.AtomicLong;

import io.sluice.perf.load.driver.SendCompletion;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.NanoClock;

/**
 * What one side of a run measured: records, bytes and errors, and the latency of each record from the time it was
 * due to be sent (not the time it happened to be sent) into an HdrHistogram {@link Recorder}. Records due before
 * {@link #startNanos()} belong to the warm-up and are ignored, so a record in flight across the boundary is counted
 * once or not at all.
 * <p>
 * Thread-safe: completions may come from any thread while a reporter takes interval histograms.
 */
public final class Measurement implements SendCompletion
{
    /** Latencies above this (ten minutes) are recorded as this. */
    static final long HIGHEST_NANOS = 600_000_000_000L;

    private final long startNanos;
    private final int recordBytes;
    private final NanoClock clock;
    private final Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
    private volatile Exception firstError;

    /**
     * @param startNanos  records due before this are warm-up
     * @param recordBytes key plus value bytes of each record sent (for MiB/s of sent records)
     * @param clock       the clock due times are kept on
     */
    public Measurement(final long startNanos, final int recordBytes, final NanoClock clock)
    {
        this.startNanos = startNanos;
        this.recordBytes = recordBytes;
        this.clock = clock;
    }

    /** A sent record was acknowledged or failed: its latency runs from its due time to now. */
    @Override
    public void onComplete(final long intendedNanos, final Exception error)
    {
        if (intendedNanos < startNanos)
        {
            return;
        }
        if (error != null)
        {
            if (errors.getAndIncrement() == 0)
            {
                firstError = error;
            }
            return;
        }
        record(intendedNanos, clock.nanoTime(), recordBytes);
    }

    /** A record that was due at {@code intendedNanos} arrived at {@code nowNanos} carrying {@code size} bytes. */
    public void record(final long intendedNanos, final long nowNanos, final int size)
    {
        if (intendedNanos < startNanos)
        {
            return;
        }
        recorder.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, nowNanos - intendedNanos)));
        count(nowNanos, size);
    }

    /** A record arrived that carries no due time (a consume run): counted, no latency. */
    public void count(final long nowNanos, final int size)
    {
        records.incrementAndGet();
        bytes.addAndGet(size);
        lastNanos.accumulateAndGet(nowNanos, Math::max);
    }

    public long startNanos()
    {
        return startNanos;
    }

    public Recorder recorder()
    {
        return recorder;
    }

    public long records()
    {
        return records.get();
    }

    public long bytes()
    {
        return bytes.get();
    }

    public long errors()
    {
        return errors.get();
    }

    /** The first failure a completion reported, or null. */
    public Exception firstError()
    {
        return firstError;
    }

    /** When the last counted record completed, or {@link Long#MIN_VALUE} when none did. */
    public long lastNanos()
    {
        return lastNanos.get();
    }
}
