package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once warm, append, force-free reads and index lookups allocate nothing: measured with the JVM's per-thread
 * allocation counter over thousands of operations (a guard; the JMH run with -prof gc is the proof).
 */
class AllocationTest
{
    private static final long NOW = 1_700_000_000_000L;
    private static final int OPERATIONS = 20_000;

    @TempDir
    Path dir;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final CachedEpochClock clock = new CachedEpochClock();
    private final AppendResult appendResult = new AppendResult();
    private final ReadResult readResult = new ReadResult();
    private PartitionLog log;
    private int sequence;

    @AfterEach
    void closeLog()
    {
        if (log != null)
        {
            log.close();
        }
    }

    private long allocatedBytes()
    {
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Append {@code count} times (renumbering the producer sequence of an idempotent batch) and read back. */
    private void appendAndRead(final ByteBuffer batch, final int count)
    {
        final RecordBatchFlyweight header = new RecordBatchFlyweight().wrap(batch, 0);
        final boolean idempotent = header.producerId() != RecordBatchFlyweight.NO_PRODUCER_ID;
        for (int i = 0; i < count; i++)
        {
            if (idempotent)
            {
                header.buffer().putInt(RecordBatchFlyweight.BASE_SEQUENCE_OFFSET, sequence, ByteOrder.BIG_ENDIAN);
                header.crc(header.computeCrc());
                sequence += header.recordCount();
            }
            if (log.append(batch, 1, appendResult) != ErrorCodes.NONE || appendResult.duplicate)
            {
                throw new AssertionError("append failed");
            }
            if (log.read(appendResult.firstOffset / 2, 4096, true, readResult) != ErrorCodes.NONE ||
                log.read(appendResult.firstOffset, 1, true, readResult) != ErrorCodes.NONE)
            {
                throw new AssertionError("read failed");
            }
        }
    }

    @Test
    void shouldAppendAndReadWithoutAllocatingOnceWarm() throws IOException
    {
        clock.update(NOW);
        log = PartitionLog.open(dir, new LogConfig().indexIntervalBytes(1024).logAppendTime(true), clock);
        final ByteBuffer heapBatch = TestBatches.batch(4, 50, NOW);
        final ByteBuffer directBatch = ByteBuffer.allocateDirect(heapBatch.remaining()).put(heapBatch.duplicate()).flip();
        final ByteBuffer idempotentBatch = TestBatches.idempotent(42, (short)0, 0, 3, NOW);
        for (int round = 0; round < 2; round++)
        {
            appendAndRead(directBatch, OPERATIONS);
            appendAndRead(heapBatch, OPERATIONS);
            appendAndRead(idempotentBatch, OPERATIONS);
        }

        final long before = allocatedBytes();
        appendAndRead(directBatch, OPERATIONS);
        appendAndRead(heapBatch, OPERATIONS);
        appendAndRead(idempotentBatch, OPERATIONS);
        final long allocated = allocatedBytes() - before;

        assertThat(allocated).as("bytes allocated by %d appends and %d reads", 3 * OPERATIONS, 6 * OPERATIONS)
            .isLessThan(OPERATIONS / 10);
    }
}
