package io.sluice.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code partition.checkpoint} file: recovery point, log start offset and high watermark, plus, after a
 * clean shutdown only, the log end offset and the active segment's size that let the next open skip recovery.
 *
 * <pre>
 * 0                       version
 * recovery-point 1234
 * log-start-offset 0
 * high-watermark 1234
 * clean-end 1234 56789    (log end offset, active segment bytes; present only after a clean close)
 * cleaner-offset 1000     (first offset the cleaner has not deduplicated; present once a cleaning completed)
 * </pre>
 */
final class PartitionCheckpoint
{
    static final String FILE_NAME = "partition.checkpoint";
    private static final String VERSION = "0";

    long recoveryPoint;
    long logStartOffset;
    long highWatermark;
    /** Log end offset at a clean close, else -1. */
    long cleanEndOffset = -1;
    long cleanActiveSegmentBytes = -1;
    /**
     * The cleaner's checkpoint: offsets below it were deduplicated by a completed cleaning, and only there may a
     * segment have gaps between its offsets. -1 before the first cleaning.
     */
    long cleanerOffset = -1;

    /**
     * Read the checkpoint in {@code dir}.
     *
     * @return false, leaving this unchanged, when it is missing or unreadable.
     */
    boolean read(final Path dir) throws IOException
    {
        final List<String> lines = CheckpointFile.read(dir.resolve(FILE_NAME));
        if (lines == null || lines.isEmpty() || !VERSION.equals(lines.get(0).trim()))
        {
            return false;
        }
        long recovery = -1;
        long start = -1;
        long watermark = -1;
        long cleanEnd = -1;
        long cleanBytes = -1;
        long cleaner = -1;
        try
        {
            for (int i = 1; i < lines.size(); i++)
            {
                final String[] fields = lines.get(i).trim().split(" ");
                switch (fields[0])
                {
                    case "recovery-point":
                        recovery = Long.parseLong(fields[1]);
                        break;
                    case "log-start-offset":
                        start = Long.parseLong(fields[1]);
                        break;
                    case "high-watermark":
                        watermark = Long.parseLong(fields[1]);
                        break;
                    case "cleaner-offset":
                        cleaner = Long.parseLong(fields[1]);
                        break;
                    case "clean-end":
                        cleanEnd = Long.parseLong(fields[1]);
                        cleanBytes = Long.parseLong(fields[2]);
                        break;
                    default:
                        break;
                }
            }
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
        if (recovery < 0 || start < 0 || watermark < 0)
        {
            return false;
        }
        recoveryPoint = recovery;
        logStartOffset = start;
        highWatermark = watermark;
        cleanEndOffset = cleanEnd;
        cleanActiveSegmentBytes = cleanBytes;
        cleanerOffset = cleaner;
        return true;
    }

    void write(final Path dir) throws IOException
    {
        final StringBuilder text = new StringBuilder(128)
            .append(VERSION).append('\n')
            .append("recovery-point ").append(recoveryPoint).append('\n')
            .append("log-start-offset ").append(logStartOffset).append('\n')
            .append("high-watermark ").append(highWatermark).append('\n');
        if (cleanEndOffset >= 0)
        {
            text.append("clean-end ").append(cleanEndOffset).append(' ').append(cleanActiveSegmentBytes).append('\n');
        }
        if (cleanerOffset >= 0)
        {
            text.append("cleaner-offset ").append(cleanerOffset).append('\n');
        }
        CheckpointFile.write(dir.resolve(FILE_NAME), text.toString());
    }
}
