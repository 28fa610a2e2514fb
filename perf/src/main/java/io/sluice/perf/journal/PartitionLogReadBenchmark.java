package io.sluice.perf.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.AppendResult;
import io.sluice.journal.LogConfig;
import io.sluice.journal.PartitionLog;
import io.sluice.journal.ReadResult;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reads from a {@link PartitionLog} of {@value #LOG_BYTES} bytes of ~1 KiB batches (8 records each) in
 * {@value #SEGMENT_BYTES}-byte segments, at offsets drawn uniformly from the whole log, so every read goes
 * through segment selection and the offset index. The data is in the page cache (just written): these are the
 * CPU and syscall costs of the read path, not the disk's.
 * <ul>
 * <li>{@link #lookup}: offset to the region of the one batch holding it (index lookup, no data moved).
 * <b>Physical reference:</b> {@link FileChannelReadBenchmark#preadHeader}, one positional read of a batch header
 * at a known position.</li>
 * <li>{@link #readRegion}: the region a fetch of {@value #REGION_BYTES} bytes would serve, then its bytes read
 * into a buffer. <b>Physical reference:</b> {@link FileChannelReadBenchmark#preadRegion}, the same number of
 * bytes read at a known position.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {
    JmhSettings.HEAP, JmhSettings.EXPORT_MISC, JmhSettings.OPEN_NIO_CH, JmhSettings.OPEN_NIO,
    JmhSettings.OPEN_ZIP })
@State(Scope.Thread)
public class PartitionLogReadBenchmark
{
    static final int BATCH_BYTES = 1024;
    static final long LOG_BYTES = 64L * 1024 * 1024;
    static final int SEGMENT_BYTES = 8 * 1024 * 1024;
    static final int REGION_BYTES = 64 * 1024;
    static final int DRAWS = 1 << 14;
    static final long SEED = 7;

    private final ReadResult result = new ReadResult();
    private final long[] offsets = new long[DRAWS];
    private ByteBuffer region;
    private Path dir;
    private PartitionLog log;
    private int next;

    @Setup(Level.Trial)
    public void fillLog() throws IOException
    {
        dir = BenchDirectory.create("log-read");
        log = PartitionLog.open(dir, new LogConfig().segmentBytes(SEGMENT_BYTES).conclude());
        final ByteBuffer batch = SampleBatches.batch(BATCH_BYTES);
        final int batchLength = batch.remaining();
        final AppendResult appendResult = new AppendResult();
        for (long written = 0; written < LOG_BYTES; written += batchLength)
        {
            batch.limit(batchLength).position(0);
            check(log.append(batch, 0, appendResult), "append");
        }
        check(log.force(), "force");

        final SplittableRandom random = new SplittableRandom(SEED);
        final long end = log.logEndOffset();
        for (int i = 0; i < DRAWS; i++)
        {
            offsets[i] = random.nextLong(end);
        }
        region = ByteBuffer.allocateDirect(REGION_BYTES + batchLength);
    }

    @TearDown(Level.Trial)
    public void deleteLog()
    {
        log.close();
        BenchDirectory.delete(dir);
    }

    @Benchmark
    public long lookup()
    {
        check(log.read(offsets[next++ & (DRAWS - 1)], 1, true, result), "read");
        return result.position;
    }

    @Benchmark
    public int readRegion() throws IOException
    {
        check(log.read(offsets[next++ & (DRAWS - 1)], REGION_BYTES, true, result), "read");
        region.clear().limit(result.length);
        long position = result.position;
        while (region.hasRemaining())
        {
            final int read = result.channel.read(region, position);
            if (read < 0)
            {
                throw new IllegalStateException("region past the end of its segment");
            }
            position += read;
        }
        return region.position();
    }

    private static void check(final short code, final String operation)
    {
        if (code != ErrorCodes.NONE)
        {
            throw new IllegalStateException(operation + " failed with error code " + code);
        }
    }
}
