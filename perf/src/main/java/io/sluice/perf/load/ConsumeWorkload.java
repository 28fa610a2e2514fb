package io.sluice.perf.load;

import java.io.PrintStream;
import java.util.concurrent.locks.LockSupport;

import io.sluice.perf.load.driver.LoadDriver;
import io.sluice.perf.load.driver.RecordReceiver;
import io.sluice.perf.load.driver.RecordSender;
import io.sluice.perf.load.driver.SenderSettings;
import org.HdrHistogram.Histogram;

/**
 * Consumer throughput: reads the topic from its start until {@code --records} records (default 1,000,000) arrived
 * or {@code --duration} passed. A topic holding fewer records is topped up first, unbounded, unmeasured and in
 * batches of at least 256 KiB, so repeated runs read the same log. Measured from the first poll to the last record, broker CPU over the same window.
 */
public final class ConsumeWorkload extends Workload
{
    static final long DEFAULT_RECORDS = 1_000_000L;
    private static final long POLL_MS = 100;
    private static final int FILL_BATCH_BYTES = 256 * 1024;
    private static final int FILL_LINGER_MS = 20;

    public ConsumeWorkload(final LoadOptions options, final LoadDriver driver, final PrintStream progress)
    {
        super("consume", options, driver, progress);
    }

    @Override
    public LoadResult run() throws Exception
    {
        driver.ensureTopic(options.topic, options.partitions);
        final long wanted = options.records > 0 ? options.records : DEFAULT_RECORDS;
        final long held = driver.recordCount(options.topic);
        if (held < wanted)
        {
            fill(wanted - held);
        }
        try (RecordReceiver receiver = driver.openReceiver(options.topic, true))
        {
            final CpuWindow cpuWindow = new CpuWindow(cpu, options.brokerPids);
            pinNow();
            final long start = clock.nanoTime();
            final Measurement read = new Measurement(start, 0, clock);
            final ProgressReporter reporter = new ProgressReporter(
                "read", read, null, clock, start, progressStream(), null);
            final long deadline = start + options.durationNanos();
            cpuWindow.open();
            reporter.start();
            while (read.records() < wanted && clock.nanoTime() < deadline)
            {
                receiver.poll((value, length, keyLength) -> read.count(clock.nanoTime(), length + keyLength), POLL_MS);
            }
            cpuWindow.close();
            reporter.finish();
            return result(read, start, null, cpuWindow, 0, 0, 0);
        }
    }

    @Override
    public Histogram latency()
    {
        return null;
    }

    private void fill(final long count)
    {
        progressStream().printf("consume: topping %s up with %,d records of %d bytes%n",
            options.topic, count, options.recordSize);
        // unmeasured, so as fast as it goes: large batches cost the broker fewer requests per record
        final SenderSettings asked = options.senderSettings();
        final SenderSettings fast = new SenderSettings(asked.acks(), asked.compression(),
            Math.max(FILL_BATCH_BYTES, asked.batchBytes()), Math.max(FILL_LINGER_MS, asked.lingerMs()), false,
            asked.extra());
        try (RecordSender sender = driver.openSender(options.topic, fast))
        {
            final long start = clock.nanoTime();
            final Measurement acked = new Measurement(start, options.keyBytes() + options.recordSize, clock);
            final ProduceLoop loop = new ProduceLoop(
                sender,
                new RatePacer(start, 0, clock, LockSupport::parkNanos),
                clock,
                acked,
                start,
                Long.MAX_VALUE,
                count,
                options.recordSize,
                options.keyCardinality);
            loop.run();
            if (acked.errors() > 0)
            {
                throw new IllegalStateException(
                    "topping up " + options.topic + ": " + acked.errors() + " sends failed, first: " + acked.firstError());
            }
        }
    }
}
