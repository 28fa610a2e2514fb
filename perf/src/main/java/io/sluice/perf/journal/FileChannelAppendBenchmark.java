package io.sluice.perf.journal;

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
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The physical reference for {@link PartitionLogAppendBenchmark}: the same batch bytes written by a bare
 * {@code FileChannel.write} loop to a file on the same disk, with {@code force(false)} (fdatasync, what the
 * journal's segments use) every {@code forceEvery} writes, rolling to a new file at the same 1 GiB segment size
 * (closed, not forced, as a roll leaves the flush to the policy). Nothing is validated, indexed or stamped: this
 * is what the disk and the kernel give a single writer.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {
    JmhSettings.HEAP, JmhSettings.EXPORT_MISC, JmhSettings.OPEN_NIO_CH, JmhSettings.OPEN_NIO,
    JmhSettings.OPEN_ZIP })
@State(Scope.Thread)
public class FileChannelAppendBenchmark
{
    @Param({ "1024", "16384" })
    int batchBytes;

    @Param({ "0", "1", "8", "64" })
    int forceEvery;

    private ByteBuffer batch;
    private int batchLength;
    private Path trialDir;
    private Path iterationDir;
    private int iteration;
    private int fileCount;
    private FileChannel channel;
    private long fileBytes;
    private int sinceForce;

    @Setup(Level.Trial)
    public void createBatch()
    {
        batch = SampleBatches.batch(batchBytes);
        batchLength = batch.remaining();
        trialDir = BenchDirectory.create("plain-append");
    }

    @Setup(Level.Iteration)
    public void openFile() throws IOException
    {
        iterationDir = trialDir.resolve("iteration-" + iteration++);
        Files.createDirectories(iterationDir);
        fileCount = 0;
        roll();
        sinceForce = 0;
    }

    @TearDown(Level.Iteration)
    public void deleteFiles() throws IOException
    {
        channel.close();
        BenchDirectory.delete(iterationDir);
    }

    @TearDown(Level.Trial)
    public void deleteTrialDir()
    {
        BenchDirectory.delete(trialDir);
    }

    @Benchmark
    public long write(final AppendCounters counters) throws IOException
    {
        if (fileBytes + batchLength > PartitionLogAppendBenchmark.SEGMENT_BYTES)
        {
            roll();
        }
        batch.limit(batchLength).position(0);
        while (batch.hasRemaining())
        {
            channel.write(batch);
        }
        fileBytes += batchLength;
        if (forceEvery != 0 && ++sinceForce == forceEvery)
        {
            sinceForce = 0;
            channel.force(false);
        }
        counters.bytes += batchLength;
        return fileBytes;
    }

    private void roll() throws IOException
    {
        if (channel != null && channel.isOpen())
        {
            channel.close();
        }
        channel = FileChannel.open(
            iterationDir.resolve(fileCount++ + ".log"),
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        fileBytes = 0;
    }
}
