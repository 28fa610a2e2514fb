package io.sluice.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The segments of a log in offset order, the last one active. An array searched by binary search, so finding
 * the segment for an offset allocates nothing (no sorted-map entries). Not thread-safe.
 */
final class SegmentList
{
    private LogSegment[] segments;
    private int count;

    SegmentList(final List<LogSegment> loaded)
    {
        segments = loaded.toArray(new LogSegment[Math.max(16, loaded.size() * 2)]);
        count = loaded.size();
    }

    int count()
    {
        return count;
    }

    LogSegment get(final int i)
    {
        return segments[i];
    }

    LogSegment first()
    {
        return segments[0];
    }

    LogSegment active()
    {
        return segments[count - 1];
    }

    /** Index of the segment holding {@code offset}: the last whose base offset is at most it (0 if none). */
    int floor(final long offset)
    {
        int low = 0;
        int high = count - 1;
        int found = 0;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (segments[mid].baseOffset() <= offset)
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

    /** The offset after segment {@code i}: the next segment's base, or {@code logEndOffset} for the active one. */
    long endOffset(final int i, final long logEndOffset)
    {
        return i + 1 < count ? segments[i + 1].baseOffset() : logEndOffset;
    }

    long sizeInBytes()
    {
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            bytes += segments[i].size();
        }
        return bytes;
    }

    void add(final LogSegment segment)
    {
        if (count == segments.length)
        {
            segments = Arrays.copyOf(segments, count * 2);
        }
        segments[count++] = segment;
    }

    /** Index of exactly this segment object, or -1 when it is no longer in the list. */
    int indexOf(final LogSegment segment)
    {
        final int i = floor(segment.baseOffset());
        return i < count && segments[i] == segment ? i : -1;
    }

    /** Put {@code replacement} in place of the {@code length} segments starting at {@code from}. */
    void replace(final int from, final int length, final LogSegment replacement)
    {
        segments[from] = replacement;
        final int tail = count - from - length;
        System.arraycopy(segments, from + length, segments, from + 1, tail);
        for (int i = from + 1 + tail; i < count; i++)
        {
            segments[i] = null;
        }
        count -= length - 1;
    }

    LogSegment removeFirst()
    {
        final LogSegment first = segments[0];
        System.arraycopy(segments, 1, segments, 0, count - 1);
        segments[--count] = null;
        return first;
    }

    LogSegment removeLast()
    {
        final LogSegment last = segments[--count];
        segments[count] = null;
        return last;
    }

    /** Close every segment, continuing past failures; the list is empty afterwards. */
    void closeAll()
    {
        IOException failure = null;
        for (int i = 0; i < count; i++)
        {
            try
            {
                segments[i].close();
            }
            catch (final IOException ex)
            {
                failure = ex;
            }
            segments[i] = null;
        }
        count = 0;
        if (failure != null)
        {
            throw new UncheckedIOException(failure);
        }
    }
}
