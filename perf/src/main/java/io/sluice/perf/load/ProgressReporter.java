package io.sluice.perf.load;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.concurrent.NanoClock;

/**
 * Once a second: takes the interval histogram from a {@link Measurement}, adds it to the run's total, appends it to
 * the HdrHistogram log when one is kept, and prints one progress line (to stderr). Its single daemon thread also
 * runs one-off tasks at a given time ({@link #at}), such as opening the CPU window when warm-up ends.
 * <p>
 * Thread-safe; {@link #finish()} once, from the thread that ran the workload.
 */
public final class ProgressReporter
{
    private final String phaseName;
    private final Measurement measurement;
    private final LongSupplier offered;
    private final NanoClock clock;
    private final long runStartNanos;
    private final PrintStream out;
    private final HistogramLogWriter log;
    private final Histogram total = new Histogram(Measurement.HIGHEST_NANOS, 3);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task ->
    {
        final Thread thread = new Thread(task, "sluice-perf-progress");
        thread.setDaemon(true);
        return thread;
    });
    private Histogram interval;
    private long lastRecords;
    private long lastOffered;
    private long lastTickNanos;

    /**
     * @param phaseName     what the measured records are ("acked", "received"...)
     * @param measurement   the side measured
     * @param offered       records handed to the driver so far (sent), shown beside the measured rate; null for none
     * @param clock         the run's clock
     * @param runStartNanos time 0 of the progress line
     * @param out           where progress lines go
     * @param log           interval histograms are appended here; null keeps none
     */
    public ProgressReporter(
        final String phaseName,
        final Measurement measurement,
        final LongSupplier offered,
        final NanoClock clock,
        final long runStartNanos,
        final PrintStream out,
        final HistogramLogWriter log)
    {
        this.phaseName = phaseName;
        this.measurement = measurement;
        this.offered = offered;
        this.clock = clock;
        this.runStartNanos = runStartNanos;
        this.out = out;
        this.log = log;
        this.lastTickNanos = runStartNanos;
    }

    public void start()
    {
        scheduler.scheduleAtFixedRate(() -> tick(true), 1, 1, TimeUnit.SECONDS);
    }

    /** Run {@code task} on the reporter's thread at {@code nanos} on the run's clock (at once if that has passed). */
    public void at(final long nanos, final Runnable task)
    {
        scheduler.schedule(task, Math.max(0, nanos - clock.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Stop the ticks, fold in the last interval and return the whole run's histogram (nanoseconds). */
    public Histogram finish()
    {
        scheduler.shutdown();
        try
        {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("progress reporter did not stop within 10 s");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        tick(false);
        return total.copy();
    }

    private synchronized void tick(final boolean print)
    {
        interval = measurement.recorder().getIntervalHistogram(interval);
        total.add(interval);
        if (log != null && interval.getTotalCount() > 0)
        {
            log.outputIntervalHistogram(interval);
        }
        final long now = clock.nanoTime();
        final long records = measurement.records();
        final long offeredNow = offered == null ? 0 : offered.getAsLong();
        if (print)
        {
            final double seconds = Math.max(1e-9, (now - lastTickNanos) / 1e9);
            out.println(line(now, (records - lastRecords) / seconds, (offeredNow - lastOffered) / seconds));
        }
        lastRecords = records;
        lastOffered = offeredNow;
        lastTickNanos = now;
    }

    private double bytesPerRecord()
    {
        final long records = measurement.records();
        return records == 0 ? 0 : (double)measurement.bytes() / records;
    }

    private String line(final long now, final double measuredRate, final double offeredRate)
    {
        final StringBuilder line = new StringBuilder(160);
        line.append('[').append(Figures.padded(Figures.decimal((now - runStartNanos) / 1e9, 1), 6)).append(" s] ");
        if (now < measurement.startNanos())
        {
            line.append("warm-up  ");
        }
        if (offered != null)
        {
            line.append("sent ").append(Figures.padded(Figures.whole(offeredRate), 9)).append("/s  ");
        }
        line.append(phaseName).append(' ').append(Figures.padded(Figures.whole(measuredRate), 9)).append("/s ")
            .append(Figures.padded(Figures.decimal(Figures.mibPerSecond(measuredRate * bytesPerRecord()), 2), 8))
            .append(" MiB/s  errors ").append(measurement.errors());
        if (interval.getTotalCount() > 0)
        {
            line.append("  p50 ").append(Figures.millis(interval.getValueAtPercentile(50)))
                .append("  p99 ").append(Figures.millis(interval.getValueAtPercentile(99)))
                .append("  max ").append(Figures.millis(interval.getMaxValue())).append(" ms");
        }
        return line.toString();
    }
}
