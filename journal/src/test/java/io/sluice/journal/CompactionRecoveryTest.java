package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.journal.KeyedRecords.Rec;
import io.sluice.journal.compaction.CleanerContext;
import io.sluice.journal.compaction.LogCleaner;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What recovery makes of a directory that a crash left in the middle of a cleaning: before the commit point the
 * log is as it was, after it the cleaning is finished, and in both cases nothing is lost.
 */
class CompactionRecoveryTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path root;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final AppendResult appendResult = new AppendResult();

    @Test
    void shouldFinishACleaningCommittedBeforeTheCrash() throws IOException
    {
        final Cleaned cleaned = cleanedLogWithCopyBefore();
        final Path crashed = cleaned.before;
        for (final Swap swap : cleaned.swaps)
        {
            Files.copy(swap.cleanedLog, SegmentFiles.swapPath(crashed, swap.base, swap.end));
        }

        try (PartitionLog log = PartitionLog.open(crashed, CompactionTest.compacted(), clock))
        {
            assertThat(log.recoveryReport().swapsCompleted).isEqualTo(cleaned.swaps.size());
            assertThat(log.recoveryReport().bytesTruncated).isZero();
            assertThat(KeyedRecords.readAll(log)).isEqualTo(cleaned.after);
            assertThat(log.cleanerOffset()).isGreaterThanOrEqualTo(cleaned.swaps.get(cleaned.swaps.size() - 1).end);
        }
        assertNoLeftovers(crashed);
        try (PartitionLog reopened = PartitionLog.open(crashed, CompactionTest.compacted(), clock))
        {
            assertThat(KeyedRecords.readAll(reopened)).isEqualTo(cleaned.after);
        }
    }

    @Test
    void shouldFinishACommittedCleaningWhoseSourcesWerePartlyRetired() throws IOException
    {
        final Cleaned cleaned = cleanedLogWithCopyBefore();
        final Path crashed = cleaned.before;
        final Swap first = cleaned.swaps.get(0);
        Files.copy(first.cleanedLog, SegmentFiles.swapPath(crashed, first.base, first.end));
        final Path source = SegmentFiles.path(crashed, first.base, SegmentFiles.LOG_SUFFIX);
        Files.move(source, source.resolveSibling(source.getFileName() + SegmentFiles.DELETED_SUFFIX));
        Files.copy(first.cleanedIndex, SegmentFiles.path(crashed, first.base, SegmentFiles.INDEX_SUFFIX),
            StandardCopyOption.REPLACE_EXISTING);

        try (PartitionLog log = PartitionLog.open(crashed, CompactionTest.compacted(), clock))
        {
            assertThat(log.recoveryReport().swapsCompleted).isEqualTo(1);
            final List<Rec> stored = KeyedRecords.readAll(log);
            assertThat(KeyedRecords.liveValues(stored)).isEqualTo(KeyedRecords.liveValues(cleaned.appended));
            assertThat(stored).containsAll(cleaned.after);
            assertThat(cleaned.appended).containsAll(stored);
        }
    }

    @Test
    void shouldForgetACleaningInterruptedBeforeItsCommitPoint() throws IOException
    {
        final Cleaned cleaned = cleanedLogWithCopyBefore();
        final Path crashed = cleaned.before;
        for (final Swap swap : cleaned.swaps)
        {
            Files.copy(swap.cleanedLog, crashed.resolve(
                SegmentFiles.name(swap.base, SegmentFiles.LOG_SUFFIX + ".7" + SegmentFiles.CLEANED_SUFFIX)));
            Files.copy(swap.cleanedIndex, crashed.resolve(
                SegmentFiles.name(swap.base, SegmentFiles.INDEX_SUFFIX + ".7" + SegmentFiles.CLEANED_SUFFIX)));
        }

        try (PartitionLog log = PartitionLog.open(crashed, CompactionTest.compacted(), clock))
        {
            assertThat(log.recoveryReport().swapsCompleted).isZero();
            assertThat(log.recoveryReport().foreignFiles).isZero();
            assertThat(KeyedRecords.readAll(log)).isEqualTo(cleaned.appended);
        }
        assertNoLeftovers(crashed);
    }

    @Test
    void shouldCutAGapAboveTheCleanerCheckpointAsCorruption() throws IOException
    {
        final Path dir = root.resolve("gap");
        clock.update(NOW);
        try (PartitionLog log = PartitionLog.open(dir, CompactionTest.compacted(), clock))
        {
            for (int i = 0; i < 10; i++)
            {
                assertThat(log.append(KeyedRecords.batch(Compression.NONE, NOW, "k" + i, "v"), 0, appendResult))
                    .isEqualTo(ErrorCodes.NONE);
            }
        }
        final Path segment = SegmentFiles.path(dir, 0, SegmentFiles.LOG_SUFFIX);
        final byte[] bytes = Files.readAllBytes(segment);
        final int fifth = batchPosition(bytes, 5);
        // A valid batch claiming offset 20 where 5 belongs: only cleaning may leave a gap, and only below its checkpoint.
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        new RecordBatchFlyweight().wrap(view, fifth).baseOffset(20);
        Files.write(segment, bytes);
        Files.delete(dir.resolve(PartitionCheckpoint.FILE_NAME));
        Files.writeString(dir.resolve(PartitionCheckpoint.FILE_NAME),
            "0\nrecovery-point 0\nlog-start-offset 0\nhigh-watermark 0\ncleaner-offset 3\n");

        try (PartitionLog log = PartitionLog.open(dir, CompactionTest.compacted(), clock))
        {
            assertThat(log.logEndOffset()).isEqualTo(5);
            assertThat(log.recoveryReport().bytesTruncated).isEqualTo(bytes.length - fifth);
        }
    }

    private static int batchPosition(final byte[] bytes, final int index)
    {
        final UnsafeBuffer view = new UnsafeBuffer(bytes);
        final RecordBatchFlyweight batch = new RecordBatchFlyweight();
        int position = 0;
        for (int i = 0; i < index; i++)
        {
            position += batch.wrap(view, position).totalLength();
        }
        return position;
    }

    private record Swap(long base, long end, Path cleanedLog, Path cleanedIndex)
    {
    }

    private record Cleaned(Path before, List<Rec> appended, List<Rec> after, List<Swap> swaps)
    {
    }

    /**
     * A compacted log cleaned once; a copy of its directory from just before the cleaning; the cleaned segments
     * that replaced several sources (copied aside, with the offset range each replaced); what was read before and
     * after.
     */
    private Cleaned cleanedLogWithCopyBefore() throws IOException
    {
        final Path dir = root.resolve("log");
        final Path aside = Files.createDirectories(root.resolve("aside"));
        clock.update(NOW);
        final LogConfig config = CompactionTest.compacted();
        try (LogCleaner cleaner = new LogCleaner(new CleanerContext().backoffMs(0).dedupeBufferSize(1 << 20));
            PartitionLog log = PartitionLog.open(dir, config, clock))
        {
            cleaner.register(log);
            final Random random = new Random(7);
            for (int b = 0; b < 700; b++)
            {
                final String value = random.nextInt(8) == 0 ? null : "value-" + b;
                assertThat(log.append(
                    KeyedRecords.batch(Compression.NONE, NOW, "key-" + random.nextInt(50), value, "x-" + b, "y"),
                    0, appendResult)).isEqualTo(ErrorCodes.NONE);
            }
            log.highWatermark(log.logEndOffset());
            log.force();
            final List<Rec> appended = KeyedRecords.readAll(log);
            final List<Path> sourcesBefore = StoredLog.files(dir, ".log");
            final Path before = StoredLog.copyAsCrashed(dir, root.resolve("before"));

            KeyedRecords.cleanOnce(log, cleaner, clock::time);

            final List<Rec> after = KeyedRecords.readAll(log);
            final List<Path> logsAfter = StoredLog.files(dir, ".log");
            final List<Swap> swaps = new ArrayList<>();
            for (int i = 0; i + 1 < logsAfter.size(); i++)
            {
                final long base = StoredLog.baseOffset(logsAfter.get(i));
                final long end = StoredLog.baseOffset(logsAfter.get(i + 1));
                final Path log0 = Files.copy(logsAfter.get(i), aside.resolve(base + ".log"));
                final Path index = Files.copy(StoredLog.sibling(logsAfter.get(i), ".index"), aside.resolve(base + ".index"));
                swaps.add(new Swap(base, end, log0, index));
            }
            assertThat(logsAfter.size()).as("cleaning merged or shrank segments").isLessThanOrEqualTo(sourcesBefore.size());
            assertThat(after.size()).isLessThan(appended.size());
            return new Cleaned(before, appended, after, swaps);
        }
    }

    private static void assertNoLeftovers(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            assertThat(files.map(f -> f.getFileName().toString())
                .filter(n -> n.endsWith(".swap") || n.endsWith(".cleaned") || n.endsWith(".deleted")).toList())
                .isEmpty();
        }
    }
}
