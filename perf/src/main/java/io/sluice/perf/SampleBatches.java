package io.sluice.perf;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Uncompressed RecordBatch v2 bytes built by Kafka's own {@link MemoryRecords}, so that a benchmark appends
 * and validates exactly what a Kafka 4.x producer sends. Built once at set-up; never on a measured path.
 */
public final class SampleBatches
{
    /** Records per batch are one per this many bytes of the target size: 8 in 1 KiB, 128 in 16 KiB. */
    private static final int BYTES_PER_RECORD = 128;

    private SampleBatches()
    {
    }

    /**
     * One batch (no producer id) as close to {@code targetBytes} as whole-byte record values allow, without
     * exceeding it, in a direct buffer of exactly its size, position 0.
     */
    public static ByteBuffer batch(final int targetBytes)
    {
        final int records = Math.max(1, targetBytes / BYTES_PER_RECORD);
        int valueBytes = targetBytes / records;
        ByteBuffer batch = build(records, valueBytes);
        while (batch.remaining() > targetBytes && valueBytes > 0)
        {
            valueBytes--;
            batch = build(records, valueBytes);
        }
        final ByteBuffer direct = ByteBuffer.allocateDirect(batch.remaining());
        direct.put(batch).flip();
        return direct;
    }

    private static ByteBuffer build(final int records, final int valueBytes)
    {
        // Random values, as real payloads are; the same seed keeps every run's bytes identical.
        final SplittableRandom random = new SplittableRandom(records * 31L + valueBytes);
        final long timestamp = System.currentTimeMillis();
        final SimpleRecord[] simpleRecords = new SimpleRecord[records];
        for (int i = 0; i < records; i++)
        {
            final byte[] value = new byte[valueBytes];
            for (int b = 0; b < valueBytes; b++)
            {
                value[b] = (byte)random.nextInt(256);
            }
            simpleRecords[i] = new SimpleRecord(timestamp, null, value);
        }
        return MemoryRecords.withRecords(Compression.NONE, simpleRecords).buffer();
    }
}
