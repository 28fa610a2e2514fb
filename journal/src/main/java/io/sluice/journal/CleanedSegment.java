package io.sluice.journal;

import java.io.IOException;

/**
 * A finished {@code .cleaned} segment and the group of consecutive source segments of its {@link CleaningTask}
 * it replaces. Immutable; made by {@link CleanedSegmentWriter#finish}. Its files are forced and closed: only the
 * log's owner thread touches them from then on.
 */
public final class CleanedSegment
{
    final int firstSource;
    final int sourceCount;
    final LogSegmentFiles files;
    private final int size;

    CleanedSegment(final int firstSource, final int sourceCount, final LogSegmentFiles files, final int size)
    {
        this.firstSource = firstSource;
        this.sourceCount = sourceCount;
        this.files = files;
        this.size = size;
    }

    /** Remove the files of a cleaned segment that will not be swapped in. */
    public void discard() throws IOException
    {
        files.deleteIfExist();
    }

    @Override
    public String toString()
    {
        return "CleanedSegment{sources=" + firstSource + "+" + sourceCount + ", size=" + size + "}";
    }
}
