package io.sluice.perf.load;

import java.io.PrintStream;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import io.sluice.perf.load.driver.LoadDriver;
import io.sluice.perf.load.driver.RecordHandler;
import io.sluice.perf.load.driver.RecordReceiver;
import io.sluice.perf.load.driver.RecordSender;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * End-to-end latency at a fixed rate: a producer sends on the open-loop schedule with each record's due time in its
 * first 8 bytes; a consumer in the same process (same clock) reads the topic from its end and charges each record
 * from that due time to its arrival. A stalled broker therefore shows in the latency of every record due during the
 * stall, not just the one that waited (coordinated omission corrected).
 * <p>
 * By default the sender, the producer's I/O and the consumer each have a thread that sleeps when idle. With
 * {@code --spin} (native only) one thread does all three and never sleeps, so no record waits for a thread to be
 * woken: what is left is the broker and the network.
 */
public final class EndToEndWorkload extends Workload
{
    private static final long POLL_MS = 100;

    private Histogram latency;
    private volatile boolean stop;

    public EndToEndWorkload(final LoadOptions options, final LoadDriver driver, final PrintStream progress)
    {
        super("e2e", options, driver, progress);
    }

    @Override
    public LoadResult run() throws Exception
    {
        driver.ensureTopic(options.topic, options.partitions);
        final HistogramLogWriter log = openLog();
        final AtomicReference<Throwable> receiveFailure = new AtomicReference<>();
        try (RecordReceiver receiver = driver.openReceiver(options.topic, false);
            RecordSender sender = driver.openSender(options.topic, options.senderSettings()))
        {
            final long runStart = clock.nanoTime();
            final long measureStart = runStart + options.warmupNanos();
            final int recordBytes = options.keyBytes() + options.recordSize;
            final Measurement received = new Measurement(measureStart, recordBytes, clock);
            final Measurement acked = new Measurement(measureStart, recordBytes, clock);
            final RecordHandler onRecord = (value, length, keyLength) -> received.record(
                value.getLong(0, ByteOrder.BIG_ENDIAN), clock.nanoTime(), length + keyLength);
            final Thread consumer = options.spin ? null : new Thread(() ->
            {
                try
                {
                    while (!stop)
                    {
                        receiver.poll(onRecord, POLL_MS);
                    }
                }
                catch (final Throwable ex)
                {
                    receiveFailure.set(ex);
                }
            }, "sluice-perf-e2e-consumer");
            // Spinning, the time before a record is due goes to the producer's I/O and the consumer, on this thread.
            final LongConsumer waitForSlot = options.spin ?
                nanos ->
                {
                    sender.invoke();
                    receiver.poll(onRecord, 0);
                } :
                LockSupport::parkNanos;
            final RatePacer pacer = new RatePacer(runStart, options.rate, clock, waitForSlot);
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
                "received", received, loop::sent, clock, runStart, progressStream(), log);
            reporter.at(measureStart, cpuWindow::open);
            pinBeforeMeasuring(reporter, measureStart);
            if (consumer != null)
            {
                consumer.start();
            }
            reporter.start();
            loop.run();
            final long deadline = clock.nanoTime() + DRAIN_NANOS;
            while (received.records() < acked.records() && clock.nanoTime() < deadline)
            {
                if (consumer == null)
                {
                    receiver.poll(onRecord, 1);
                }
                else if (consumer.isAlive())
                {
                    LockSupport.parkNanos(1_000_000L);
                }
                else
                {
                    break;
                }
            }
            stop = true;
            if (consumer != null)
            {
                consumer.join(DRAIN_NANOS / 1_000_000L);
            }
            cpuWindow.close();
            latency = reporter.finish();
            if (receiveFailure.get() != null)
            {
                throw new IllegalStateException("consumer failed: " + receiveFailure.get(), receiveFailure.get());
            }
            final long missing = Math.max(0, acked.records() - received.records());
            if (acked.errors() > 0)
            {
                progress.println("e2e: " + acked.errors() + " sends failed, first: " + acked.firstError());
            }
            return result(received, measureStart, latency, cpuWindow, acked.errors(), missing, loop.unsent());
        }
        finally
        {
            stop = true;
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
