package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import org.agrona.concurrent.CachedEpochClock;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Rolling, retention, DeleteRecords, truncation, the flush policy and checkpoints. */
class LogLifecycleTest
{
    private static final long NOW = 1_700_000_000_000L;
    private static final long HOUR = 60 * 60 * 1000L;

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final AppendResult result = new AppendResult();
    private final ReadResult read = new ReadResult();
    private PartitionLog log;

    private PartitionLog open(final LogConfig config) throws IOException
    {
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

    private LogConfig smallSegments()
    {
        final int batchBytes = TestBatches.batch(2, 50, NOW).remaining();
        return new LogConfig().segmentBytes(batchBytes * 4).indexIntervalBytes(batchBytes).fileDeleteDelayMs(1000);
    }

    /** {@code count} batches of two records, batch i stamped {@code firstTimestamp + i * step}. */
    private void appendBatches(final int count, final long firstTimestamp, final long step)
    {
        for (int i = 0; i < count; i++)
        {
            assertThat(log.append(TestBatches.batch(2, 50, firstTimestamp + i * step), 0, result))
                .isEqualTo(ErrorCodes.NONE);
        }
    }

    private long filesEnding(final String suffix) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }

    @Test
    void shouldRollWhenTheActiveSegmentIsOlderThanSegmentMs() throws IOException
    {
        clock.update(NOW);
        open(new LogConfig().segmentMs(HOUR));
        appendBatches(3, NOW, 0);

        assertThat(log.onTimer(NOW + HOUR)).isZero();
        assertThat(log.segmentCount()).isEqualTo(1);
        clock.update(NOW + HOUR + 1);
        assertThat(log.onTimer(clock.time())).isPositive();
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(dir.resolve(SegmentFiles.name(6, ".log"))).exists();
        assertThat(log.onTimer(clock.time())).isZero();
    }

    @Test
    void shouldRollOnAppendAfterSegmentMs() throws IOException
    {
        clock.update(NOW);
        open(new LogConfig().segmentMs(HOUR));
        appendBatches(1, NOW, 0);
        clock.update(NOW + 2 * HOUR);
        appendBatches(1, NOW + 2 * HOUR, 0);

        assertThat(log.segmentCount()).isEqualTo(2);
    }

    @Test
    void shouldRollWhenTheOffsetIndexIsFull() throws IOException
    {
        clock.update(NOW);
        open(new LogConfig().indexIntervalBytes(0).segmentIndexBytes(4 * OffsetIndex.ENTRY_SIZE));
        appendBatches(8, NOW, 0);

        // Every batch after a segment's first is indexed, so four batches fill the offset index; with one
        // timestamp the time index holds a single entry.
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(dir.resolve(SegmentFiles.name(10, ".log"))).exists();
        log.close();
        StoredLog.assertIndexesAgree(dir);
        log = null;
    }

    @Test
    void shouldForgetIdleProducersAfterProducerIdExpiration() throws IOException
    {
        clock.update(NOW);
        open(new LogConfig().producerIdExpirationMs(HOUR));
        assertThat(log.append(TestBatches.idempotent(3, (short)0, 0, 2, NOW), 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(log.append(TestBatches.idempotent(3, (short)0, 9, 1, NOW), 0, result))
            .isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);

        log.onTimer(NOW + HOUR);
        assertThat(log.append(TestBatches.idempotent(3, (short)0, 9, 1, NOW), 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(result.firstOffset).isEqualTo(2);
    }

    @Test
    void shouldDeleteSegmentsPastRetentionMsOnlyBelowTheHighWatermark() throws IOException
    {
        clock.update(NOW);
        open(smallSegments().retentionMs(HOUR));
        appendBatches(16, NOW - 3 * HOUR, 10 * 60 * 1000L);
        assertThat(log.segmentCount()).isEqualTo(4);

        log.onTimer(NOW);
        assertThat(log.segmentCount()).isEqualTo(4);

        log.highWatermark(log.logEndOffset());
        log.onTimer(NOW);
        // Batches are 10 minutes apart from 3 h ago, four to a segment: the last batch of the third segment is
        // 70 minutes old, the active segment's newest 30.
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(24);
        assertThat(log.read(23, 100, true, read)).isEqualTo(ErrorCodes.OFFSET_OUT_OF_RANGE);
        assertThat(log.read(24, 100, true, read)).isEqualTo(ErrorCodes.NONE);
        assertThat(filesEnding(".log.deleted")).isEqualTo(3);
    }

    @Test
    void shouldRollAndDeleteTheActiveSegmentWhenAllOfItExpired() throws IOException
    {
        clock.update(NOW);
        open(smallSegments().retentionMs(HOUR));
        appendBatches(6, NOW - 5 * HOUR, 0);
        log.highWatermark(log.logEndOffset());

        log.onTimer(NOW);
        assertThat(log.logStartOffset()).isEqualTo(12);
        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.append(TestBatches.batch(1, NOW), 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(result.firstOffset).isEqualTo(12);
    }

    @Test
    void shouldDeleteOldestSegmentsPastRetentionBytes() throws IOException
    {
        clock.update(NOW);
        open(smallSegments().retentionBytes(TestBatches.batch(2, 50, NOW).remaining() * 6L));
        appendBatches(16, NOW, 0);
        log.highWatermark(log.logEndOffset());

        log.onTimer(NOW);
        // Only whole segments go: 16 batches over a limit of 6 leave two segments of four.
        assertThat(log.sizeInBytes()).isEqualTo(TestBatches.batch(2, 50, NOW).remaining() * 8L);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(16);
    }

    @Test
    void shouldKeepDeletedSegmentsReadableUntilTheDeleteDelay() throws IOException
    {
        clock.update(NOW);
        open(smallSegments().retentionMs(HOUR));
        appendBatches(8, NOW - 2 * HOUR, 0);
        appendBatches(1, NOW, 0);
        log.highWatermark(log.logEndOffset());
        assertThat(log.read(0, Integer.MAX_VALUE, true, read)).isEqualTo(ErrorCodes.NONE);
        final ReadResult held = new ReadResult();
        held.channel = read.channel;
        held.position = read.position;
        held.length = read.length;

        log.onTimer(NOW);
        assertThat(log.logStartOffset()).isEqualTo(16);
        assertThat(TestBatches.batches(TestBatches.regionBytes(held))).hasSize(4);
        assertThat(filesEnding(".deleted")).isEqualTo(6);

        log.onTimer(NOW + 999);
        assertThat(held.channel.isOpen()).isTrue();
        log.onTimer(NOW + 1000);
        assertThat(held.channel.isOpen()).isFalse();
        assertThat(filesEnding(".deleted")).isZero();
        assertThat(dir.resolve(SegmentFiles.name(0, ".log"))).doesNotExist();
    }

    @Test
    void shouldMoveTheLogStartOnDeleteRecordsAndKeepItAcrossRestart() throws IOException
    {
        clock.update(NOW);
        open(smallSegments());
        appendBatches(12, NOW, 0);
        assertThat(log.deleteRecords(11)).isEqualTo(ErrorCodes.OFFSET_OUT_OF_RANGE);
        log.highWatermark(20);

        assertThat(log.deleteRecords(11)).isEqualTo(ErrorCodes.NONE);
        assertThat(log.logStartOffset()).isEqualTo(11);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(log.read(10, 100, true, read)).isEqualTo(ErrorCodes.OFFSET_OUT_OF_RANGE);
        assertThat(log.read(11, 100, true, read)).isEqualTo(ErrorCodes.NONE);
        assertThat(TestBatches.batches(TestBatches.regionBytes(read)).get(0).baseOffset()).isEqualTo(10);
        assertThat(log.deleteRecords(5)).isEqualTo(ErrorCodes.NONE);
        assertThat(log.logStartOffset()).isEqualTo(11);
        assertThat(log.deleteRecords(-1)).isEqualTo(ErrorCodes.NONE);
        assertThat(log.logStartOffset()).isEqualTo(20);

        log.close();
        open(smallSegments());
        assertThat(log.logStartOffset()).isEqualTo(20);
        assertThat(log.highWatermark()).isEqualTo(20);
        assertThat(log.logEndOffset()).isEqualTo(24);
    }

    @Test
    void shouldTruncateWithinAndAcrossSegmentsAndAppendAfter() throws IOException
    {
        clock.update(NOW);
        open(smallSegments());
        appendBatches(14, NOW, 1);
        log.highWatermark(28);
        log.force();
        assertThat(log.segmentCount()).isEqualTo(4);

        log.truncateTo(11);
        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(10);
        assertThat(log.recoveryPoint()).isEqualTo(10);
        assertThat(log.read(10, 100, true, read)).isEqualTo(ErrorCodes.NONE);
        assertThat(read.length).isZero();

        appendBatches(5, NOW + 100, 1);
        assertThat(result.lastOffset).isEqualTo(19);
        log.read(8, Integer.MAX_VALUE, true, read);
        final List<RecordBatch> batches = TestBatches.batches(TestBatches.regionBytes(read));
        assertThat(batches).extracting(RecordBatch::baseOffset).containsExactly(8L, 10L, 12L, 14L);
        final TimestampOffset max = log.maxTimestamp(new TimestampOffset());
        assertThat(max.timestamp).isEqualTo(NOW + 104);
        log.close();
        StoredLog.assertIndexesAgree(dir);
        log = null;
    }

    @Test
    void shouldTruncateFullyBelowTheLogStart() throws IOException
    {
        clock.update(NOW);
        open(smallSegments());
        appendBatches(6, NOW, 0);
        log.highWatermark(12);
        log.deleteRecords(8);

        log.truncateTo(3);
        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.segmentCount()).isEqualTo(1);
        appendBatches(1, NOW, 0);
        assertThat(result.firstOffset).isEqualTo(3);
        log.close();
        open(smallSegments());
        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(5);
    }

    @Test
    void shouldForceEveryFlushMessagesRecords() throws IOException
    {
        clock.update(NOW);
        open(new LogConfig().flushMessages(5));
        appendBatches(2, NOW, 0);
        assertThat(log.recoveryPoint()).isZero();
        appendBatches(1, NOW, 0);
        assertThat(log.recoveryPoint()).isEqualTo(6);
        appendBatches(2, NOW, 0);
        assertThat(log.recoveryPoint()).isEqualTo(6);
    }

    @Test
    void shouldForceAfterFlushMs() throws IOException
    {
        clock.update(NOW);
        open(new LogConfig().flushMs(500));
        appendBatches(3, NOW, 0);

        log.onTimer(NOW + 499);
        assertThat(log.recoveryPoint()).isZero();
        log.onTimer(NOW + 500);
        assertThat(log.recoveryPoint()).isEqualTo(6);
    }

    @Test
    void shouldForceManyAppendsAtOnce() throws IOException
    {
        clock.update(NOW);
        open(smallSegments());
        appendBatches(10, NOW, 0);
        assertThat(log.segmentCount()).isEqualTo(3);
        assertThat(log.recoveryPoint()).isZero();

        assertThat(log.force()).isEqualTo(ErrorCodes.NONE);
        assertThat(log.recoveryPoint()).isEqualTo(20);
    }

    @Test
    void shouldWriteCheckpointsAtomicallyAndMarkOnlyACleanClose() throws IOException
    {
        clock.update(NOW);
        open(new LogConfig().checkpointIntervalMs(1000));
        appendBatches(3, NOW, 0);
        log.highWatermark(4);
        log.force();
        log.onTimer(NOW + 1000);
        assertThat(Files.readAllLines(dir.resolve(PartitionCheckpoint.FILE_NAME)))
            .containsExactly("0", "recovery-point 6", "log-start-offset 0", "high-watermark 4");

        log.close();
        assertThat(Files.readAllLines(dir.resolve(PartitionCheckpoint.FILE_NAME))).contains("clean-end 6 " +
            Files.size(dir.resolve(SegmentFiles.name(0, ".log"))));
        assertThat(filesEnding(".tmp")).isZero();

        open(new LogConfig());
        assertThat(log.recoveryReport().clean).isTrue();
        assertThat(Files.readAllLines(dir.resolve(PartitionCheckpoint.FILE_NAME)))
            .noneMatch(line -> line.startsWith("clean-end"));
    }

    @Test
    void shouldIgnoreAHalfWrittenCheckpointTempFile() throws IOException
    {
        clock.update(NOW);
        open(new LogConfig());
        appendBatches(3, NOW, 0);
        log.highWatermark(6);
        log.close();
        Files.writeString(dir.resolve(PartitionCheckpoint.FILE_NAME + ".tmp"), "0\nrecovery-po");

        open(new LogConfig());
        assertThat(log.recoveryReport().clean).isTrue();
        assertThat(log.highWatermark()).isEqualTo(6);
        assertThat(dir.resolve(PartitionCheckpoint.FILE_NAME + ".tmp")).doesNotExist();
    }

    @Test
    void shouldReplaceACheckpointFileWholly() throws IOException
    {
        final Path file = dir.resolve("some.checkpoint");
        CheckpointFile.write(file, "first version, longer than the second\n");
        CheckpointFile.write(file, "second\n");

        assertThat(Files.readString(file)).isEqualTo("second\n");
        assertThat(dir.resolve("some.checkpoint.tmp")).doesNotExist();
    }

    @Test
    void shouldServeBytesAppendedFromADirectBuffer() throws IOException
    {
        clock.update(NOW);
        open(new LogConfig());
        final ByteBuffer heap = TestBatches.batch(3, NOW);
        final ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining() + 10);
        direct.position(10);
        direct.put(heap.duplicate()).position(10);

        assertThat(log.append(direct, 0, result)).isEqualTo(ErrorCodes.NONE);
        assertThat(direct.position()).isEqualTo(10);
        assertThat(direct.limit()).isEqualTo(heap.remaining() + 10);
        log.read(0, Integer.MAX_VALUE, true, read);
        final byte[] stored = TestBatches.bytes(TestBatches.regionBytes(read));
        assertThat(stored).isEqualTo(TestBatches.bytes(direct));
        assertThat(TestBatches.batches(ByteBuffer.wrap(stored)).get(0).isValid()).isTrue();
    }
}
