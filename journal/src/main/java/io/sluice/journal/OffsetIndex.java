package io.sluice.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Sparse index from offset to file position for one segment: 4-byte offset relative to the segment's base,
 * then the 4-byte position of the batch starting at that offset. Entries increase strictly in both fields and
 * never point at position 0 (the segment's first batch needs no entry).
 *
 * <p>Lookups are binary searches over the mapping and allocate nothing. Not thread-safe.
 */
final class OffsetIndex extends IndexFile
{
    static final int ENTRY_SIZE = 8;

    OffsetIndex(final Path path, final long baseOffset, final int capacityBytes) throws IOException
    {
        super(path, baseOffset, ENTRY_SIZE, capacityBytes);
    }

    void append(final long offset, final int position)
    {
        final int index = entries * ENTRY_SIZE;
        mmap.putInt(index, (int)(offset - baseOffset));
        mmap.putInt(index + 4, position);
        entries++;
    }

    long offset(final int entry)
    {
        return baseOffset + mmap.getInt(entry * ENTRY_SIZE);
    }

    int position(final int entry)
    {
        return mmap.getInt(entry * ENTRY_SIZE + 4);
    }

    /** Position of the last indexed batch starting at or before {@code offset}; 0 when none is indexed. */
    int floorPosition(final long offset)
    {
        final int entry = floorEntryByOffset(offset);
        return entry < 0 ? 0 : position(entry);
    }

    /** The largest indexed position that is at most {@code position}; 0 when none is. */
    int floorPositionByPosition(final int position)
    {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (position(mid) <= position)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found < 0 ? 0 : position(found);
    }

    /** Drop the entries for offsets at or after {@code offset}. */
    void truncateToOffset(final long offset)
    {
        truncateEntries(floorEntryByOffset(offset - 1) + 1);
    }

    /**
     * Cheap consistency check against a segment holding offsets below {@code nextOffset} in {@code logSize}
     * bytes: whole entries, and the first and last entries in range and increasing. The caller confirms the
     * last entry against the batch it points at.
     */
    boolean looksSane(final long nextOffset, final int logSize)
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
        return mmap.getInt(0) > 0 && position(0) > 0 &&
            offset(last) < nextOffset && position(last) < logSize &&
            offset(last) >= offset(0) && position(last) >= position(0);
    }

    private int floorEntryByOffset(final long offset)
    {
        final long relative = offset - baseOffset;
        if (relative < 0)
        {
            return -1;
        }
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (mmap.getInt(mid * ENTRY_SIZE) <= relative)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found;
    }
}
