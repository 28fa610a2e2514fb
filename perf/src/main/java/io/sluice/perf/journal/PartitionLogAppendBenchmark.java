package io.sluice.perf.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.AppendResult;
import io.sluice.journal.LogConfig;
import io.sluice.journal.PartitionLog;
import io.sluice.perf.BenchDirectory;
import io.sluice.perf.JmhSettings;
import io.sluice.perf.SampleBatches;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Append throughput of {@link PartitionLog}: one batch of about {@code batchBytes} per operation, with a
 * {@link PartitionLog#force()} every {@code forceEvery} batches (0: never, the page-cache path; 1, 8, 64: group
 * commit of that many batches per fsync). The score is batches/s; {@code :bytes} is bytes/s.
 *
 * <p><b>Physical reference:</b> {@link FileChannelAppendBenchmark} with the same parameters, a bare
 * {@code FileChannel.write} loop (and {@code force(false)} every N) on the same disk. Target: without force at
 * least 80 % of its bandwidth; with force, throughput growing with N. Run with {@code -prof gc}: the append path
 * should show {@code gc.alloc.rate.norm} of about 0 B/op.
 *
 * <p>Each measurement iteration writes into a fresh log that is closed and deleted afterwards, so the disk
 * does not fill over a run. Segments are 1 GiB (Kafka's default), so rolls are rare: at most one or two per
 * iteration at page-cache speed.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {
    JmhSettings.HEAP, JmhSettings.EXPORT_MISC, JmhSettings.OPEN_NIO_CH, JmhSettings.OPEN_NIO,
    JmhSettings.OPEN_ZIP })
@State(Scope.Thread)
public class PartitionLogAppendBenchmark
{
    static final int SEGMENT_BYTES = 1024 * 1024 * 1024;

    @Param({ "1024", "16384" })
    int batchBytes;

    @Param({ "0", "1", "8", "64" })
    int forceEvery;

    private final AppendResult result = new AppendResult();
    private ByteBuffer batch;
    private int batchLength;
    private Path trialDir;
    private Path logDir;
    private int iteration;
    private PartitionLog log;
    private int sinceForce;

    @Setup(Level.Trial)
    public void createBatch()
    {
        batch = SampleBatches.batch(batchBytes);
        batchLength = batch.remaining();
        trialDir = BenchDirectory.create("log-append");
    }

    @Setup(Level.Iteration)
    public void openLog() throws IOException
    {
        logDir = trialDir.resolve("iteration-" + iteration++);
        log = PartitionLog.open(logDir, new LogConfig().segmentBytes(SEGMENT_BYTES).conclude());
        sinceForce = 0;
    }

    @TearDown(Level.Iteration)
    public void deleteLog()
    {
        log.close();
        BenchDirectory.delete(logDir);
    }

    @TearDown(Level.Trial)
    public void deleteTrialDir()
    {
        BenchDirectory.delete(trialDir);
    }

    @Benchmark
    public long append(final AppendCounters counters)
    {
        batch.limit(batchLength).position(0);
        short code = log.append(batch, 0, result);
        if (forceEvery != 0 && ++sinceForce == forceEvery)
        {
            sinceForce = 0;
            if (code == ErrorCodes.NONE)
            {
                code = log.force();
            }
        }
        if (code != ErrorCodes.NONE)
        {
            throw new IllegalStateException("append failed with error code " + code);
        }
        counters.bytes += batchLength;
        return result.lastOffset;
    }
}
