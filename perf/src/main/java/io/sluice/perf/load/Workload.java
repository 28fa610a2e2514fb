package io.sluice.perf.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import io.sluice.perf.load.driver.LoadDriver;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * One kind of run (produce, consume, e2e) against one driver: what the three share is here: the clock, the progress
 * stream, the optional HdrHistogram log and turning what was measured into a {@link LoadResult}.
 * <p>
 * Not thread-safe: {@link #run()} once.
 */
public abstract class Workload
{
    /** How long the receiving side of an e2e run may lag the last acknowledgement before records count as missing. */
    static final long DRAIN_NANOS = 10_000_000_000L;

    /** How long before the measurement {@code --pin-cpus} pins the harness, so it starts in the pinned steady state. */
    static final long PIN_LEAD_NANOS = 1_000_000_000L;

    protected final String kind;
    protected final LoadOptions options;
    protected final LoadDriver driver;
    protected final NanoClock clock = SystemNanoClock.INSTANCE;
    protected final PrintStream progress;
    protected final ProcessCpuTime cpu = ProcessCpuTime.forThisMachine();
    private final AtomicReference<RuntimeException> pinFailure = new AtomicReference<>();

    protected Workload(final String kind, final LoadOptions options, final LoadDriver driver, final PrintStream progress)
    {
        this.kind = kind;
        this.options = options;
        this.driver = driver;
        this.progress = progress;
    }

    /** Run it; the result is also what {@code --json} writes. */
    public abstract LoadResult run() throws Exception;

    /** The measured histogram (nanoseconds) of the last run, null for consume. */
    public abstract Histogram latency();

    /** Where progress lines go: stderr, or nowhere with {@code --quiet}. */
    protected PrintStream progressStream()
    {
        return options.quiet ? new PrintStream(PrintStream.nullOutputStream()) : progress;
    }

    /** The HdrHistogram log of {@code --hdr}, headed and ready for interval histograms; null without it. */
    protected HistogramLogWriter openLog() throws IOException
    {
        if (options.hdr == null)
        {
            return null;
        }
        final Path parent = options.hdr.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        final HistogramLogWriter log = new HistogramLogWriter(options.hdr.toFile());
        log.outputComment("sluice perf " + kind + " " + options.label + " " + options.bootstrap);
        log.outputLogFormatVersion();
        final long now = System.currentTimeMillis();
        log.outputStartTime(now);
        log.setBaseTime(now);
        log.outputLegend();
        return log;
    }

    /** With {@code --pin-cpus}, pin the harness now, on this thread. */
    protected void pinNow()
    {
        if (options.pinCpus != null)
        {
            ProcessPinning.pin(options.pinCpus);
        }
    }

    /**
     * With {@code --pin-cpus}, pin the harness {@link #PIN_LEAD_NANOS} before {@code measureStart}: on the reporter's
     * thread when that is still ahead, at once on this thread otherwise. A failure fails the run in {@link #result}.
     */
    protected void pinBeforeMeasuring(final ProgressReporter reporter, final long measureStart)
    {
        final long pinAt = measureStart - PIN_LEAD_NANOS;
        if (options.pinCpus == null || pinAt <= clock.nanoTime())
        {
            pinNow();
            return;
        }
        reporter.at(pinAt, () ->
        {
            try
            {
                ProcessPinning.pin(options.pinCpus);
            }
            catch (final RuntimeException ex)
            {
                pinFailure.set(ex);
            }
        });
    }

    protected LoadResult result(
        final Measurement measurement,
        final long windowStartNanos,
        final Histogram latency,
        final CpuWindow cpuWindow,
        final long errors,
        final long missing,
        final long unsent)
    {
        if (pinFailure.get() != null)
        {
            throw pinFailure.get();
        }
        final long records = measurement.records();
        final long last = measurement.lastNanos();
        final double seconds = records == 0 ? 0 : Math.max(1e-9, (last - windowStartNanos) / 1e9);
        final double recordsPerSecond = records == 0 ? 0 : records / seconds;
        final double mib = records == 0 ? 0 : Figures.mibPerSecond(measurement.bytes() / seconds);
        final Double brokerCpu = cpuWindow.watchesBroker() && records > 0 ?
            cpuWindow.brokerNanos() / 1e3 / records : null;
        final Double clientCpu = records > 0 ? cpuWindow.selfNanos() / 1e3 / records : null;
        return new LoadResult(
            kind,
            options.name != null ? options.name : kind,
            options.label,
            options.recordSize,
            options.senderSettings().acks(),
            options.rate,
            records,
            measurement.bytes(),
            seconds,
            recordsPerSecond,
            mib,
            errors,
            missing,
            unsent,
            latency == null || latency.getTotalCount() == 0 ? null : LoadResult.Latency.of(latency),
            brokerCpu,
            clientCpu,
            options.hdr == null ? null : options.hdr.toString());
    }
}
