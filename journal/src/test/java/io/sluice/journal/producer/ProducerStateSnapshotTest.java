package io.sluice.journal.producer;

import io.sluice.codecs.record.ErrorCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerStateSnapshotTest
{
    private static final short EPOCH = 7;
    private static final int RECORDS = 4;

    @TempDir
    Path dir;

    private final DuplicateOffsets out = new DuplicateOffsets();
    private long nextOffset;

    @Test
    void shouldNameSnapshotByOffsetWithTwentyDigitsAndLeaveNoTempFile() throws IOException
    {
        final ProducerStateTable table = new ProducerStateTable(4);
        append(table, 1, EPOCH, 0);

        table.writeSnapshot(dir, 42);

        assertThat(fileNames()).containsExactly("00000000000000000042.snapshot");
    }

    @Test
    void shouldRoundTripEveryProducersEpochAndLastFiveBatches() throws IOException
    {
        final ProducerStateTable table = new ProducerStateTable(4);
        final long[] firstOffsets = new long[8];
        for (int i = 0; i < 8; i++)
        {
            firstOffsets[i] = append(table, 1, EPOCH, i * RECORDS);
        }
        append(table, 2, (short)0, 0);
        append(table, 2, (short)1, 0);
        table.update(3, EPOCH, Integer.MAX_VALUE - 1, 1, nextOffset, nextOffset + 3, 5_000);
        nextOffset += 4;
        table.writeSnapshot(dir, nextOffset);

        final ProducerStateTable loaded = new ProducerStateTable(4);
        assertThat(loaded.loadLatestSnapshot(dir, Long.MAX_VALUE)).isEqualTo(nextOffset);

        assertThat(loaded.producerCount()).isEqualTo(3);
        for (int i = 3; i < 8; i++)
        {
            final int base = i * RECORDS;
            assertThat(loaded.check(1, EPOCH, base, base + RECORDS - 1, out.reset()))
                .isEqualTo(ErrorCodes.DUPLICATE_SEQUENCE_NUMBER);
            assertThat(out.firstOffset).isEqualTo(firstOffsets[i]);
            assertThat(out.lastOffset).isEqualTo(firstOffsets[i] + RECORDS - 1);
            assertThat(out.maxTimestamp).isEqualTo(firstOffsets[i] * 10);
        }
        assertThat(loaded.check(1, EPOCH, 2 * RECORDS, 3 * RECORDS - 1, out))
            .isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(loaded.check(1, EPOCH, 8 * RECORDS, 9 * RECORDS - 1, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(loaded.check(2, (short)0, RECORDS, 2 * RECORDS - 1, out))
            .isEqualTo(ErrorCodes.INVALID_PRODUCER_EPOCH);
        assertThat(loaded.check(2, (short)1, RECORDS, 2 * RECORDS - 1, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(loaded.check(3, EPOCH, 2, 5, out)).isEqualTo(ErrorCodes.NONE);
        assertThat(loaded.removeExpired(5_999, 1_000)).isEqualTo(2);
        assertThat(loaded.removeExpired(6_000, 1_000)).isEqualTo(1);
    }

    @Test
    void shouldRebuildSameStateFromSnapshotPlusReplayOfLaterBatches() throws IOException
    {
        final ProducerStateTable live = new ProducerStateTable(4);
        append(live, 1, EPOCH, 0);
        append(live, 1, EPOCH, RECORDS);
        final long snapshotOffset = nextOffset;
        live.writeSnapshot(dir, snapshotOffset);
        final long replayedOffset = append(live, 1, EPOCH, 2 * RECORDS);

        final ProducerStateTable recovered = new ProducerStateTable(4);
        assertThat(recovered.loadLatestSnapshot(dir, nextOffset)).isEqualTo(snapshotOffset);
        recovered.update(1, EPOCH, 2 * RECORDS, 3 * RECORDS - 1, replayedOffset, replayedOffset + RECORDS - 1,
            replayedOffset * 10);

        assertThat(recovered.check(1, EPOCH, 2 * RECORDS, 3 * RECORDS - 1, out.reset()))
            .isEqualTo(ErrorCodes.DUPLICATE_SEQUENCE_NUMBER);
        assertThat(out.firstOffset).isEqualTo(replayedOffset);
        assertThat(recovered.check(1, EPOCH, 3 * RECORDS, 4 * RECORDS - 1, out)).isEqualTo(ErrorCodes.NONE);
    }

    @Test
    void shouldLoadNewestSnapshotAtOrBelowMaxOffset() throws IOException
    {
        final ProducerStateTable table = new ProducerStateTable(4);
        append(table, 1, EPOCH, 0);
        table.writeSnapshot(dir, 10);
        append(table, 2, EPOCH, 0);
        table.writeSnapshot(dir, 20);
        append(table, 3, EPOCH, 0);
        table.writeSnapshot(dir, 30);

        final ProducerStateTable loaded = new ProducerStateTable(4);

        assertThat(loaded.loadLatestSnapshot(dir, 29)).isEqualTo(20);
        assertThat(loaded.producerCount()).isEqualTo(2);
        assertThat(loaded.loadLatestSnapshot(dir, 30)).isEqualTo(30);
        assertThat(loaded.producerCount()).isEqualTo(3);
        assertThat(loaded.loadLatestSnapshot(dir, 9)).isEqualTo(-1);
        assertThat(loaded.producerCount()).isZero();
    }

    @Test
    void shouldSkipSnapshotWithFlippedByte() throws IOException
    {
        writeTwoSnapshots();
        final Path newest = dir.resolve("00000000000000000020.snapshot");
        final byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(newest, bytes);

        final ProducerStateTable loaded = new ProducerStateTable(4);

        assertThat(loaded.loadLatestSnapshot(dir, Long.MAX_VALUE)).isEqualTo(10);
        assertThat(loaded.producerCount()).isEqualTo(1);
        assertThat(Files.exists(newest)).isTrue();
    }

    @Test
    void shouldSkipTruncatedSnapshot() throws IOException
    {
        writeTwoSnapshots();
        final Path newest = dir.resolve("00000000000000000020.snapshot");
        final byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length - 5));

        assertThat(new ProducerStateTable(4).loadLatestSnapshot(dir, Long.MAX_VALUE)).isEqualTo(10);
    }

    @Test
    void shouldSkipSnapshotOfUnknownVersion() throws IOException
    {
        writeTwoSnapshots();
        final Path newest = dir.resolve("00000000000000000020.snapshot");
        final byte[] bytes = Files.readAllBytes(newest);
        bytes[1] = 9;
        Files.write(newest, bytes);

        assertThat(new ProducerStateTable(4).loadLatestSnapshot(dir, Long.MAX_VALUE)).isEqualTo(10);
    }

    @Test
    void shouldSkipSnapshotWhoseContentBelongsToAnotherOffset() throws IOException
    {
        writeTwoSnapshots();
        Files.move(dir.resolve("00000000000000000010.snapshot"), dir.resolve("00000000000000000015.snapshot"));

        final ProducerStateTable loaded = new ProducerStateTable(4);

        assertThat(loaded.loadLatestSnapshot(dir, 19)).isEqualTo(-1);
        assertThat(loaded.producerCount()).isZero();
    }

    @Test
    void shouldIgnoreFilesThatAreNotSnapshots() throws IOException
    {
        writeTwoSnapshots();
        Files.write(dir.resolve("00000000000000000099.snapshot.tmp"), new byte[] { 1, 2, 3 });
        Files.write(dir.resolve("junk.snapshot"), new byte[] { 1, 2, 3 });
        Files.write(dir.resolve("00000000000000000000.log"), new byte[] { 1, 2, 3 });

        assertThat(new ProducerStateTable(4).loadLatestSnapshot(dir, Long.MAX_VALUE)).isEqualTo(20);
    }

    @Test
    void shouldReplaceSnapshotAtSameOffset() throws IOException
    {
        final ProducerStateTable table = new ProducerStateTable(4);
        append(table, 1, EPOCH, 0);
        table.writeSnapshot(dir, 10);
        append(table, 2, EPOCH, 0);
        table.writeSnapshot(dir, 10);

        final ProducerStateTable loaded = new ProducerStateTable(4);

        assertThat(loaded.loadLatestSnapshot(dir, 10)).isEqualTo(10);
        assertThat(loaded.producerCount()).isEqualTo(2);
    }

    @Test
    void shouldRoundTripEmptyTable() throws IOException
    {
        new ProducerStateTable(4).writeSnapshot(dir, 0);

        assertThat(new ProducerStateTable(4).loadLatestSnapshot(dir, 0)).isZero();
    }

    @Test
    void shouldDeleteSnapshotsAboveTruncationPoint() throws IOException
    {
        writeSnapshots(10, 20, 30);
        Files.write(dir.resolve("00000000000000000040.snapshot.tmp"), new byte[] { 1 });
        final ProducerStateTable table = new ProducerStateTable(4);

        assertThat(table.deleteSnapshotsAbove(dir, 20)).isEqualTo(2);

        assertThat(fileNames()).containsExactly("00000000000000000010.snapshot", "00000000000000000020.snapshot");
    }

    @Test
    void shouldDeleteSnapshotsBelowRetainedSegment() throws IOException
    {
        writeSnapshots(0, 10, 20, 30);
        final ProducerStateTable table = new ProducerStateTable(4);

        assertThat(table.deleteSnapshotsBelow(dir, 20)).isEqualTo(2);
        assertThat(table.deleteSnapshotsBelow(dir, 0)).isZero();

        assertThat(fileNames()).containsExactly("00000000000000000020.snapshot", "00000000000000000030.snapshot");
    }

    private void writeTwoSnapshots() throws IOException
    {
        final ProducerStateTable table = new ProducerStateTable(4);
        append(table, 1, EPOCH, 0);
        table.writeSnapshot(dir, 10);
        append(table, 2, EPOCH, 0);
        append(table, 2, EPOCH, RECORDS);
        table.writeSnapshot(dir, 20);
    }

    private void writeSnapshots(final long... offsets) throws IOException
    {
        final ProducerStateTable table = new ProducerStateTable(4);
        for (final long offset : offsets)
        {
            table.writeSnapshot(dir, offset);
        }
    }

    private long append(final ProducerStateTable table, final long producerId, final short epoch, final int base)
    {
        final long firstOffset = nextOffset;
        table.update(producerId, epoch, base, base + RECORDS - 1, firstOffset, firstOffset + RECORDS - 1,
            firstOffset * 10);
        nextOffset += RECORDS;
        return firstOffset;
    }

    private String[] fileNames() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map(file -> file.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }
}
