package io.sluice.journal;

import org.agrona.concurrent.CachedEpochClock;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** ListOffsets lookups through the time index, checked against a brute-force search of every record. */
class TimestampLookupTest
{
    private static final long BASE = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final AppendResult result = new AppendResult();
    private final List<long[]> records = new ArrayList<>();
    private PartitionLog log;

    @AfterEach
    void closeLog()
    {
        if (log != null)
        {
            log.close();
        }
    }

    private LogConfig config()
    {
        return new LogConfig().segmentBytes(1200).indexIntervalBytes(150);
    }

    /** Batches of out-of-order timestamps over several segments; records remembers (offset, timestamp). */
    private void fill() throws IOException
    {
        clock.update(BASE);
        log = PartitionLog.open(dir, config(), clock);
        final Random random = new Random(42);
        for (int b = 0; b < 80; b++)
        {
            final long[] timestamps = new long[1 + random.nextInt(4)];
            for (int i = 0; i < timestamps.length; i++)
            {
                timestamps[i] = BASE + b * 10L + random.nextInt(40) - 20;
            }
            log.append(TestBatches.batchWithTimestamps(timestamps), 0, result);
            for (int i = 0; i < timestamps.length; i++)
            {
                records.add(new long[] {result.firstOffset + i, timestamps[i]});
            }
        }
        assertThat(log.segmentCount()).isGreaterThan(3);
    }

    private long[] expectedFirstAtOrAfter(final long timestamp, final long startOffset)
    {
        return records.stream()
            .filter(r -> r[0] >= startOffset && r[1] >= timestamp)
            .findFirst()
            .orElse(new long[] {-1, -1});
    }

    private void assertLookupsMatchBruteForce()
    {
        final TimestampOffset found = new TimestampOffset();
        for (long t = BASE - 30; t <= BASE + 830; t += 3)
        {
            final long[] expected = expectedFirstAtOrAfter(t, log.logStartOffset());
            log.offsetForTimestamp(t, found);
            assertThat(found.offset).as("offset for %d", t).isEqualTo(expected[0]);
            assertThat(found.timestamp).as("timestamp for %d", t).isEqualTo(expected[1]);
        }
    }

    @Test
    void shouldFindTheFirstRecordAtOrAfterATimestamp() throws IOException
    {
        fill();
        assertLookupsMatchBruteForce();
    }

    @Test
    void shouldFindTheSameAfterACleanRestart() throws IOException
    {
        fill();
        log.close();
        log = PartitionLog.open(dir, config(), clock);
        assertThat(log.recoveryReport().clean).isTrue();
        assertLookupsMatchBruteForce();
    }

    @Test
    void shouldNotAnswerBelowTheLogStart() throws IOException
    {
        fill();
        log.highWatermark(log.logEndOffset());
        log.deleteRecords(57);
        assertLookupsMatchBruteForce();
    }

    @Test
    void shouldFindTheMaxTimestampAndItsFirstOffset() throws IOException
    {
        fill();
        final long max = records.stream().mapToLong(r -> r[1]).max().orElseThrow();
        final long firstAtMax = records.stream().filter(r -> r[1] == max).findFirst().orElseThrow()[0];

        final TimestampOffset found = log.maxTimestamp(new TimestampOffset());
        assertThat(found.timestamp).isEqualTo(max);
        assertThat(found.offset).isEqualTo(firstAtMax);
    }

    @Test
    void shouldAnswerNothingInAnEmptyLog() throws IOException
    {
        clock.update(BASE);
        log = PartitionLog.open(dir, config(), clock);
        assertThat(log.maxTimestamp(new TimestampOffset()).offset).isEqualTo(-1);
        assertThat(log.offsetForTimestamp(0, new TimestampOffset()).offset).isEqualTo(-1);
    }

    @Test
    void shouldAnswerCompressedBatchesAtBatchLevel() throws IOException
    {
        clock.update(BASE);
        log = PartitionLog.open(dir, config(), clock);
        log.append(TestBatches.batch(2, BASE), 0, result);
        final ByteBuffer compressed = TestBatches.compressedBatch(5, BASE + 100);
        log.append(compressed, 0, result);

        final TimestampOffset found = log.offsetForTimestamp(BASE + 50, new TimestampOffset());
        assertThat(found.offset).isEqualTo(2);
        assertThat(found.timestamp).isEqualTo(BASE + 100);
        final ReadResult read = new ReadResult();
        log.read(2, Integer.MAX_VALUE, true, read);
        final RecordBatch stored = TestBatches.batches(TestBatches.regionBytes(read)).get(0);
        assertThat(stored.maxTimestamp()).isEqualTo(BASE + 100);
        for (final Record record : stored)
        {
            assertThat(record.timestamp()).isEqualTo(BASE + 100);
        }
    }
}
