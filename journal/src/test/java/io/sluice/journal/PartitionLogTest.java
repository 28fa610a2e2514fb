package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionLogTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final AppendResult appendResult = new AppendResult();
    private final ReadResult readResult = new ReadResult();
    private PartitionLog log;

    private PartitionLog open(final LogConfig config) throws Exception
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

    @Test
    void shouldStartEmpty() throws Exception
    {
        open(new LogConfig());

        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.highWatermark()).isZero();
        assertThat(log.read(0, 1000, true, readResult)).isEqualTo(ErrorCodes.NONE);
        assertThat(readResult.length).isZero();
        assertThat(Files.exists(dir.resolve("00000000000000000000.log"))).isTrue();
    }

    @Test
    void shouldAssignContiguousOffsetsAndStampThemInPlace() throws Exception
    {
        open(new LogConfig());
        final ByteBuffer first = TestBatches.batch(3, NOW);
        final ByteBuffer second = TestBatches.concat(TestBatches.batch(2, NOW), TestBatches.batch(4, NOW));

        assertThat(log.append(first, 7, appendResult)).isEqualTo(ErrorCodes.NONE);
        assertThat(appendResult.firstOffset).isZero();
        assertThat(appendResult.lastOffset).isEqualTo(2);
        assertThat(appendResult.batchCount).isEqualTo(1);
        assertThat(appendResult.recordCount).isEqualTo(3);
        assertThat(appendResult.bytesWritten).isEqualTo(first.remaining());

        final int position = second.position();
        final int limit = second.limit();
        assertThat(log.append(second, 7, appendResult)).isEqualTo(ErrorCodes.NONE);
        assertThat(appendResult.firstOffset).isEqualTo(3);
        assertThat(appendResult.lastOffset).isEqualTo(8);
        assertThat(appendResult.batchCount).isEqualTo(2);
        assertThat(second.position()).isEqualTo(position);
        assertThat(second.limit()).isEqualTo(limit);
        final RecordBatchFlyweight stamped = new RecordBatchFlyweight().wrap(second, 0);
        assertThat(stamped.baseOffset()).isEqualTo(3);
        assertThat(stamped.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(log.logEndOffset()).isEqualTo(9);

        assertThat(log.read(0, Integer.MAX_VALUE, true, readResult)).isEqualTo(ErrorCodes.NONE);
        final ByteBuffer stored = TestBatches.regionBytes(readResult);
        assertThat(TestBatches.bytes(stored)).isEqualTo(TestBatches.bytes(TestBatches.concat(first, second)));
        final List<RecordBatch> batches = TestBatches.batches(stored);
        assertThat(batches).extracting(RecordBatch::baseOffset).containsExactly(0L, 3L, 5L);
        assertThat(batches).allSatisfy(b ->
        {
            assertThat(b.isValid()).isTrue();
            assertThat(b.partitionLeaderEpoch()).isEqualTo(7);
        });
    }

    @Test
    void shouldReadFromTheBatchHoldingTheOffsetWithinAByteLimit() throws Exception
    {
        open(new LogConfig().indexIntervalBytes(200));
        final List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            final ByteBuffer batch = TestBatches.batch(2, 40, NOW);
            sizes.add(batch.remaining());
            assertThat(log.append(batch, 0, appendResult)).isEqualTo(ErrorCodes.NONE);
        }

        for (long offset = 0; offset < 100; offset++)
        {
            assertThat(log.read(offset, sizes.get(0) * 3 + 5, false, readResult)).isEqualTo(ErrorCodes.NONE);
            final List<RecordBatch> batches = TestBatches.batches(TestBatches.regionBytes(readResult));
            assertThat(batches).hasSize((int)Math.min(3, 50 - offset / 2));
            assertThat(batches.get(0).baseOffset()).isEqualTo(offset - offset % 2);
            assertThat(readResult.length).isEqualTo(batches.stream().mapToInt(RecordBatch::sizeInBytes).sum());
            assertThat(readResult.nextOffset).isEqualTo(batches.get(batches.size() - 1).lastOffset() + 1);
        }
        assertThat(log.read(100, 1000, true, readResult)).isEqualTo(ErrorCodes.NONE);
        assertThat(readResult.length).isZero();
        assertThat(readResult.nextOffset).isEqualTo(100);
        assertThat(readResult.logEndOffset).isEqualTo(100);
        assertThat(log.read(101, 1000, true, readResult)).isEqualTo(ErrorCodes.OFFSET_OUT_OF_RANGE);
        assertThat(log.read(-1, 1000, true, readResult)).isEqualTo(ErrorCodes.OFFSET_OUT_OF_RANGE);
    }

    /**
     * Lookups start from the latest append or the end of the latest read when that is past the index entry; whatever
     * order reads, appends and truncations come in, each read must still start at the batch holding its offset.
     */
    @Test
    void shouldFindTheBatchHoldingEachOffsetWhateverOrderReadsAppendsAndTruncationsComeIn() throws Exception
    {
        open(new LogConfig().indexIntervalBytes(1000));
        final Random random = new Random(7);
        final List<long[]> batches = new ArrayList<>();
        long end = 0;
        long next = 0;
        int appendsOnly = 0;
        long readEndBeforeCut = -1;
        for (int round = 0; round < 400; round++)
        {
            final int records = 1 + random.nextInt(3);
            assertThat(log.append(TestBatches.batch(records, 40, NOW), 0, appendResult)).isEqualTo(ErrorCodes.NONE);
            batches.add(new long[] {end, records});
            end += records;
            if (round % 100 == 99)
            {
                final long[] cut = holding(batches, end - 1 - random.nextInt((int)Math.min(end, 20)));
                batches.subList(batches.indexOf(cut), batches.size()).clear();
                end = cut[0];
                readEndBeforeCut = readEndBeforeCut(end);
                next = Math.min(next, end);
                appendsOnly = 10;
            }
            // After a truncation, appends only for a while, then a read where the last read before it ended: the
            // position remembered for that offset would by then point into the middle of a new batch.
            if (appendsOnly > 0 && --appendsOnly > 0)
            {
                continue;
            }
            for (int read = 0; read < 3 && end > 0; read++)
            {
                final long offset = read == 0 && readEndBeforeCut >= 0 && readEndBeforeCut < end ? readEndBeforeCut
                    : random.nextBoolean() && next < end ? next : random.nextLong(end);
                readEndBeforeCut = -1;
                assertThat(log.read(offset, 300, true, readResult)).isEqualTo(ErrorCodes.NONE);
                final List<RecordBatch> region = TestBatches.batches(TestBatches.regionBytes(readResult));
                assertThat(region.get(0).baseOffset()).as("read of %d in round %d", offset, round)
                    .isEqualTo(holding(batches, offset)[0]);
                assertThat(readResult.nextOffset).isEqualTo(region.get(region.size() - 1).lastOffset() + 1);
                next = readResult.nextOffset;
            }
        }
    }

    /** Read to the log end (so the read-end position is past the coming cut) and cut the log back to {@code end}. */
    private long readEndBeforeCut(final long end)
    {
        assertThat(log.read(log.logEndOffset() - 1, Integer.MAX_VALUE, true, readResult)).isEqualTo(ErrorCodes.NONE);
        log.truncateTo(end);
        return readResult.nextOffset;
    }

    private static long[] holding(final List<long[]> batches, final long offset)
    {
        return batches.stream().filter(b -> b[0] <= offset && offset < b[0] + b[1]).findFirst().orElseThrow();
    }

    @Test
    void shouldReturnOneWholeBatchLargerThanTheLimitOnlyWhenAsked() throws Exception
    {
        open(new LogConfig());
        final ByteBuffer batch = TestBatches.batch(5, 100, NOW);
        log.append(batch, 0, appendResult);

        assertThat(log.read(0, 10, false, readResult)).isEqualTo(ErrorCodes.NONE);
        assertThat(readResult.length).isZero();
        assertThat(readResult.nextOffset).isZero();
        assertThat(log.read(2, 10, true, readResult)).isEqualTo(ErrorCodes.NONE);
        assertThat(readResult.length).isEqualTo(batch.remaining());
        assertThat(readResult.nextOffset).isEqualTo(5);
    }

    @Test
    void shouldRollSegmentsBySizeAndReadAcrossThem() throws Exception
    {
        final int batchBytes = TestBatches.batch(1, 100, NOW).remaining();
        open(new LogConfig().segmentBytes(batchBytes * 3).indexIntervalBytes(0));
        for (int i = 0; i < 10; i++)
        {
            assertThat(log.append(TestBatches.batch(1, 100, NOW), 0, appendResult)).isEqualTo(ErrorCodes.NONE);
        }

        assertThat(log.segmentCount()).isEqualTo(4);
        assertThat(Files.exists(dir.resolve("00000000000000000003.log"))).isTrue();
        assertThat(Files.exists(dir.resolve("00000000000000000009.index"))).isTrue();
        assertThat(Files.size(dir.resolve("00000000000000000003.index"))).isEqualTo(2 * OffsetIndex.ENTRY_SIZE);
        for (long offset = 0; offset < 10; offset++)
        {
            assertThat(log.read(offset, Integer.MAX_VALUE, true, readResult)).isEqualTo(ErrorCodes.NONE);
            final List<RecordBatch> batches = TestBatches.batches(TestBatches.regionBytes(readResult));
            assertThat(batches.get(0).baseOffset()).isEqualTo(offset);
            assertThat(batches.get(batches.size() - 1).lastOffset()).isEqualTo(Math.min(offset / 3 * 3 + 2, 9));
            assertThat(readResult.nextOffset).as("next offset from " + offset).isEqualTo(Math.min(offset / 3 * 3 + 3, 10));
        }
    }

    @Test
    void shouldRefuseARequestLargerThanASegment() throws Exception
    {
        final ByteBuffer batch = TestBatches.batch(10, 100, NOW);
        open(new LogConfig().segmentBytes(batch.remaining() - 1));

        assertThat(log.append(batch, 0, appendResult)).isEqualTo(ErrorCodes.RECORD_LIST_TOO_LARGE);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldReopenCleanlyWithoutRecovery() throws Exception
    {
        open(new LogConfig().segmentBytes(2000).indexIntervalBytes(100));
        final ByteBuffer all = ByteBuffer.allocate(64 * 1024);
        for (int i = 0; i < 40; i++)
        {
            final ByteBuffer batch = TestBatches.batch(3, 30, NOW + i);
            log.append(batch, 1, appendResult);
            all.put(batch.duplicate());
        }
        log.highWatermark(100);
        log.close();

        open(new LogConfig().segmentBytes(2000).indexIntervalBytes(100));
        assertThat(log.recoveryReport().clean).isTrue();
        assertThat(log.recoveryReport().toString()).isEqualTo("clean");
        assertThat(log.logEndOffset()).isEqualTo(120);
        assertThat(log.highWatermark()).isEqualTo(100);
        assertThat(log.recoveryPoint()).isEqualTo(120);
        assertThat(readAll()).isEqualTo(TestBatches.bytes(all.flip()));

        assertThat(log.append(TestBatches.batch(1, NOW), 1, appendResult)).isEqualTo(ErrorCodes.NONE);
        assertThat(appendResult.firstOffset).isEqualTo(120);
    }

    @Test
    void shouldForceAndAdvanceTheRecoveryPoint() throws Exception
    {
        open(new LogConfig());
        log.append(TestBatches.batch(4, NOW), 0, appendResult);
        assertThat(log.recoveryPoint()).isZero();

        assertThat(log.force()).isEqualTo(ErrorCodes.NONE);
        assertThat(log.recoveryPoint()).isEqualTo(4);
    }

    @Test
    void shouldKeepHighWatermarkWithinTheLog() throws Exception
    {
        open(new LogConfig());
        log.append(TestBatches.batch(4, NOW), 0, appendResult);

        log.highWatermark(10);
        assertThat(log.highWatermark()).isEqualTo(4);
        log.highWatermark(2);
        assertThat(log.highWatermark()).isEqualTo(2);
    }

    /** Every byte of the log, segment by segment, through the read path. */
    byte[] readAll() throws Exception
    {
        final ByteBuffer all = ByteBuffer.allocate((int)log.sizeInBytes());
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset())
        {
            assertThat(log.read(offset, Integer.MAX_VALUE, true, readResult)).isEqualTo(ErrorCodes.NONE);
            final ByteBuffer region = TestBatches.regionBytes(readResult);
            final List<RecordBatch> batches = TestBatches.batches(region.duplicate());
            all.put(region);
            offset = batches.get(batches.size() - 1).lastOffset() + 1;
        }
        return TestBatches.bytes(all.flip());
    }
}
