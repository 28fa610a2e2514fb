package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery after a crash, simulated by copying the directory of an open log (what the page cache holds) and
 * then damaging the copy the way a crash or a stray process could.
 */
class RecoveryTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path root;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final AppendResult appendResult = new AppendResult();
    private final List<byte[]> appended = new ArrayList<>();
    private final List<PartitionLog> logs = new ArrayList<>();

    @AfterEach
    void closeLogs()
    {
        logs.forEach(PartitionLog::close);
    }

    private LogConfig config()
    {
        return new LogConfig().segmentBytes(4096).indexIntervalBytes(256);
    }

    private PartitionLog open(final Path dir) throws IOException
    {
        clock.update(NOW);
        final PartitionLog log = PartitionLog.open(dir, config(), clock);
        logs.add(log);
        return log;
    }

    /** A log of {@code batches} batches of 3 records, forced or not, copied as a crash would leave it. */
    private Path crashedLog(final int batches, final boolean force) throws IOException
    {
        final PartitionLog log = open(root.resolve("live"));
        for (int i = 0; i < batches; i++)
        {
            final ByteBuffer batch = TestBatches.batch(3, 40, NOW + i);
            assertThat(log.append(batch, 0, appendResult)).isEqualTo(ErrorCodes.NONE);
            appended.add(TestBatches.bytes(batch));
        }
        if (force)
        {
            assertThat(log.force()).isEqualTo(ErrorCodes.NONE);
        }
        return StoredLog.copyAsCrashed(root.resolve("live"), root.resolve("crashed"));
    }

    private static Path lastLogFile(final Path dir) throws IOException
    {
        final List<Path> logs = StoredLog.files(dir, ".log");
        return logs.get(logs.size() - 1);
    }

    private void assertStoredBatches(final Path dir, final int count) throws IOException
    {
        final List<StoredLog.Batch> stored = StoredLog.scan(dir);
        assertThat(stored).hasSize(count);
        for (int i = 0; i < count; i++)
        {
            assertThat(stored.get(i).bytes).isEqualTo(appended.get(i));
            assertThat(stored.get(i).baseOffset).isEqualTo(3L * i);
        }
        StoredLog.assertIndexesAgree(dir);
    }

    @Test
    void shouldRecoverEveryBatchOfAnUncleanButIntactLog() throws IOException
    {
        final Path dir = crashedLog(60, true);

        final PartitionLog log = open(dir);
        assertThat(log.recoveryReport().clean).isFalse();
        assertThat(log.recoveryReport().bytesTruncated).isZero();
        assertThat(log.recoveryReport().truncatedToOffset).isEqualTo(-1);
        assertThat(log.recoveryReport().batchesScanned).isEqualTo(60);
        assertThat(log.logEndOffset()).isEqualTo(180);
        assertThat(log.recoveryPoint()).isEqualTo(180);
        log.close();
        assertStoredBatches(dir, 60);
    }

    @Test
    void shouldTruncateTornTail() throws IOException
    {
        final Path dir = crashedLog(30, false);
        final Path last = lastLogFile(dir);
        final long size = Files.size(last);
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE))
        {
            channel.truncate(size - 10);
        }

        final PartitionLog log = open(dir);
        final RecoveryReport report = log.recoveryReport();
        assertThat(report.bytesTruncated).isEqualTo(appended.get(29).length - 10);
        assertThat(report.truncatedToOffset).isEqualTo(87);
        assertThat(log.logEndOffset()).isEqualTo(87);
        assertThat(report.toString()).contains("truncated", "to offset 87");
        log.close();
        assertStoredBatches(dir, 29);
    }

    @Test
    void shouldTruncateGarbageAfterTheLastGoodBatch() throws IOException
    {
        final Path dir = crashedLog(30, true);
        final byte[] garbage = new byte[300];
        for (int i = 0; i < garbage.length; i++)
        {
            garbage[i] = (byte)(i * 31 + 7);
        }
        Files.write(lastLogFile(dir), garbage, StandardOpenOption.APPEND);

        final PartitionLog log = open(dir);
        assertThat(log.recoveryReport().bytesTruncated).isEqualTo(300);
        assertThat(log.logEndOffset()).isEqualTo(90);
        log.close();
        assertStoredBatches(dir, 30);
    }

    @Test
    void shouldTruncateZeroesAfterTheLastGoodBatch() throws IOException
    {
        final Path dir = crashedLog(10, true);
        Files.write(lastLogFile(dir), new byte[4000], StandardOpenOption.APPEND);

        final PartitionLog log = open(dir);
        assertThat(log.recoveryReport().bytesTruncated).isEqualTo(4000);
        assertThat(log.logEndOffset()).isEqualTo(30);
        log.close();
        assertStoredBatches(dir, 10);
    }

    @Test
    void shouldCutAtACorruptBatchInTheTailAndDropLaterSegments() throws IOException
    {
        final Path dir = crashedLog(60, false);
        final List<StoredLog.Batch> before = StoredLog.scan(dir);
        final StoredLog.Batch victim = before.get(20);
        final Path segment = dir.resolve(SegmentFiles.name(victim.segmentBase, ".log"));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, victim.position + 70);
            one.put(0, (byte)(one.get(0) ^ 0x10)).rewind();
            channel.write(one, victim.position + 70);
        }
        final int segmentsBefore = StoredLog.files(dir, ".log").size();

        final PartitionLog log = open(dir);
        assertThat(log.logEndOffset()).isEqualTo(60);
        assertThat(log.recoveryReport().truncatedToOffset).isEqualTo(60);
        assertThat(log.segmentCount()).isLessThan(segmentsBefore);
        assertThat(log.recoveryReport().bytesTruncated)
            .isEqualTo(before.stream().skip(20).mapToLong(b -> b.bytes.length).sum());
        log.close();
        assertStoredBatches(dir, 20);
        try (var files = Files.list(dir))
        {
            assertThat(files.filter(f -> f.toString().endsWith(".deleted"))).isEmpty();
        }
    }

    @Test
    void shouldRebuildMissingIndexOfATrustedSegment() throws IOException
    {
        final Path live = root.resolve("live");
        final PartitionLog first = open(live);
        for (int i = 0; i < 60; i++)
        {
            final ByteBuffer batch = TestBatches.batch(3, 40, NOW + i);
            first.append(batch, 0, appendResult);
            appended.add(TestBatches.bytes(batch));
        }
        first.close();
        final Path firstIndex = live.resolve(SegmentFiles.name(0, ".index"));
        final long indexSize = Files.size(firstIndex);
        assertThat(indexSize).isPositive();
        Files.delete(firstIndex);
        Files.delete(live.resolve(SegmentFiles.name(0, ".timeindex")));

        final PartitionLog log = open(live);
        assertThat(log.recoveryReport().indexesRebuilt).isEqualTo(1);
        assertThat(log.recoveryReport().bytesTruncated).isZero();
        assertThat(log.logEndOffset()).isEqualTo(180);
        log.close();
        assertThat(Files.size(firstIndex)).isEqualTo(indexSize);
        assertStoredBatches(live, 60);
    }

    @Test
    void shouldRebuildTruncatedIndex() throws IOException
    {
        final Path live = root.resolve("live");
        final PartitionLog first = open(live);
        for (int i = 0; i < 60; i++)
        {
            final ByteBuffer batch = TestBatches.batch(3, 40, NOW + i);
            first.append(batch, 0, appendResult);
            appended.add(TestBatches.bytes(batch));
        }
        first.close();
        final Path firstIndex = live.resolve(SegmentFiles.name(0, ".index"));
        final long indexSize = Files.size(firstIndex);
        try (FileChannel channel = FileChannel.open(firstIndex, StandardOpenOption.WRITE))
        {
            channel.truncate(indexSize - 3);
        }

        final PartitionLog log = open(live);
        assertThat(log.recoveryReport().indexesRebuilt).isEqualTo(1);
        assertThat(log.recoveryReport().clean).isFalse();
        final ReadResult read = new ReadResult();
        for (long offset = 0; offset < 180; offset += 7)
        {
            assertThat(log.read(offset, 1, true, read)).isEqualTo(ErrorCodes.NONE);
            assertThat(TestBatches.batches(TestBatches.regionBytes(read)).get(0).baseOffset()).isEqualTo(offset / 3 * 3);
        }
        log.close();
        assertThat(Files.size(firstIndex)).isEqualTo(indexSize);
        assertStoredBatches(live, 60);
    }

    @Test
    void shouldRebuildAnIndexThatPointsAtNoBatch() throws IOException
    {
        final Path live = root.resolve("live");
        final PartitionLog first = open(live);
        for (int i = 0; i < 60; i++)
        {
            final ByteBuffer batch = TestBatches.batch(3, 40, NOW + i);
            first.append(batch, 0, appendResult);
            appended.add(TestBatches.bytes(batch));
        }
        first.close();
        final Path firstIndex = live.resolve(SegmentFiles.name(0, ".index"));
        final long entries = Files.size(firstIndex) / 8;
        try (FileChannel channel = FileChannel.open(firstIndex, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(4).putInt(0, 1000), (entries - 1) * 8 + 4);
        }

        final PartitionLog log = open(live);
        assertThat(log.recoveryReport().indexesRebuilt).isEqualTo(1);
        log.close();
        assertStoredBatches(live, 60);
    }

    @Test
    void shouldCountAndKeepForeignFilesAndRemoveLeftovers() throws IOException
    {
        final Path dir = crashedLog(10, true);
        Files.writeString(dir.resolve("notes.txt"), "hello");
        Files.createDirectory(dir.resolve("subdir"));
        Files.writeString(dir.resolve("123.log"), "not a segment");
        Files.writeString(dir.resolve("partition.checkpoint.tmp"), "half-written");
        Files.writeString(dir.resolve(SegmentFiles.name(500, ".log.deleted")), "old");
        Files.writeString(dir.resolve(SegmentFiles.name(900, ".index")), "orphan");

        final PartitionLog log = open(dir);
        assertThat(log.recoveryReport().foreignFiles).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(30);
        log.close();
        assertThat(dir.resolve("notes.txt")).exists();
        assertThat(dir.resolve("subdir")).exists();
        assertThat(dir.resolve("123.log")).exists();
        assertThat(dir.resolve("partition.checkpoint.tmp")).doesNotExist();
        assertThat(dir.resolve(SegmentFiles.name(500, ".log.deleted"))).doesNotExist();
        assertThat(dir.resolve(SegmentFiles.name(900, ".index"))).doesNotExist();
        assertStoredBatches(dir, 10);
    }

    @Test
    void shouldTrustSegmentsBelowTheCheckpointedRecoveryPoint() throws IOException
    {
        final Path live = root.resolve("live");
        final PartitionLog first = open(live);
        for (int i = 0; i < 60; i++)
        {
            final ByteBuffer batch = TestBatches.batch(3, 40, NOW + i);
            first.append(batch, 0, appendResult);
            appended.add(TestBatches.bytes(batch));
        }
        first.force();
        clock.update(NOW + config().checkpointIntervalMs());
        first.onTimer(clock.time());
        final Path dir = StoredLog.copyAsCrashed(live, root.resolve("crashed"));

        final PartitionLog log = open(dir);
        assertThat(log.recoveryReport().clean).isFalse();
        assertThat(log.recoveryReport().batchesScanned).isLessThan(60).isPositive();
        assertThat(log.logEndOffset()).isEqualTo(180);
        log.close();
        assertStoredBatches(dir, 60);
    }

    @Test
    void shouldRecoverFullyWhenTheCheckpointIsUnreadable() throws IOException
    {
        final Path dir = crashedLog(20, true);
        Files.writeString(dir.resolve(PartitionCheckpoint.FILE_NAME), "garbage\n");

        final PartitionLog log = open(dir);
        assertThat(log.recoveryReport().batchesScanned).isEqualTo(20);
        assertThat(log.logEndOffset()).isEqualTo(60);
        log.close();
        assertStoredBatches(dir, 20);
    }

    @Test
    void shouldRecoverAfterACrashRightAfterARoll() throws IOException
    {
        final Path dir = crashedLog(60, true);
        final Path extra = dir.resolve(SegmentFiles.name(180, ".log"));
        Files.createFile(extra);

        final PartitionLog log = open(dir);
        assertThat(log.logEndOffset()).isEqualTo(180);
        assertThat(log.append(TestBatches.batch(1, NOW), 0, appendResult)).isEqualTo(ErrorCodes.NONE);
        assertThat(appendResult.firstOffset).isEqualTo(180);
        log.close();
        assertThat(Files.size(extra)).isPositive();
    }
}
