package io.sluice.codecs.record;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RecordBatchValidatorTest
{
    private static final int MAX = 1 << 20;
    private final RecordBatchValidator validator = new RecordBatchValidator();

    @Test
    void shouldAcceptBatchesWrittenByKafkaAndReadTheirHeaders()
    {
        final ByteBuffer bytes = twoBatches(Compression.NONE);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        assertThat(validator.validate(buffer, 0, bytes.limit(), MAX)).isEqualTo(ErrorCodes.NONE);
        assertThat(validator.batchCount()).isEqualTo(2);
        assertThat(validator.recordCount()).isEqualTo(5);

        final RecordBatchFlyweight batch = new RecordBatchFlyweight().wrap(buffer, 0);
        final RecordBatch kafka = MemoryRecords.readableRecords(bytes.duplicate()).batches().iterator().next();
        assertThat(batch.baseOffset()).isEqualTo(kafka.baseOffset());
        assertThat(batch.lastOffsetDelta()).isEqualTo(2);
        assertThat(batch.producerId()).isEqualTo(7L);
        assertThat(batch.producerEpoch()).isEqualTo((short)3);
        assertThat(batch.baseSequence()).isEqualTo(11);
        assertThat(batch.lastSequence()).isEqualTo(13);
        assertThat(batch.maxTimestamp()).isEqualTo(kafka.maxTimestamp());
        assertThat(batch.crc()).isEqualTo(kafka.checksum()).isEqualTo(batch.computeCrc());
        assertThat(batch.totalLength()).isEqualTo(kafka.sizeInBytes());
    }

    @Test
    void shouldAcceptCompressedBatchesWithoutDecompressing()
    {
        final ByteBuffer bytes = twoBatches(Compression.gzip().build());
        assertThat(validator.validate(new UnsafeBuffer(bytes), 0, bytes.limit(), MAX)).isEqualTo(ErrorCodes.NONE);
    }

    @Test
    void shouldKeepCrcValidWhenBaseOffsetAndLeaderEpochAreStamped()
    {
        final ByteBuffer bytes = twoBatches(Compression.NONE);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        new RecordBatchFlyweight().wrap(buffer, 0).baseOffset(1234).partitionLeaderEpoch(9);

        assertThat(validator.validate(buffer, 0, bytes.limit(), MAX)).isEqualTo(ErrorCodes.NONE);
    }

    @Test
    void shouldRefuseFlippedPayloadByteAsCorrupt()
    {
        final ByteBuffer bytes = twoBatches(Compression.NONE);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final int victim = RecordBatchFlyweight.RECORDS_OFFSET + 5;
        buffer.putByte(victim, (byte)(buffer.getByte(victim) ^ 0x40));

        assertThat(validator.validate(buffer, 0, bytes.limit(), MAX)).isEqualTo(ErrorCodes.CORRUPT_MESSAGE);
        assertThat(validator.failedBatchIndex()).isZero();
    }

    @Test
    void shouldRefuseWrongMagic()
    {
        final ByteBuffer bytes = twoBatches(Compression.NONE);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putByte(RecordBatchFlyweight.MAGIC_OFFSET, (byte)1);

        assertThat(validator.validate(buffer, 0, bytes.limit(), MAX))
            .isEqualTo(ErrorCodes.UNSUPPORTED_FOR_MESSAGE_FORMAT);
    }

    @Test
    void shouldRefuseImpossibleLengths()
    {
        final ByteBuffer bytes = twoBatches(Compression.NONE);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        assertThat(validator.validate(buffer, 0, bytes.limit() - 1, MAX)).isEqualTo(ErrorCodes.CORRUPT_MESSAGE);
        assertThat(validator.failedBatchIndex()).isEqualTo(1);
        assertThat(validator.validate(buffer, 0, 20, MAX)).isEqualTo(ErrorCodes.CORRUPT_MESSAGE);

        buffer.putInt(RecordBatchFlyweight.BATCH_LENGTH_OFFSET, 10, java.nio.ByteOrder.BIG_ENDIAN);
        assertThat(validator.validate(buffer, 0, bytes.limit(), MAX)).isEqualTo(ErrorCodes.CORRUPT_MESSAGE);
    }

    @Test
    void shouldRefuseBatchLargerThanMaximum()
    {
        final ByteBuffer bytes = twoBatches(Compression.NONE);
        final int firstLength = new RecordBatchFlyweight().wrap(new UnsafeBuffer(bytes), 0).totalLength();

        assertThat(validator.validate(new UnsafeBuffer(bytes), 0, bytes.limit(), firstLength - 1))
            .isEqualTo(ErrorCodes.MESSAGE_TOO_LARGE);
    }

    @Test
    void shouldRefuseRecordCountThatDoesNotMatchRecordsEvenWithValidCrc()
    {
        final ByteBuffer bytes = twoBatches(Compression.NONE);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final RecordBatchFlyweight batch = new RecordBatchFlyweight().wrap(buffer, 0);
        buffer.putInt(RecordBatchFlyweight.RECORD_COUNT_OFFSET, 4, java.nio.ByteOrder.BIG_ENDIAN);
        buffer.putInt(RecordBatchFlyweight.LAST_OFFSET_DELTA_OFFSET, 3, java.nio.ByteOrder.BIG_ENDIAN);
        batch.crc(batch.computeCrc());

        assertThat(validator.validate(buffer, 0, bytes.limit(), MAX)).isEqualTo(ErrorCodes.INVALID_RECORD);
    }

    @Test
    void shouldComputeSameCrcOverHeapAndDirectBuffers()
    {
        final ByteBuffer heap = twoBatches(Compression.NONE);
        final ByteBuffer direct = ByteBuffer.allocateDirect(heap.limit() + 3);
        direct.position(3);
        direct.put(heap.duplicate());
        final long expected = Crc32c.compute(new UnsafeBuffer(heap), 21, 50);

        assertThat(Crc32c.compute(new UnsafeBuffer(direct, 3, heap.limit()), 21, 50)).isEqualTo(expected);
        assertThat(Crc32c.compute(direct, 24, 50)).isEqualTo(expected);
    }

    static ByteBuffer twoBatches(final Compression compression)
    {
        final ByteBuffer out = ByteBuffer.allocate(4096);
        final MemoryRecordsBuilder first = MemoryRecords.builder(out, RecordBatch.MAGIC_VALUE_V2, compression,
            TimestampType.CREATE_TIME, 0L, 1_000L, 7L, (short)3, 11, false, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < 3; i++)
        {
            first.append(new SimpleRecord(1_000L + i, bytes("k" + i), bytes("value-" + i)));
        }
        first.close();
        final MemoryRecordsBuilder second = MemoryRecords.builder(out, RecordBatch.MAGIC_VALUE_V2, compression,
            TimestampType.CREATE_TIME, 3L, 2_000L, 7L, (short)3, 14, false, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        second.append(new SimpleRecord(2_000L, bytes("k3"), bytes("value-3")));
        second.append(new SimpleRecord(2_001L, null, bytes("value-4")));
        second.close();
        out.flip();
        return out;
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
