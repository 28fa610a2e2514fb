package io.sluice.perf.journal;

import io.sluice.codecs.record.RecordBatchFlyweight;
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
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The physical reference for {@link PartitionLogReadBenchmark}: the same {@value PartitionLogReadBenchmark#LOG_BYTES}
 * bytes of ~1 KiB batches in one plain file (page cache warm), read at batch positions drawn uniformly, where the
 * caller already knows every position, so no lookup is done at all.
 * <ul>
 * <li>{@link #preadHeader}: one positional read of a 61-byte batch header, the floor for {@code lookup}.</li>
 * <li>{@link #preadRegion}: one positional read of the whole batches fitting in
 * {@value PartitionLogReadBenchmark#REGION_BYTES} bytes, the floor for {@code readRegion}.</li>
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
public class FileChannelReadBenchmark
{
    private final long[] positions = new long[PartitionLogReadBenchmark.DRAWS];
    private final ByteBuffer header = ByteBuffer.allocateDirect(RecordBatchFlyweight.HEADER_LENGTH);
    private ByteBuffer region;
    private long fileBytes;
    private int regionBytes;
    private Path dir;
    private FileChannel channel;
    private int next;

    @Setup(Level.Trial)
    public void fillFile() throws IOException
    {
        dir = BenchDirectory.create("plain-read");
        channel = FileChannel.open(
            dir.resolve("0.log"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        final ByteBuffer batch = SampleBatches.batch(PartitionLogReadBenchmark.BATCH_BYTES);
        final int batchLength = batch.remaining();
        while (fileBytes < PartitionLogReadBenchmark.LOG_BYTES)
        {
            batch.limit(batchLength).position(0);
            while (batch.hasRemaining())
            {
                fileBytes += channel.write(batch);
            }
        }
        channel.force(false);

        final long batches = fileBytes / batchLength;
        final SplittableRandom random = new SplittableRandom(PartitionLogReadBenchmark.SEED);
        for (int i = 0; i < positions.length; i++)
        {
            positions[i] = random.nextLong(batches) * batchLength;
        }
        regionBytes = (PartitionLogReadBenchmark.REGION_BYTES / batchLength) * batchLength;
        region = ByteBuffer.allocateDirect(regionBytes);
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws IOException
    {
        channel.close();
        BenchDirectory.delete(dir);
    }

    @Benchmark
    public int preadHeader() throws IOException
    {
        header.clear();
        return channel.read(header, positions[next++ & (PartitionLogReadBenchmark.DRAWS - 1)]);
    }

    @Benchmark
    public int preadRegion() throws IOException
    {
        long position = positions[next++ & (PartitionLogReadBenchmark.DRAWS - 1)];
        region.clear().limit((int)Math.min(regionBytes, fileBytes - position));
        while (region.hasRemaining())
        {
            position += channel.read(region, position);
        }
        return region.position();
    }
}
