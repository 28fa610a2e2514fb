package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import org.agrona.concurrent.CachedEpochClock;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What append accepts, refuses and stamps: validation, LogAppendTime, leader epochs and idempotence. */
class AppendTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final AppendResult result = new AppendResult();
    private final ReadResult read = new ReadResult();
    private PartitionLog log;

    private PartitionLog open(final LogConfig config) throws IOException
    {
        clock.update(NOW);
        log = PartitionLog.open(dir, config, clock);
        return log;
    }

    @AfterEach
    void closeLog()
    {
        if (log != null)
        {
            log.close();
        }
    }

    private void assertNothingWritten() throws IOException
    {
        assertThat(log.logEndOffset()).isZero();
        assertThat(Files.size(dir.resolve(SegmentFiles.name(0, ".log")))).isZero();
    }

    @Test
    void shouldRefuseWrongCrcAndWriteNothing() throws IOException
    {
        open(new LogConfig());
        final ByteBuffer batch = TestBatches.batch(3, NOW);
        batch.put(RecordBatchFlyweight.RECORDS_OFFSET + 3, (byte)(batch.get(RecordBatchFlyweight.RECORDS_OFFSET + 3) ^ 1));

        assertThat(log.append(batch, 0, result)).isEqualTo(ErrorCodes.CORRUPT_MESSAGE);
        assertThat(result.failedBatchIndex).isZero();
        assertNothingWritten();
    }

    @Test
    void shouldRefuseWrongMagic() throws IOException
    {
        open(new LogConfig());
        final ByteBuffer batch = TestBatches.batch(3, NOW);
        batch.put(RecordBatchFlyweight.MAGIC_OFFSET, (byte)1);

        assertThat(log.append(batch, 0, result)).isEqualTo(ErrorCodes.UNSUPPORTED_FOR_MESSAGE_FORMAT);
        assertNothingWritten();
    }

    @Test
    void shouldRefuseImpossibleLengths() throws IOException
    {
        open(new LogConfig());
        final ByteBuffer tooLong = TestBatches.batch(3, NOW);
        tooLong.putInt(RecordBatchFlyweight.BATCH_LENGTH_OFFSET, tooLong.remaining());
        assertThat(log.append(tooLong, 0, result)).isEqualTo(ErrorCodes.CORRUPT_MESSAGE);

        final ByteBuffer tooShort = TestBatches.batch(3, NOW);
        tooShort.putInt(RecordBatchFlyweight.BATCH_LENGTH_OFFSET, 10);
        assertThat(log.append(tooShort, 0, result)).isEqualTo(ErrorCodes.CORRUPT_MESSAGE);

        final ByteBuffer truncated = TestBatches.batch(3, NOW).limit(40);
        assertThat(log.append(truncated, 0, result)).isEqualTo(ErrorCodes.CORRUPT_MESSAGE);
        assertNothingWritten();
    }

    @Test
    void shouldRefuseRecordCountThatDoesNotMatch() throws IOException
    {
        open(new LogConfig());
        final ByteBuffer batch = TestBatches.batch(3, NOW);
        final RecordBatchFlyweight header = new RecordBatchFlyweight().wrap(batch, 0);
        header.buffer().putInt(RecordBatchFlyweight.RECORD_COUNT_OFFSET, 4, java.nio.ByteOrder.BIG_ENDIAN);
        header.buffer().putInt(RecordBatchFlyweight.LAST_OFFSET_DELTA_OFFSET, 3, java.nio.ByteOrder.BIG_ENDIAN);
        header.crc(header.computeCrc());

        assertThat(log.append(batch, 0, result)).isEqualTo(ErrorCodes.INVALID_RECORD);
        assertNothingWritten();
    }

    @Test
    void shouldRefuseTheWholeRequestWhenALaterBatchIsBad() throws IOException
    {
        open(new LogConfig());
        final ByteBuffer bad = TestBatches.batch(2, NOW);
        bad.put(bad.limit() - 1, (byte)(bad.get(bad.limit() - 1) ^ 0x55));
        final ByteBuffer request = TestBatches.concat(TestBatches.batch(1, NOW), TestBatches.batch(1, NOW), bad);

        assertThat(log.append(request, 0, result)).isEqualTo(ErrorCodes.CORRUPT_MESSAGE);
        assertThat(result.failedBatchIndex).isEqualTo(2);
        assertNothingWritten();
    }

    @Test
    void shouldRefuseBatchLargerThanMaxMessageBytes() throws IOException
    {
        final ByteBuffer batch = TestBatches.batch(10, 100, NOW);
        open(new LogConfig().maxMessageBytes(batch.remaining() - 1));

        assertThat(log.append(batch, 0, result)).isEqualTo(ErrorCodes.MESSAGE_TOO_LARGE);
        assertNothingWritten();
    }

    @Test
    void shouldStampLogAppendTimeAndKeepTheCrcValid() throws IOException
    {
        open(new LogConfig().logAppendTime(true));
        clock.update(NOW + 5000);
        final ByteBuffer batch = TestBatches.batch(3, NOW - 99_000);

        assertThat(log.append(batch, 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(result.logAppendTime).isEqualTo(NOW + 5000);
        log.read(0, Integer.MAX_VALUE, true, read);
        final RecordBatch stored = TestBatches.batches(TestBatches.regionBytes(read)).get(0);
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(NOW + 5000);
        assertThat(stored.isValid()).isTrue();
        stored.forEach(record -> assertThat(record.timestamp()).isEqualTo(NOW + 5000));

        final TimestampOffset max = log.maxTimestamp(new TimestampOffset());
        assertThat(max.timestamp).isEqualTo(NOW + 5000);
        assertThat(max.offset).isZero();
    }

    @Test
    void shouldReportCreateTimeAppendsWithoutLogAppendTime() throws IOException
    {
        open(new LogConfig());
        assertThat(log.append(TestBatches.batch(1, NOW - 10), 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(result.logAppendTime).isEqualTo(-1);
    }

    @Test
    void shouldStoreCompressedBatchesUntouched() throws IOException
    {
        open(new LogConfig());
        final ByteBuffer batch = TestBatches.compressedBatch(20, NOW);
        final byte[] original = TestBatches.bytes(batch);

        assertThat(log.append(batch, 4, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(result.lastOffset).isEqualTo(19);
        log.read(5, Integer.MAX_VALUE, true, read);
        final byte[] stored = TestBatches.bytes(TestBatches.regionBytes(read));
        assertThat(stored.length).isEqualTo(original.length);
        final RecordBatch parsed = TestBatches.batches(ByteBuffer.wrap(stored)).get(0);
        assertThat(parsed.isValid()).isTrue();
        assertThat(parsed.partitionLeaderEpoch()).isEqualTo(4);
        // Past the stamped base offset and leader epoch, every byte is the producer's.
        assertThat(java.util.Arrays.copyOfRange(stored, 16, stored.length))
            .isEqualTo(java.util.Arrays.copyOfRange(original, 16, original.length));
    }

    @Test
    void shouldRecordLeaderEpochStartOffsetsAndKeepThemAcrossRestart() throws IOException
    {
        open(new LogConfig());
        log.append(TestBatches.batch(3, NOW), 1, result);
        log.append(TestBatches.batch(3, NOW), 1, result);
        log.append(TestBatches.batch(2, NOW), 4, result);
        log.append(TestBatches.batch(2, NOW), 4, result);

        assertThat(log.latestLeaderEpoch()).isEqualTo(4);
        assertThat(log.leaderEpochStartOffset(1)).isZero();
        assertThat(log.leaderEpochStartOffset(4)).isEqualTo(6);
        assertThat(log.leaderEpochStartOffset(2)).isEqualTo(-1);
        assertThat(log.leaderEpochEndOffset(1)).isEqualTo(6);
        assertThat(log.leaderEpochEndOffset(2)).isEqualTo(6);
        assertThat(log.floorLeaderEpoch(2)).isEqualTo(1);
        assertThat(log.leaderEpochEndOffset(4)).isEqualTo(10);
        assertThat(Files.readAllLines(dir.resolve(LeaderEpochCache.FILE_NAME))).containsExactly("0", "2", "1 0", "4 6");

        log.close();
        open(new LogConfig());
        assertThat(log.latestLeaderEpoch()).isEqualTo(4);
        assertThat(log.leaderEpochStartOffset(4)).isEqualTo(6);

        log.truncateTo(6);
        assertThat(log.latestLeaderEpoch()).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve(LeaderEpochCache.FILE_NAME))).containsExactly("0", "1", "1 0");
    }

    @Test
    void shouldAnswerARetriedBatchWithItsOriginalOffsets() throws IOException
    {
        open(new LogConfig());
        log.append(TestBatches.batch(2, NOW), 0, result);
        assertThat(log.append(TestBatches.idempotent(77, (short)1, 0, 3, NOW), 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(log.append(TestBatches.idempotent(77, (short)1, 3, 2, NOW), 0, result)).isEqualTo(ErrorCodes.NONE);
        final long end = log.logEndOffset();

        assertThat(log.append(TestBatches.idempotent(77, (short)1, 0, 3, NOW), 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(result.duplicate).isTrue();
        assertThat(result.firstOffset).isEqualTo(2);
        assertThat(result.lastOffset).isEqualTo(4);
        assertThat(result.bytesWritten).isZero();
        assertThat(log.logEndOffset()).isEqualTo(end);
    }

    @Test
    void shouldRefuseSequenceGapsAndFencedEpochs() throws IOException
    {
        open(new LogConfig());
        log.append(TestBatches.idempotent(5, (short)2, 0, 3, NOW), 0, result);

        assertThat(log.append(TestBatches.idempotent(5, (short)2, 7, 1, NOW), 0, result))
            .isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(result.failedBatchIndex).isZero();
        assertThat(log.append(TestBatches.idempotent(5, (short)1, 3, 1, NOW), 0, result))
            .isEqualTo(ErrorCodes.INVALID_PRODUCER_EPOCH);
        final ByteBuffer gapInRequest = TestBatches.concat(
            TestBatches.idempotent(5, (short)2, 3, 2, NOW), TestBatches.idempotent(5, (short)2, 6, 1, NOW));
        assertThat(log.append(gapInRequest, 0, result)).isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(result.failedBatchIndex).isEqualTo(1);
        assertThat(log.logEndOffset()).isEqualTo(3);

        final ByteBuffer inOrder = TestBatches.concat(
            TestBatches.idempotent(5, (short)2, 3, 2, NOW), TestBatches.idempotent(5, (short)2, 5, 1, NOW));
        assertThat(log.append(inOrder, 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(log.logEndOffset()).isEqualTo(6);
    }

    @Test
    void shouldRememberProducersAcrossCleanRestart() throws IOException
    {
        open(new LogConfig());
        log.append(TestBatches.idempotent(9, (short)0, 0, 3, NOW), 0, result);
        log.close();
        assertThat(Files.exists(dir.resolve(SegmentFiles.name(3, ".snapshot")))).isTrue();

        open(new LogConfig());
        assertThat(log.append(TestBatches.idempotent(9, (short)0, 0, 3, NOW), 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(result.duplicate).isTrue();
        assertThat(log.append(TestBatches.idempotent(9, (short)0, 5, 1, NOW), 0, result))
            .isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void shouldRebuildProducersFromTheLogAfterACrash() throws IOException
    {
        final Path live = dir.resolve("live");
        clock.update(NOW);
        final PartitionLog first = PartitionLog.open(live, new LogConfig().segmentBytes(600), clock);
        for (int i = 0; i < 12; i++)
        {
            assertThat(first.append(TestBatches.idempotent(9, (short)0, i * 2, 2, NOW), 0, result))
                .isEqualTo(ErrorCodes.NONE);
        }
        assertThat(first.segmentCount()).isGreaterThan(1);
        final Path crashed = StoredLog.copyAsCrashed(live, dir.resolve("crashed"));
        first.close();

        log = PartitionLog.open(crashed, new LogConfig().segmentBytes(600), clock);
        assertThat(log.recoveryReport().clean).isFalse();
        assertThat(log.append(TestBatches.idempotent(9, (short)0, 22, 2, NOW), 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(result.duplicate).isTrue();
        assertThat(result.firstOffset).isEqualTo(22);
        assertThat(log.append(TestBatches.idempotent(9, (short)0, 24, 1, NOW), 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(result.duplicate).isFalse();
        assertThat(result.firstOffset).isEqualTo(24);
    }

    @Test
    void shouldForgetTruncatedBatchesOfAProducer() throws IOException
    {
        open(new LogConfig());
        log.append(TestBatches.idempotent(9, (short)0, 0, 2, NOW), 0, result);
        log.append(TestBatches.idempotent(9, (short)0, 2, 2, NOW), 0, result);
        log.truncateTo(2);

        assertThat(log.append(TestBatches.idempotent(9, (short)0, 2, 2, NOW), 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(result.duplicate).isFalse();
        assertThat(result.firstOffset).isEqualTo(2);
        final List<RecordBatch> batches = readAllBatches();
        assertThat(batches).extracting(RecordBatch::baseSequence).containsExactly(0, 2);
    }

    private List<RecordBatch> readAllBatches() throws IOException
    {
        log.read(0, Integer.MAX_VALUE, true, read);
        return TestBatches.batches(TestBatches.regionBytes(read));
    }
}
