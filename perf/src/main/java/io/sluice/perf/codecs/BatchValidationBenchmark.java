package io.sluice.perf.codecs;

import io.sluice.codecs.record.Crc32c;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.codecs.record.RecordBatchValidator;
import io.sluice.perf.JmhSettings;
import io.sluice.perf.SampleBatches;
import org.agrona.concurrent.UnsafeBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Validation of one uncompressed RecordBatch v2 of about {@code batchBytes} by {@link RecordBatchValidator}:
 * framing, magic, CRC32C and the walk over the records' length varints.
 *
 * <p><b>Physical reference:</b> {@link #crc32cOnly}, the CRC32C over the same bytes (attributes to the end)
 * and nothing else, the part no validator can skip. The gap between the two is the validator's own work.
 *
 * <p>{@link #validateRotatingBuffers} validates the same batch held in {@value #ROTATING_BUFFERS} different
 * direct buffers in turn, as a shard does with the receive buffers of different connections; with
 * {@code -prof gc} it shows whether validation allocates when the source buffer changes (the single-buffer
 * {@link #validate} cannot show that).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {
    JmhSettings.HEAP, JmhSettings.EXPORT_MISC, JmhSettings.OPEN_NIO_CH, JmhSettings.OPEN_NIO,
    JmhSettings.OPEN_ZIP })
@State(Scope.Thread)
public class BatchValidationBenchmark
{
    @Param({ "1024", "16384" })
    int batchBytes;

    static final int ROTATING_BUFFERS = 4;

    private final RecordBatchValidator validator = new RecordBatchValidator();
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer[] rotating = new UnsafeBuffer[ROTATING_BUFFERS];
    private int length;
    private int next;

    @Setup(Level.Trial)
    public void createBatch()
    {
        final ByteBuffer batch = SampleBatches.batch(batchBytes);
        length = batch.remaining();
        buffer.wrap(batch);
        if (validator.validate(buffer, 0, length, Integer.MAX_VALUE) != ErrorCodes.NONE)
        {
            throw new IllegalStateException("sample batch does not validate");
        }
        for (int i = 0; i < ROTATING_BUFFERS; i++)
        {
            final ByteBuffer copy = ByteBuffer.allocateDirect(length);
            copy.put(batch.duplicate().clear()).flip();
            rotating[i] = new UnsafeBuffer(copy);
        }
    }

    @Benchmark
    public short validate()
    {
        return validator.validate(buffer, 0, length, Integer.MAX_VALUE);
    }

    @Benchmark
    public short validateRotatingBuffers()
    {
        return validator.validate(rotating[next++ & (ROTATING_BUFFERS - 1)], 0, length, Integer.MAX_VALUE);
    }

    @Benchmark
    public long crc32cOnly()
    {
        final int from = RecordBatchFlyweight.ATTRIBUTES_OFFSET;
        return Crc32c.compute(buffer, from, length - from);
    }
}
