package io.sluice.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The three files of one segment as they are named at some moment: log, offset index, time index. */
record LogSegmentFiles(Path log, Path index, Path timeIndex)
{
    static LogSegmentFiles of(final LogSegment segment)
    {
        return new LogSegmentFiles(segment.logPath(), segment.offsetIndex().path(), segment.timeIndex().path());
    }

    void deleteIfExist() throws IOException
    {
        Files.deleteIfExists(log);
        Files.deleteIfExists(index);
        Files.deleteIfExists(timeIndex);
    }
}
