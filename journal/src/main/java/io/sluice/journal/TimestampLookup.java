package io.sluice.journal;

import java.io.IOException;

/**
 * ListOffsets by time over a log's segments: segments whose max timestamp is too small are skipped, the time
 * index says where in a segment to start, batch headers find the first batch that reaches the target, and
 * {@link RecordTimestampScanner} the record inside it. Not on the produce or fetch path. Not thread-safe.
 */
final class TimestampLookup
{
    private final BatchHeaderReader headerReader;
    private final RecordTimestampScanner scanner = new RecordTimestampScanner();

    TimestampLookup(final BatchHeaderReader headerReader)
    {
        this.headerReader = headerReader;
    }

    /** First record at or after {@code logStartOffset} with a timestamp of at least {@code timestamp}. */
    TimestampOffset offsetFor(
        final SegmentList segments, final long logStartOffset, final long timestamp, final TimestampOffset result)
        throws IOException
    {
        result.set(-1, -1);
        for (int i = segments.floor(logStartOffset); i < segments.count(); i++)
        {
            final LogSegment segment = segments.get(i);
            if (segment.maxTimestamp() < timestamp)
            {
                continue;
            }
            int position = segment.positionOfTimestamp(timestamp, logStartOffset, -1, headerReader);
            while (position >= 0)
            {
                final int length = headerReader.read(segment.channel(), position, segment.size()).totalLength();
                if (scanner.find(segment.channel(), position, length, timestamp, logStartOffset, result))
                {
                    return result;
                }
                position = segment.positionOfTimestamp(timestamp, logStartOffset, position + length, headerReader);
            }
        }
        return result;
    }

    /** The largest timestamp at or after {@code logStartOffset} and the first record that carries it. */
    TimestampOffset max(final SegmentList segments, final long logStartOffset, final TimestampOffset result)
        throws IOException
    {
        result.set(-1, -1);
        LogSegment found = null;
        for (int i = segments.floor(logStartOffset); i < segments.count(); i++)
        {
            final LogSegment segment = segments.get(i);
            if (segment.maxTimestamp() > result.timestamp && segment.offsetOfMaxTimestamp() >= logStartOffset)
            {
                result.set(segment.maxTimestamp(), segment.offsetOfMaxTimestamp());
                found = segment;
            }
        }
        if (found != null)
        {
            final int position = found.positionOf(result.offset, headerReader);
            final int length = headerReader.read(found.channel(), position, found.size()).totalLength();
            scanner.find(found.channel(), position, length, result.timestamp, logStartOffset, result);
        }
        return result;
    }
}
