package io.sluice.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Sparse index from timestamp to offset for one segment: 8-byte timestamp, then the 4-byte offset (relative
 * to the segment's base) of the first batch that reached it. Timestamps increase strictly: an entry records
 * the segment's running maximum each time the offset index gains an entry, and once more when the segment is
 * rolled or closed, so the last entry of an inactive segment holds its largest timestamp.
 *
 * <p>Lookups are binary searches over the mapping and allocate nothing. Not thread-safe.
 */
final class TimeIndex extends IndexFile
{
    static final int ENTRY_SIZE = 12;

    TimeIndex(final Path path, final long baseOffset, final int capacityBytes) throws IOException
    {
        super(path, baseOffset, ENTRY_SIZE, capacityBytes);
    }

    /** Record {@code timestamp} first reached at {@code offset}, unless it is not above the last entry. */
    void maybeAppend(final long timestamp, final long offset)
    {
        if (timestamp < 0 || isFull() || (entries > 0 && timestamp <= timestamp(entries - 1)))
        {
            return;
        }
        final int index = entries * ENTRY_SIZE;
        mmap.putLong(index, timestamp);
        mmap.putInt(index + 8, (int)(offset - baseOffset));
        entries++;
    }

    /**
     * Record the segment's final maximum on roll or close. A full index gives up its last entry for it: the
     * maximum matters more than one step of the sparse search.
     */
    void maybeAppendFinal(final long timestamp, final long offset)
    {
        if (timestamp < 0 || (entries > 0 && timestamp <= timestamp(entries - 1)))
        {
            return;
        }
        if (isFull())
        {
            if (entries == 0)
            {
                return;
            }
            entries--;
        }
        final int index = entries * ENTRY_SIZE;
        mmap.putLong(index, timestamp);
        mmap.putInt(index + 8, (int)(offset - baseOffset));
        entries++;
    }

    long timestamp(final int entry)
    {
        return mmap.getLong(entry * ENTRY_SIZE);
    }

    long offset(final int entry)
    {
        return baseOffset + mmap.getInt(entry * ENTRY_SIZE + 8);
    }

    long lastTimestamp()
    {
        return entries == 0 ? -1 : timestamp(entries - 1);
    }

    long lastOffset()
    {
        return entries == 0 ? -1 : offset(entries - 1);
    }

    /**
     * Offset of the last entry whose timestamp is strictly below {@code timestamp}: every batch up to and
     * including it has a smaller timestamp, so a search for the first batch reaching {@code timestamp} may
     * start after it. -1 when there is none.
     */
    long offsetBefore(final long timestamp)
    {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (timestamp(mid) < timestamp)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found < 0 ? -1 : offset(found);
    }

    /** Drop the entries for offsets at or after {@code offset}. */
    void truncateToOffset(final long offset)
    {
        int keep = entries;
        while (keep > 0 && offset(keep - 1) >= offset)
        {
            keep--;
        }
        truncateEntries(keep);
    }

    /** Cheap consistency check: whole entries, increasing, and offsets inside {@code [base, nextOffset)}. */
    boolean looksSane(final long nextOffset)
    {
        if (!lengthWasValid())
        {
            return false;
        }
        if (entries == 0)
        {
            return true;
        }
        final int last = entries - 1;
        return offset(0) >= baseOffset && offset(last) < nextOffset && offset(last) >= offset(0) &&
            timestamp(last) >= timestamp(0);
    }
}
