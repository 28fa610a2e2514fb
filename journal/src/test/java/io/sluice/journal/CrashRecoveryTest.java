package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL a child JVM that appends and forces batches at random moments, then recover: every batch the child
 * reported forced must be there byte for byte, offsets contiguous, and the indexes must agree with a scan.
 */
@Tag("system")
class CrashRecoveryTest
{
    private static final int ROUNDS = 20;

    @TempDir
    Path root;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldKeepEveryForcedBatchThroughRepeatedSigkill() throws Exception
    {
        final Path dir = root.resolve("partition-0");
        final Random random = new Random(20240601L);
        final List<Long> batchBaseOffsets = new ArrayList<>();
        long batchesInLog = 0;
        int tailsCut = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final long forcedBatches = runAndKill(dir, batchesInLog, round, 1 + random.nextInt(25), random.nextInt(15));
            assertThat(forcedBatches).isGreaterThan(batchesInLog);

            final PartitionLog log = PartitionLog.open(dir, CrashChild.config());
            final RecoveryReport report = log.recoveryReport();
            if (report.bytesTruncated > 0)
            {
                tailsCut++;
            }
            while (batchBaseOffsets.size() < forcedBatches)
            {
                final long n = batchBaseOffsets.size();
                batchBaseOffsets.add(n == 0 ? 0 : batchBaseOffsets.get((int)n - 1) + CrashChild.records(n - 1));
            }
            final long forcedEnd = batchBaseOffsets.get((int)forcedBatches - 1) +
                CrashChild.records(forcedBatches - 1);
            assertThat(log.logEndOffset()).as("round %d: %s", round, report).isGreaterThanOrEqualTo(forcedEnd);
            assertThat(log.recoveryPoint()).isEqualTo(log.logEndOffset());
            assertThat(log.latestLeaderEpoch()).isEqualTo(CrashChild.LEADER_EPOCH);
            assertReadPathAgrees(log);
            log.close();

            final List<StoredLog.Batch> stored = StoredLog.scan(dir);
            assertThat(stored.size()).isGreaterThanOrEqualTo((int)forcedBatches);
            long expectedOffset = 0;
            for (int n = 0; n < stored.size(); n++)
            {
                final StoredLog.Batch batch = stored.get(n);
                assertThat(batch.baseOffset).as("round %d batch %d", round, n).isEqualTo(expectedOffset);
                assertThat(batch.bytes).as("round %d batch %d", round, n).isEqualTo(expectedBytes(n, expectedOffset));
                expectedOffset = batch.lastOffset + 1;
            }
            StoredLog.assertIndexesAgree(dir);
            batchesInLog = stored.size();
        }
        assertThat(StoredLog.files(dir, ".log").size()).as("segments rolled").isGreaterThan(2);
        System.out.println("crash test: " + ROUNDS + " rounds, " + batchesInLog + " batches, " + tailsCut +
            " rounds cut a torn or unforced tail");
    }

    /** Run a child from batch {@code first}, kill it after {@code forces} forces, return the batches forced. */
    private long runAndKill(final Path dir, final long first, final int round, final int forces, final int extraMs)
        throws Exception
    {
        final ChildJvm child = ChildJvm.start(CrashChild.class, dir.toString(), Long.toString(first), Long.toString(round));
        final List<String> seen = new ArrayList<>();
        long forced = first;
        final List<String> rest;
        try
        {
            int forcedLines = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (forcedLines < forces)
            {
                final String line = child.nextLine(deadline);
                if (line == null)
                {
                    throw new AssertionError("child stopped before " + forces + " forces: " + seen);
                }
                seen.add(line);
                if (line.startsWith("FORCED "))
                {
                    forcedLines++;
                    forced = Long.parseLong(line.split(" ")[1]);
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
                forced = Long.parseLong(line.split(" ")[1]);
            }
            else if (!line.startsWith("READY"))
            {
                throw new AssertionError("child said: " + line);
            }
        }
        return forced;
    }

    private static byte[] expectedBytes(final long n, final long baseOffset)
    {
        final ByteBuffer batch = CrashChild.batch(n);
        new RecordBatchFlyweight().wrap(batch, 0).baseOffset(baseOffset).partitionLeaderEpoch(CrashChild.LEADER_EPOCH);
        return TestBatches.bytes(batch);
    }

    /** Reading batch by batch through the journal returns the bytes the files hold, up to the log end. */
    private static void assertReadPathAgrees(final PartitionLog log) throws IOException
    {
        final ReadResult read = new ReadResult();
        long offset = 0;
        while (offset < log.logEndOffset())
        {
            assertThat(log.read(offset, 1, true, read)).isEqualTo(ErrorCodes.NONE);
            final ByteBuffer region = TestBatches.regionBytes(read);
            final RecordBatchFlyweight batch = new RecordBatchFlyweight().wrap(region, 0);
            assertThat(batch.baseOffset()).isEqualTo(offset);
            assertThat(batch.totalLength()).isEqualTo(read.length);
            offset = batch.lastOffset() + 1;
        }
        assertThat(offset).isEqualTo(log.logEndOffset());
    }
}
