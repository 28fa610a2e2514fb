package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.compaction.CleanerContext;
import io.sluice.journal.compaction.LogCleaner;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The process {@link CompactionCrashTest} kills: appends keyed records (updates and tombstones over a few keys)
 * to a compacted log while a real cleaner thread cleans it as often as it can, forcing every few requests.
 * Prints {@code FORCED <logEndOffset>} once a force returns and {@code CLEANED <rounds>} once a cleaning is
 * swapped in. Record {@code n} (at offset {@code n}) is always {@link #key}{@code (n)} = {@link #value}{@code (n)},
 * whoever appended it, so the parent knows what every offset must hold.
 *
 * <p>Arguments: log directory, seed.
 */
public final class CompactionCrashChild
{
    static final int KEYS = 97;

    private CompactionCrashChild()
    {
    }

    static LogConfig config()
    {
        return new LogConfig()
            .segmentBytes(8 * 1024)
            .segmentIndexBytes(4096)
            .indexIntervalBytes(512)
            .cleanupPolicy("compact")
            .minCleanableDirtyRatio(0.2)
            .deleteRetentionMs(300)
            .fileDeleteDelayMs(0);
    }

    static String key(final long n)
    {
        return "k" + (n * 2654435761L % KEYS);
    }

    /** Every eleventh record is a tombstone. */
    static String value(final long n)
    {
        return n % 11 == 5 ? null : "v" + n + "-" + "p".repeat((int)(n % 40));
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final Random random = new Random(Long.parseLong(args[1]));
        final PrintStream out = System.out;
        final AppendResult result = new AppendResult();
        final ByteBuffer request = ByteBuffer.allocateDirect(64 * 1024);
        final LogCleaner cleaner = new LogCleaner(new CleanerContext()
            .backoffMs(0).idleSleepMs(1).ioBufferSize(2048).dedupeBufferSize(256 * 1024)).start();
        final PartitionLog log = PartitionLog.open(dir, config());
        cleaner.register(log);
        long next = log.logEndOffset();
        long rounds = 0;
        out.println("READY " + next);
        out.flush();
        while (true)
        {
            final int requests = 1 + random.nextInt(4);
            for (int r = 0; r < requests; r++)
            {
                request.clear();
                final int batches = 1 + random.nextInt(3);
                for (int b = 0; b < batches; b++)
                {
                    final int records = 1 + random.nextInt(4);
                    final SimpleRecord[] simple = new SimpleRecord[records];
                    for (int i = 0; i < records; i++)
                    {
                        final String value = value(next + i);
                        simple[i] = new SimpleRecord(System.currentTimeMillis(), KeyedRecords.bytes(key(next + i)),
                            value == null ? null : KeyedRecords.bytes(value));
                    }
                    request.put(MemoryRecords.withRecords(Compression.NONE, simple).buffer());
                    next += records;
                }
                request.flip();
                if (log.append(request, 0, result) != ErrorCodes.NONE)
                {
                    throw new IllegalStateException("append refused before offset " + next);
                }
                log.highWatermark(log.logEndOffset());
            }
            if (log.force() != ErrorCodes.NONE)
            {
                throw new IllegalStateException("force failed before offset " + next);
            }
            out.println("FORCED " + log.logEndOffset());
            log.onTimer(System.currentTimeMillis());
            if (log.lastCleaningFailure() != null)
            {
                log.lastCleaningFailure().printStackTrace(out);
                throw new IllegalStateException("cleaning failed");
            }
            if (log.cleaningRounds() > rounds)
            {
                rounds = log.cleaningRounds();
                out.println("CLEANED " + rounds);
            }
            out.flush();
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }
}
