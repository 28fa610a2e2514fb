package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.KeyedRecords.Rec;
import io.sluice.journal.compaction.CleanerContext;
import io.sluice.journal.compaction.LogCleaner;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real cleaner thread compacts a log while its owner thread keeps appending and reading: the two meet only
 * through the task hand-off (the owner offers, the cleaner completes, the owner swaps), appends go on while a
 * cleaning is in flight, and the result is the same as a single-threaded cleaning would give.
 */
class CompactionConcurrencyTest
{
    private static final int KEYS = 150;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldAppendWhileTheCleanerThreadCompacts() throws Exception
    {
        final Set<String> offeringThreads = ConcurrentHashMap.newKeySet();
        final AppendResult appendResult = new AppendResult();
        final ReadResult readResult = new ReadResult();
        final List<String> appendedKeys = new ArrayList<>();
        final List<String> appendedValues = new ArrayList<>();
        long appendsWhileCleaning = 0;
        try (LogCleaner cleaner = new LogCleaner(
            new CleanerContext().backoffMs(0).idleSleepMs(1).ioBufferSize(4096).dedupeBufferSize(1 << 20)).start();
            PartitionLog log = PartitionLog.open(dir, CompactionTest.compacted()))
        {
            log.cleaner(new CleaningScheduler()
            {
                public boolean offer(final CleaningTask task)
                {
                    offeringThreads.add(Thread.currentThread().getName());
                    return cleaner.offer(task);
                }

                public long backoffMs()
                {
                    return cleaner.backoffMs();
                }
            });
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            int n = 0;
            while (log.cleaningRounds() < 5)
            {
                assertThat(System.nanoTime()).as("five cleanings within the deadline").isLessThan(deadline);
                final String key = "key-" + (n * 31 % KEYS);
                final String value = n % 9 == 4 ? null : "value-" + n;
                final ByteBuffer batch = KeyedRecords.batch(Compression.NONE, System.currentTimeMillis(), key, value);
                assertThat(log.append(batch, 0, appendResult)).isEqualTo(ErrorCodes.NONE);
                appendedKeys.add(key);
                appendedValues.add(value);
                if (log.cleaningInFlight())
                {
                    appendsWhileCleaning++;
                }
                log.highWatermark(log.logEndOffset());
                assertThat(log.read(n / 2, 512, true, readResult)).isEqualTo(ErrorCodes.NONE);
                log.onTimer(System.currentTimeMillis());
                assertThat(log.lastCleaningFailure()).isNull();
                n++;
            }

            final List<Rec> stored = KeyedRecords.readAll(log);
            for (final Rec record : stored)
            {
                assertThat(record.key()).isEqualTo(appendedKeys.get((int)record.offset()));
                assertThat(record.value()).isEqualTo(appendedValues.get((int)record.offset()));
            }
            final List<Rec> expected = new ArrayList<>();
            for (int i = 0; i < appendedKeys.size(); i++)
            {
                expected.add(new Rec(i, appendedKeys.get(i), appendedValues.get(i), 0));
            }
            assertThat(KeyedRecords.liveValues(stored)).isEqualTo(KeyedRecords.liveValues(expected));
            assertThat(stored.size()).isLessThan(appendedKeys.size());
        }
        assertThat(offeringThreads).containsExactly(Thread.currentThread().getName());
        assertThat(appendsWhileCleaning).as("appends went on while a cleaning was in flight").isPositive();
    }
}
