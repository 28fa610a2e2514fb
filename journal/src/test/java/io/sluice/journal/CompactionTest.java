package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.KeyedRecords.Rec;
import io.sluice.journal.compaction.CleanerContext;
import io.sluice.journal.compaction.LogCleaner;
import org.agrona.concurrent.CachedEpochClock;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Log compaction end to end on one thread: the log's timer and the cleaner's duty cycles are driven in turn, so
 * every step is deterministic. What a full read returns is parsed by Kafka's own client code.
 */
class CompactionTest
{
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final AppendResult appendResult = new AppendResult();
    private final List<Rec> appended = new ArrayList<>();
    private final Random random = new Random(42);
    private LogCleaner cleaner;
    private PartitionLog log;

    static LogConfig compacted()
    {
        return new LogConfig()
            .segmentBytes(4096)
            .indexIntervalBytes(256)
            .segmentIndexBytes(4096)
            .cleanupPolicy("compact")
            .minCleanableDirtyRatio(0.01)
            .deleteRetentionMs(60_000)
            .fileDeleteDelayMs(0);
    }

    private PartitionLog open(final LogConfig config) throws IOException
    {
        clock.update(NOW);
        log = PartitionLog.open(dir, config, clock);
        cleaner = new LogCleaner(new CleanerContext().backoffMs(0).ioBufferSize(4096).dedupeBufferSize(1 << 20));
        cleaner.register(log);
        return log;
    }

    @AfterEach
    void close()
    {
        if (log != null)
        {
            log.close();
        }
        if (cleaner != null)
        {
            cleaner.close();
        }
    }

    @Test
    void shouldKeepOnlyTheLatestRecordOfEachKeyAtItsOriginalOffset() throws IOException
    {
        open(compacted());
        appendUpdates(1500, 120, 0.1, Compression.NONE);
        final Path active = activeSegmentFile();
        final byte[] activeBytes = Files.readAllBytes(active);
        final long sizeBefore = log.sizeInBytes();
        final int segmentsBefore = log.segmentCount();

        clean();

        final List<Rec> stored = KeyedRecords.readAll(log);
        assertOriginal(stored);
        assertDeduplicatedBelow(stored, log.cleanerOffset(), true);
        assertThat(log.cleanerOffset()).isEqualTo(segmentBase(log.segmentCount() - 1));
        assertThat(KeyedRecords.liveValues(stored)).isEqualTo(KeyedRecords.liveValues(appended));
        assertThat(Files.readAllBytes(active)).as("active segment untouched").isEqualTo(activeBytes);
        assertThat(log.sizeInBytes()).isLessThan(sizeBefore / 2);
        assertThat(log.segmentCount()).isLessThanOrEqualTo(segmentsBefore);
        assertThat(StoredLog.files(dir, ".log.deleted")).isEmpty();
        assertThat(directorySize()).isLessThan(sizeBefore);
        log.close();
        StoredLog.assertIndexesAgree(dir);
        log = null;
    }

    @Test
    void shouldReadTheSameAfterACleanReopenAndAfterACrash() throws IOException
    {
        open(compacted());
        appendUpdates(800, 60, 0.15, Compression.NONE);
        clean();
        final List<Rec> stored = KeyedRecords.readAll(log);

        final Path crashed = StoredLog.copyAsCrashed(dir, dir.resolveSibling(dir.getFileName() + "-crashed"));
        log.close();
        log = PartitionLog.open(dir, compacted(), clock);
        assertThat(log.recoveryReport().clean).isTrue();
        assertThat(KeyedRecords.readAll(log)).isEqualTo(stored);

        try (PartitionLog recovered = PartitionLog.open(crashed, compacted(), clock))
        {
            assertThat(recovered.recoveryReport().clean).isFalse();
            assertThat(recovered.recoveryReport().bytesTruncated).as(recovered.recoveryReport().toString()).isZero();
            assertThat(recovered.logEndOffset()).isEqualTo(appended.size());
            assertThat(KeyedRecords.readAll(recovered)).isEqualTo(stored);
        }
    }

    @Test
    void shouldKeepTombstonesUntilDeleteRetentionHasPassedSinceTheirFirstCleaning() throws IOException
    {
        open(compacted());
        appendUpdates(600, 40, 0.3, Compression.NONE);
        clean();
        final List<Rec> firstRound = KeyedRecords.readAll(log);
        final Set<String> tombstoned = new HashSet<>();
        for (final Rec record : KeyedRecords.latestByKey(appended).values())
        {
            if (record.value() == null && record.offset() < log.cleanerOffset())
            {
                tombstoned.add(record.key());
            }
        }
        assertThat(tombstoned).isNotEmpty();
        assertThat(firstRound.stream().filter(r -> r.value() == null).map(Rec::key).toList())
            .containsAll(tombstoned);

        clock.update(NOW + 59_000);
        appendFresh(200);
        clean();
        assertThat(KeyedRecords.readAll(log).stream().filter(r -> r.value() == null).map(Rec::key).toList())
            .as("within delete.retention.ms").containsAll(tombstoned);

        clock.update(NOW + 60_001);
        appendFresh(200);
        clean();
        final List<Rec> afterHorizon = KeyedRecords.readAll(log);
        final Set<String> keysLeft = new HashSet<>();
        afterHorizon.forEach(r -> keysLeft.add(r.key()));
        for (final String key : tombstoned)
        {
            assertThat(keysLeft).as("key %s", key).doesNotContain(key);
        }
        assertOriginal(afterHorizon);
        assertThat(KeyedRecords.liveValues(afterHorizon)).isEqualTo(KeyedRecords.liveValues(appended));
    }

    @Test
    void shouldKeepEveryRecordsTimestampWhenStampingADeleteHorizon() throws IOException
    {
        open(compacted());
        appendUpdates(300, 30, 0.5, Compression.NONE);
        clean();
        final List<RecordBatch> batches = new ArrayList<>();
        final List<Rec> stored = KeyedRecords.readAll(log, batches);
        assertOriginal(stored);
        assertThat(batches.stream().filter(b -> b.deleteHorizonMs().isPresent()).toList())
            .isNotEmpty()
            .allSatisfy(b -> assertThat(b.deleteHorizonMs().getAsLong()).isEqualTo(NOW + 60_000));
    }

    @Test
    void shouldWaitForTheDirtyRatio() throws IOException
    {
        open(compacted().minCleanableDirtyRatio(0.5));
        appendUpdates(400, 50, 0.0, Compression.NONE);
        clean();
        final long cleanBytes = log.sizeInBytes();

        appendUpdates(20, 50, 0.0, Compression.NONE);
        assertThat(KeyedRecords.cleansWithin(log, cleaner, clock::time, 50)).as("little dirt").isFalse();

        appendUpdates((int)(cleanBytes / 40), 50, 0.0, Compression.NONE);
        clean();
        assertDeduplicatedBelow(KeyedRecords.readAll(log), log.cleanerOffset(), true);
    }

    @Test
    void shouldCleanAnOverdueLogWhateverItsDirtyRatio() throws IOException
    {
        open(compacted().minCleanableDirtyRatio(0.99).maxCompactionLagMs(10_000));
        appendUpdates(400, 50, 0.0, Compression.NONE);
        assertThat(KeyedRecords.cleansWithin(log, cleaner, clock::time, 50)).isTrue();
        appendUpdates(400, 50, 0.0, Compression.NONE);
        assertThat(KeyedRecords.cleansWithin(log, cleaner, clock::time, 50)).as("not yet overdue").isFalse();
        clock.update(NOW + 10_001);
        clean();
    }

    @Test
    void shouldNotCleanSegmentsYoungerThanTheMinimumCompactionLag() throws IOException
    {
        open(compacted().minCompactionLagMs(10_000));
        appendUpdates(400, 50, 0.0, Compression.NONE);
        final long oldEnd = log.logEndOffset();
        clock.update(NOW + 5_000);
        appendUpdates(400, 50, 0.0, Compression.NONE);
        clock.update(NOW + 11_000);

        clean();

        final long cleanerOffset = log.cleanerOffset();
        assertThat(cleanerOffset).isLessThanOrEqualTo(oldEnd + 5).isGreaterThan(oldEnd / 2);
        final List<Rec> stored = KeyedRecords.readAll(log);
        assertOriginal(stored);
        final long youngStart = segmentBaseAtOrBelow(oldEnd + 1);
        assertThat(stored.stream().filter(r -> r.offset() >= youngStart).count())
            .as("records younger than the lag are all still there")
            .isEqualTo(appended.stream().filter(r -> r.offset() >= youngStart).count());
    }

    @Test
    void shouldMergeSegmentsThatCleaningShrank() throws IOException
    {
        open(compacted());
        appendUpdates(1500, 20, 0.0, Compression.NONE);
        clean();
        final int afterFirst = log.segmentCount();
        appendUpdates(400, 20, 0.0, Compression.NONE);
        final int beforeSecond = log.segmentCount();
        clean();
        // The first round shrinks but does not merge (groups are sized by their sources, as Kafka's); the second
        // merges every segment the first one shrank into one.
        assertThat(afterFirst).isGreaterThan(3);
        assertThat(log.segmentCount()).isLessThanOrEqualTo(beforeSecond - (afterFirst - 2));
        final List<Rec> stored = KeyedRecords.readAll(log);
        assertOriginal(stored);
        assertDeduplicatedBelow(stored, log.cleanerOffset(), true);
        log.close();
        StoredLog.assertIndexesAgree(dir);
        log = null;
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void shouldCleanCompressedBatchesAndKeepTheirCodec(final CompressionType type) throws IOException
    {
        open(compacted());
        appendUpdates(600, 40, 0.1, Compression.of(type).build());
        clean();
        final List<RecordBatch> batches = new ArrayList<>();
        final List<Rec> stored = KeyedRecords.readAll(log, batches);
        assertOriginal(stored);
        assertDeduplicatedBelow(stored, log.cleanerOffset(), true);
        assertThat(KeyedRecords.liveValues(stored)).isEqualTo(KeyedRecords.liveValues(appended));
        assertThat(batches).allSatisfy(b -> assertThat(b.compressionType()).isEqualTo(type));
        assertThat(stored.size()).isLessThan(appended.size() / 2);
    }

    @Test
    void shouldKeepTheLastBatchOfAnActiveProducerEvenWhenEmptied() throws IOException
    {
        open(compacted());
        final long producerId = 77;
        int sequence = 0;
        for (int i = 0; i < 5; i++)
        {
            append(KeyedRecords.idempotent(producerId, sequence, clock.time(), "p", "v" + i, "q", "w" + i));
            sequence += 2;
        }
        final long producerLastOffset = log.logEndOffset() - 1;
        appendUpdates(600, 10, 0.0, Compression.NONE);
        for (int i = 0; i < 200; i++)
        {
            append(KeyedRecords.batch(Compression.NONE, clock.time(), "p", "later" + i, "q", "later" + i));
        }
        appendUpdates(100, 10, 0.0, Compression.NONE);

        clean();

        final List<RecordBatch> batches = new ArrayList<>();
        final List<Rec> stored = KeyedRecords.readAll(log, batches);
        final List<RecordBatch> producerBatches =
            batches.stream().filter(b -> b.producerId() == producerId).toList();
        assertThat(producerBatches).hasSize(1);
        final RecordBatch kept = producerBatches.get(0);
        assertThat(kept.lastOffset()).isEqualTo(producerLastOffset);
        assertThat(kept.baseSequence()).isEqualTo(8);
        assertThat(kept.lastSequence()).isEqualTo(9);
        assertThat(kept.countOrNull()).isZero();
        assertOriginal(stored);

        log.close();
        log = PartitionLog.open(dir, compacted(), clock);
        final ByteBuffer retry = KeyedRecords.idempotent(producerId, 8, clock.time(), "p", "v4", "q", "w4");
        assertThat(log.append(retry, 0, appendResult)).isEqualTo(ErrorCodes.NONE);
        assertThat(appendResult.duplicate).isTrue();
        assertThat(appendResult.lastOffset).isEqualTo(producerLastOffset);
    }

    @Test
    void shouldNotDeleteSegmentsByRetentionWhenCompactOnly() throws IOException
    {
        open(compacted().retentionMs(1000).retentionBytes(100));
        appendUpdates(300, 30, 0.0, Compression.NONE);
        clock.update(NOW + 10_000);
        log.onTimer(clock.time());
        assertThat(log.logStartOffset()).isZero();

        log.config(compacted().cleanupPolicy("compact,delete").retentionMs(1000));
        log.onTimer(clock.time());
        assertThat(log.logStartOffset()).isEqualTo(log.logEndOffset());
    }

    @Test
    void shouldDiscardACleaningOverTakenByTruncation() throws IOException
    {
        open(compacted());
        appendUpdates(600, 40, 0.1, Compression.NONE);
        for (int i = 0; i < 100 && !log.cleaningInFlight(); i++)
        {
            log.onTimer(clock.time());
        }
        assertThat(log.cleaningInFlight()).isTrue();
        cleaner.invoke();
        cleaner.invoke();
        final long truncateTo = segmentBase(2) + 1;
        log.truncateTo(truncateTo);
        assertThat(log.cleaningInFlight()).isFalse();
        for (int i = 0; i < 1000; i++)
        {
            cleaner.invoke();
        }
        assertThat(log.cleaningRounds()).isZero();
        assertThat(StoredLog.files(dir, ".log")).hasSize(3);
        try (var files = Files.list(dir))
        {
            assertThat(files.filter(f -> f.toString().endsWith(".cleaned")).toList()).isEmpty();
        }
        final List<Rec> stored = KeyedRecords.readAll(log);
        assertThat(stored).isEqualTo(appended.subList(0, (int)log.logEndOffset()));
    }

    @Test
    void shouldNeverCleanPastTheHighWatermark() throws IOException
    {
        open(compacted());
        appendUpdates(600, 40, 0.1, Compression.NONE);
        log.highWatermark(segmentBase(3) + 2);
        clean();
        assertThat(log.cleanerOffset()).isLessThanOrEqualTo(segmentBase(3));
    }

    @Test
    void shouldAcceptKafkasCleanupPoliciesAndRefuseOthers()
    {
        assertThat(new LogConfig().conclude().delete()).isTrue();
        assertThat(new LogConfig().conclude().compact()).isFalse();
        final LogConfig both = new LogConfig().cleanupPolicy("delete, compact").conclude();
        assertThat(both.compact()).isTrue();
        assertThat(both.delete()).isTrue();
        final LogConfig compactOnly = new LogConfig().cleanupPolicy("compact").conclude();
        assertThat(compactOnly.compact()).isTrue();
        assertThat(compactOnly.delete()).isFalse();
        for (final String invalid : new String[] {"", "compact,compact", "shred", "compact,", null})
        {
            assertThatThrownBy(() -> new LogConfig().cleanupPolicy(invalid).conclude())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cleanup.policy");
        }
        assertThatThrownBy(() -> new LogConfig().minCleanableDirtyRatio(1.5).conclude())
            .hasMessageContaining("min.cleanable.dirty.ratio");
    }

    /** Appends {@code batches} batches of 1-4 records over {@code keys} keys, a share of them tombstones. */
    private void appendUpdates(final int batches, final int keys, final double tombstoneShare, final Compression compression)
    {
        for (int b = 0; b < batches; b++)
        {
            final int records = 1 + random.nextInt(4);
            final String[] keysAndValues = new String[records * 2];
            for (int i = 0; i < records; i++)
            {
                keysAndValues[2 * i] = "key-" + random.nextInt(keys);
                keysAndValues[2 * i + 1] = random.nextDouble() < tombstoneShare ? null :
                    "value-" + appended.size() + "-" + i + "-" + "x".repeat(random.nextInt(40));
            }
            append(KeyedRecords.batch(compression, clock.time(), keysAndValues));
        }
        log.highWatermark(log.logEndOffset());
    }

    /** Records with keys never used before, to make the log dirty again. */
    private void appendFresh(final int batches)
    {
        for (int b = 0; b < batches; b++)
        {
            append(KeyedRecords.batch(Compression.NONE, clock.time(), "fresh-" + appended.size(), "v" + b));
        }
        log.highWatermark(log.logEndOffset());
    }

    private void append(final ByteBuffer batch)
    {
        final List<RecordBatch> parsed = TestBatches.batches(batch.duplicate());
        assertThat(log.append(batch, 0, appendResult)).isEqualTo(ErrorCodes.NONE);
        long offset = appendResult.firstOffset;
        for (final RecordBatch recordBatch : parsed)
        {
            for (final org.apache.kafka.common.record.internal.Record record : recordBatch)
            {
                final String key = record.hasKey() ? text(record.key()) : null;
                final String value = record.hasValue() ? text(record.value()) : null;
                appended.add(new Rec(offset++, key, value, record.timestamp()));
            }
        }
        assertThat(appended).hasSize((int)log.logEndOffset());
    }

    private static String text(final ByteBuffer bytes)
    {
        final byte[] array = new byte[bytes.remaining()];
        bytes.duplicate().get(array);
        return new String(array, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void clean()
    {
        KeyedRecords.cleanOnce(log, cleaner, clock::time);
    }

    /** Every stored record is the one appended at its offset: same key, value and timestamp. */
    private void assertOriginal(final List<Rec> stored)
    {
        long previous = -1;
        for (final Rec record : stored)
        {
            assertThat(record.offset()).isGreaterThan(previous);
            assertThat(record).isEqualTo(appended.get((int)record.offset()));
            previous = record.offset();
        }
    }

    /**
     * Below {@code cleanerOffset} each key appears once, at its latest offset below it (tombstones too when
     * {@code withTombstones}); at and above it every appended record is still there.
     */
    private void assertDeduplicatedBelow(final List<Rec> stored, final long cleanerOffset, final boolean withTombstones)
    {
        final Map<String, Rec> expected = new HashMap<>(
            KeyedRecords.latestByKey(appended.subList(0, (int)cleanerOffset)));
        if (!withTombstones)
        {
            expected.values().removeIf(r -> r.value() == null);
        }
        final Map<String, Rec> found = new HashMap<>();
        for (final Rec record : stored)
        {
            if (record.offset() < cleanerOffset)
            {
                assertThat(found.put(record.key(), record)).as("duplicate of %s", record).isNull();
            }
        }
        assertThat(found).isEqualTo(expected);
        assertThat(stored.stream().filter(r -> r.offset() >= cleanerOffset).toList())
            .isEqualTo(appended.subList((int)cleanerOffset, appended.size()));
    }

    private long segmentBase(final int index) throws IOException
    {
        return StoredLog.baseOffset(StoredLog.files(dir, ".log").get(index));
    }

    private long segmentBaseAtOrBelow(final long offset) throws IOException
    {
        long base = 0;
        for (final Path file : StoredLog.files(dir, ".log"))
        {
            if (StoredLog.baseOffset(file) <= offset)
            {
                base = StoredLog.baseOffset(file);
            }
        }
        return base;
    }

    private Path activeSegmentFile() throws IOException
    {
        final List<Path> logs = StoredLog.files(dir, ".log");
        return logs.get(logs.size() - 1);
    }

    private long directorySize() throws IOException
    {
        long bytes = 0;
        for (final Path file : StoredLog.files(dir, ".log"))
        {
            bytes += Files.size(file);
        }
        return bytes;
    }
}
