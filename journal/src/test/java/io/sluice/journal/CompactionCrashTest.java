package io.sluice.journal;

import io.sluice.journal.KeyedRecords.Rec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL a child JVM that appends to a compacted log while its cleaner thread cleans it, at random moments, then
 * recover: the log must read back whole, every record at its original offset with its original key and value,
 * and the latest value of every key present: a kill at any step of a cleaning loses nothing.
 */
@Tag("system")
class CompactionCrashTest
{
    private static final int ROUNDS = 12;

    @TempDir
    Path root;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldLoseNothingWhenKilledWhileCleaning() throws Exception
    {
        final Path dir = root.resolve("compacted-0");
        final Random random = new Random(20240917L);
        int swapsFinished = 0;
        int cleaningsForgotten = 0;
        long cleanings = 0;
        long forcedEnd = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final long[] seen = runAndKill(dir, round, 3 + random.nextInt(40), random.nextInt(3), random.nextInt(20));
            forcedEnd = Math.max(forcedEnd, seen[0]);
            cleanings += seen[1];
            if (hasFileEndingWith(dir, SegmentFiles.CLEANED_SUFFIX))
            {
                cleaningsForgotten++;
            }

            final PartitionLog log = PartitionLog.open(dir, CompactionCrashChild.config());
            if (log.recoveryReport().swapsCompleted > 0)
            {
                swapsFinished++;
            }
            final String report = "round " + round + ": " + log.recoveryReport();
            assertThat(log.logEndOffset()).as(report).isGreaterThanOrEqualTo(forcedEnd);
            final List<Rec> stored = KeyedRecords.readAll(log);
            for (final Rec record : stored)
            {
                assertThat(record.key()).as(report).isEqualTo(CompactionCrashChild.key(record.offset()));
                assertThat(record.value()).as(report).isEqualTo(CompactionCrashChild.value(record.offset()));
            }
            final Map<Long, Rec> byOffset = new HashMap<>();
            stored.forEach(r -> byOffset.put(r.offset(), r));
            final Map<String, Long> latest = new HashMap<>();
            for (long n = 0; n < log.logEndOffset(); n++)
            {
                latest.put(CompactionCrashChild.key(n), n);
            }
            for (final Map.Entry<String, Long> entry : latest.entrySet())
            {
                if (CompactionCrashChild.value(entry.getValue()) != null)
                {
                    assertThat(byOffset).as("%s: latest value of %s", report, entry.getKey())
                        .containsKey(entry.getValue());
                }
            }
            log.close();
            StoredLog.assertIndexesAgree(dir);
        }
        assertThat(cleanings).as("cleanings swapped in").isGreaterThan(ROUNDS);
        System.out.println("compaction crash test: " + ROUNDS + " kills, " + cleanings + " cleanings swapped in, " +
            cleaningsForgotten + " kills mid-cleaning (files forgotten), " + swapsFinished +
            " kills mid-swap (finished by recovery), log end " + forcedEnd);
    }

    private static boolean hasFileEndingWith(final Path dir, final String suffix) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(suffix));
        }
    }

    /**
     * Run a child until it has forced {@code forces} times and swapped in {@code cleanings} cleanings, wait
     * {@code extraMs}, SIGKILL it.
     *
     * @return the last forced log end offset, and the cleanings it reported.
     */
    private static long[] runAndKill(
        final Path dir, final int round, final int forces, final int cleanings, final int extraMs) throws Exception
    {
        final ChildJvm child = ChildJvm.start(CompactionCrashChild.class, dir.toString(), Long.toString(round));
        final List<String> seen = new ArrayList<>();
        long forcedEnd = 0;
        long cleaned = 0;
        final List<String> rest;
        try
        {
            int forcedLines = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (forcedLines < forces || cleaned < cleanings)
            {
                final String line = child.nextLine(deadline);
                if (line == null)
                {
                    throw new AssertionError("child stopped before " + forces + " forces and " + cleanings +
                        " cleanings: " + seen.subList(Math.max(0, seen.size() - 20), seen.size()));
                }
                seen.add(line);
                if (line.startsWith("FORCED "))
                {
                    forcedLines++;
                    forcedEnd = Long.parseLong(line.split(" ")[1]);
                }
                else if (line.startsWith("CLEANED "))
                {
                    cleaned = Long.parseLong(line.split(" ")[1]);
                }
            }
            Thread.sleep(extraMs);
        }
        finally
        {
            rest = child.kill();
        }
        for (final String line : rest)
        {
            if (line.startsWith("FORCED "))
            {
                forcedEnd = Long.parseLong(line.split(" ")[1]);
            }
            else if (line.startsWith("CLEANED "))
            {
                cleaned = Long.parseLong(line.split(" ")[1]);
            }
            else if (!line.startsWith("READY"))
            {
                throw new AssertionError("child said: " + line);
            }
        }
        return new long[] {forcedEnd, cleaned};
    }
}
