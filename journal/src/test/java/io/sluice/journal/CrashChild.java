package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

/**
 * The process {@link CrashRecoveryTest} kills: appends deterministic batches to a log as fast as it can,
 * forcing after every few requests, and prints {@code FORCED <batches> <logEndOffset>} once a force returns,
 * so the parent knows which batches must survive SIGKILL.
 *
 * <p>Arguments: log directory, number of the first batch to append (the batches already in the log), seed.
 */
public final class CrashChild
{
    static final int LEADER_EPOCH = 3;
    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    private CrashChild()
    {
    }

    static LogConfig config()
    {
        return new LogConfig().segmentBytes(32 * 1024).indexIntervalBytes(512).segmentIndexBytes(4096);
    }

    /** Batch number {@code n}, always the same bytes before the journal stamps them. */
    static ByteBuffer batch(final long n)
    {
        final int records = 1 + (int)(n % 5);
        final SimpleRecord[] simple = new SimpleRecord[records];
        for (int i = 0; i < records; i++)
        {
            final byte[] value = new byte[10 + (int)((n * 37 + i * 11) % 300)];
            for (int j = 0; j < value.length; j++)
            {
                value[j] = (byte)(n + i + j);
            }
            simple[i] = new SimpleRecord(BASE_TIMESTAMP + n, ("n" + n).getBytes(), value);
        }
        return MemoryRecords.withRecords(Compression.NONE, simple).buffer();
    }

    static int records(final long n)
    {
        return 1 + (int)(n % 5);
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        long next = Long.parseLong(args[1]);
        final Random random = new Random(Long.parseLong(args[2]));
        final PrintStream out = System.out;
        final AppendResult result = new AppendResult();
        final ByteBuffer request = ByteBuffer.allocateDirect(64 * 1024);
        final PartitionLog log = PartitionLog.open(dir, config());
        out.println("READY " + log.logEndOffset());
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
                    request.put(batch(next + b));
                }
                request.flip();
                if (log.append(request, LEADER_EPOCH, result) != ErrorCodes.NONE)
                {
                    throw new IllegalStateException("append refused at batch " + next);
                }
                next += batches;
            }
            if (log.force() != ErrorCodes.NONE)
            {
                throw new IllegalStateException("force failed at batch " + next);
            }
            out.println("FORCED " + next + " " + log.logEndOffset());
            out.flush();
        }
    }
}
