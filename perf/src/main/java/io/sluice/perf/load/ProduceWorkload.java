package io.sluice.perf.load;

import java.io.PrintStream;
import java.util.concurrent.locks.LockSupport;

import io.sluice.perf.load.driver.LoadDriver;
import io.sluice.perf.load.driver.RecordSender;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Producer throughput and acknowledgement latency: records are sent on the open-loop schedule (or unbounded) and
 * each one's latency runs from its due time to its acknowledgement.
 */
public final class ProduceWorkload extends Workload
{
    private Histogram latency;

    public ProduceWorkload(final LoadOptions options, final LoadDriver driver, final PrintStream progress)
    {
        super("produce", options, driver, progress);
    }

    @Override
    public LoadResult run() throws Exception
    {
        driver.ensureTopic(options.topic, options.partitions);
        final HistogramLogWriter log = openLog();
        try (RecordSender sender = driver.openSender(options.topic, options.senderSettings()))
        {
            final long runStart = clock.nanoTime();
            final long measureStart = runStart + options.warmupNanos();
            final Measurement acked = new Measurement(
                measureStart, options.keyBytes() + options.recordSize, clock);
            final RatePacer pacer = new RatePacer(runStart, options.rate, clock, LockSupport::parkNanos);
            final ProduceLoop loop = new ProduceLoop(
                sender,
                pacer,
                clock,
                acked,
                measureStart,
                options.records > 0 ? Long.MAX_VALUE : measureStart + options.durationNanos(),
                options.records,
                options.recordSize,
                options.keyCardinality);
            final CpuWindow cpuWindow = new CpuWindow(cpu, options.brokerPids);
            final ProgressReporter reporter = new ProgressReporter(
                "acked", acked, loop::sent, clock, runStart, progressStream(), log);
            reporter.at(measureStart, cpuWindow::open);
            pinBeforeMeasuring(reporter, measureStart);
            reporter.start();
            loop.run();
            cpuWindow.close();
            latency = reporter.finish();
            if (acked.errors() > 0)
            {
                progress.println("produce: " + acked.errors() + " sends failed, first: " + acked.firstError());
            }
            return result(acked, measureStart, latency, cpuWindow, acked.errors(), 0, loop.unsent());
        }
        finally
        {
            if (log != null)
            {
                log.close();
            }
        }
    }

    @Override
    public Histogram latency()
    {
        return latency;
    }
}
