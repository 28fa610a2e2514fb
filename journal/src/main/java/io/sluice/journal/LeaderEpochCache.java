package io.sluice.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Leader epoch → first offset written in it, kept in the {@code leader-epoch-checkpoint} file in Kafka's
 * format ({@code version}, {@code count}, then one {@code epoch startOffset} line per entry). Epochs and
 * start offsets both increase. Rewritten atomically whenever it changes, which is rare (a leader change or a
 * truncation). Not thread-safe.
 */
final class LeaderEpochCache
{
    static final String FILE_NAME = "leader-epoch-checkpoint";

    private final Path file;
    private int[] epochs = new int[8];
    private long[] startOffsets = new long[8];
    private int count;

    LeaderEpochCache(final Path dir)
    {
        file = dir.resolve(FILE_NAME);
    }

    /** Load the checkpoint; a missing or malformed file leaves the cache empty and returns false. */
    boolean load() throws IOException
    {
        count = 0;
        final List<String> lines = CheckpointFile.read(file);
        if (lines == null)
        {
            return true;
        }
        try
        {
            final int entries = Integer.parseInt(lines.get(1).trim());
            for (int i = 0; i < entries; i++)
            {
                final String[] fields = lines.get(2 + i).trim().split(" ");
                add(Integer.parseInt(fields[0]), Long.parseLong(fields[1]));
            }
            return "0".equals(lines.get(0).trim());
        }
        catch (final RuntimeException ex)
        {
            count = 0;
            return false;
        }
    }

    int latestEpoch()
    {
        return count == 0 ? -1 : epochs[count - 1];
    }

    /** First offset of {@code epoch}, or -1 when the log holds no batch of it. */
    long startOffset(final int epoch)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            if (epochs[i] == epoch)
            {
                return startOffsets[i];
            }
        }
        return -1;
    }

    /**
     * The end offset of {@code epoch} as OffsetsForLeaderEpoch answers it: the start offset of the first
     * later epoch, or {@code logEndOffset} for the latest; -1 when {@code epoch} is older than every entry.
     */
    long endOffset(final int epoch, final long logEndOffset)
    {
        if (count == 0 || epoch < epochs[0])
        {
            return -1;
        }
        for (int i = 0; i < count; i++)
        {
            if (epochs[i] > epoch)
            {
                return startOffsets[i];
            }
        }
        return logEndOffset;
    }

    /** The largest known epoch that is at most {@code epoch}, or -1. */
    int floorEpoch(final int epoch)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            if (epochs[i] <= epoch)
            {
                return epochs[i];
            }
        }
        return -1;
    }

    /**
     * Note that appends at {@code startOffset} onwards carry {@code epoch}.
     *
     * @return true when the cache changed and was checkpointed.
     */
    boolean assign(final int epoch, final long startOffset) throws IOException
    {
        if (epoch < 0 || (count > 0 && epoch <= epochs[count - 1]))
        {
            return false;
        }
        while (count > 0 && startOffsets[count - 1] >= startOffset)
        {
            count--;
        }
        add(epoch, startOffset);
        write();
        return true;
    }

    /** Drop the entries starting at or after {@code endOffset}, after a truncation of the log's tail. */
    void truncateFromEnd(final long endOffset) throws IOException
    {
        final int before = count;
        while (count > 0 && startOffsets[count - 1] >= endOffset)
        {
            count--;
        }
        if (count != before)
        {
            write();
        }
    }

    /** Forget epochs wholly below {@code startOffset}; the one spanning it now starts there. */
    void truncateFromStart(final long startOffset) throws IOException
    {
        int keepFrom = 0;
        while (keepFrom + 1 < count && startOffsets[keepFrom + 1] <= startOffset)
        {
            keepFrom++;
        }
        if (count == 0 || (keepFrom == 0 && startOffsets[0] >= startOffset))
        {
            return;
        }
        System.arraycopy(epochs, keepFrom, epochs, 0, count - keepFrom);
        System.arraycopy(startOffsets, keepFrom, startOffsets, 0, count - keepFrom);
        count -= keepFrom;
        startOffsets[0] = Math.max(startOffsets[0], startOffset);
        write();
    }

    private void add(final int epoch, final long startOffset)
    {
        if (count == epochs.length)
        {
            epochs = Arrays.copyOf(epochs, count * 2);
            startOffsets = Arrays.copyOf(startOffsets, count * 2);
        }
        epochs[count] = epoch;
        startOffsets[count] = startOffset;
        count++;
    }

    private void write() throws IOException
    {
        final StringBuilder text = new StringBuilder(32 + count * 24).append("0\n").append(count).append('\n');
        for (int i = 0; i < count; i++)
        {
            text.append(epochs[i]).append(' ').append(startOffsets[i]).append('\n');
        }
        CheckpointFile.write(file, text.toString());
    }
}
