package io.sluice.perf.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.AppendResult;
import io.sluice.journal.LogConfig;
import io.sluice.journal.PartitionLog;
import io.sluice.perf.BenchDirectory;
import io.sluice.perf.SampleBatches;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Counts the bytes the current thread allocates per {@link PartitionLog#append} in steady state, exactly (from
 * the JVM's per-thread allocation counter) rather than averaged over a JMH iteration that also holds set-up and
 * segment rolls. Complements {@code -prof gc}: it separates the per-append cost from per-roll and per-open costs.
 *
 * <pre>
 * java -Xmx256m [Agrona opens] -cp perf/target/benchmarks.jar io.sluice.perf.journal.AppendAllocationCheck \
 *     [batchBytes=1024] [forceEvery=0] [segmentBytes=1073741824] [sourceBuffers=1] [appends=200000]
 * </pre>
 * {@code sourceBuffers} above 1 appends from that many distinct buffers in turn, as a shard does with the
 * receive buffers of different connections.
 */
public final class AppendAllocationCheck
{
    private AppendAllocationCheck()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final int batchBytes = intArg(args, 0, 1024);
        final int forceEvery = intArg(args, 1, 0);
        final int segmentBytes = intArg(args, 2, PartitionLogAppendBenchmark.SEGMENT_BYTES);
        final int sourceBuffers = intArg(args, 3, 1);
        final int appends = intArg(args, 4, 200_000);
        final int warmUp = appends / 4;

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final ByteBuffer[] sources = new ByteBuffer[sourceBuffers];
        for (int i = 0; i < sourceBuffers; i++)
        {
            sources[i] = SampleBatches.batch(batchBytes);
        }
        final int length = sources[0].remaining();
        final AppendResult result = new AppendResult();
        final Path dir = BenchDirectory.create("append-allocation");
        try (PartitionLog log = PartitionLog.open(dir, new LogConfig().segmentBytes(segmentBytes).conclude()))
        {
            long before = 0;
            int sinceForce = 0;
            for (int i = 0; i < warmUp + appends; i++)
            {
                if (i == warmUp)
                {
                    before = threads.getThreadAllocatedBytes(threadId);
                }
                final ByteBuffer batch = sources[i % sourceBuffers];
                batch.limit(length).position(0);
                short code = log.append(batch, 0, result);
                if (code == ErrorCodes.NONE && forceEvery != 0 && ++sinceForce == forceEvery)
                {
                    sinceForce = 0;
                    code = log.force();
                }
                if (code != ErrorCodes.NONE)
                {
                    throw new IllegalStateException("append failed with error code " + code);
                }
            }
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            System.out.printf(
                "batchBytes=%d (actual %d) forceEvery=%d segmentBytes=%d sourceBuffers=%d: %d bytes over %d appends" +
                " = %.3f B/append%n",
                batchBytes, length, forceEvery, segmentBytes, sourceBuffers, allocated, appends,
                (double)allocated / appends);
        }
        finally
        {
            BenchDirectory.delete(dir);
        }
    }

    private static int intArg(final String[] args, final int index, final int defaultValue)
    {
        return args.length > index ? Integer.parseInt(args[index]) : defaultValue;
    }
}
