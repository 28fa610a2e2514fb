package io.sluice.tuning.pingpong;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;

/**
 * The pinging side shared by both ping-pong modes: one ping every {@code 1/rate} seconds, waiting with the idle
 * strategy under test both for the send time and for the echo, warm-up first, then the measured phase.
 *
 * <p>A slot missed because the pinger overslept (a sleeping strategy at a high rate) is skipped, not sent late in
 * a burst: round trips are timed from the actual send, so the figures are the idle strategy's wake-up costs, and
 * the achieved rate shows how many slots were lost. Single-threaded.
 */
final class PingPongSchedule
{
    /** Sends ping number {@code seq}. */
    interface Ping
    {
        void send(long seq) throws Exception;
    }

    /** The sequence number of the latest echo seen, or anything else when none has arrived; must not block. */
    interface Echo
    {
        long poll() throws Exception;
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();

    /** An echo this late means the other side is gone: stop rather than wait forever. */
    static final long ECHO_TIMEOUT_NS = 10_000_000_000L;

    private final long intervalNs;
    private final long warmupNs;
    private final long measureNs;

    PingPongSchedule(final int ratePerSecond, final long warmupNs, final long measureNs)
    {
        this.intervalNs = 1_000_000_000L / ratePerSecond;
        this.warmupNs = warmupNs;
        this.measureNs = measureNs;
    }

    /** Run warm-up then measurement on the calling thread. */
    PingPongResult run(final IdleStrategy idle, final Ping ping, final Echo echo) throws Exception
    {
        return run(idle, ping, echo, System::nanoTime);
    }

    PingPongResult run(final IdleStrategy idle, final Ping ping, final Echo echo, final LongSupplier clock)
        throws Exception
    {
        final Histogram histogram = new Histogram(60_000_000_000L, 3);
        final long start = clock.getAsLong();
        final long measureFrom = start + warmupNs;
        final long end = measureFrom + measureNs;
        long cpuAtMeasureStart = -1;
        long next = start;
        long seq = 0;
        long now = start;
        while (now < end)
        {
            while ((now = clock.getAsLong()) < next)
            {
                idle.idle();
            }
            idle.reset();
            if (cpuAtMeasureStart < 0 && now >= measureFrom)
            {
                cpuAtMeasureStart = OS.getProcessCpuTime();
            }

            seq++;
            final long sentNs = clock.getAsLong();
            ping.send(seq);
            int polls = 0;
            while (echo.poll() != seq)
            {
                // The clock is read once per 4096 polls, to keep the timing loop tight.
                if ((++polls & 4095) == 0 && clock.getAsLong() - sentNs > ECHO_TIMEOUT_NS)
                {
                    throw new IllegalStateException(
                        "no echo of ping " + seq + " within " + ECHO_TIMEOUT_NS / 1_000_000 + " ms");
                }
                idle.idle();
            }
            idle.reset();
            now = clock.getAsLong();
            if (sentNs >= measureFrom)
            {
                histogram.recordValue(now - sentNs);
            }

            next += intervalNs;
            if (next < now)
            {
                next = now;
            }
        }
        final long cpu = OS.getProcessCpuTime() - Math.max(cpuAtMeasureStart, 0);
        return new PingPongResult(histogram, now - Math.min(measureFrom, now), cpu);
    }
}
