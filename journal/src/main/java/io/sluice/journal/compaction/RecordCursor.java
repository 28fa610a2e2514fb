package io.sluice.journal.compaction;

import io.sluice.codecs.record.Varints;
import org.agrona.DirectBuffer;

import java.io.IOException;

/**
 * Walks the records of an uncompressed records section (RecordBatch v2), exposing where each record's parts are
 * without copying them:
 *
 * <pre>
 *   length varint, attributes int8, timestampDelta varlong, offsetDelta varint,
 *   keyLength varint (-1 = null), key, valueLength varint (-1 = null: a tombstone), value, headers
 * </pre>
 *
 * <p>Not thread-safe; allocates nothing. A malformed record is an {@link IOException}.
 */
final class RecordCursor
{
    private DirectBuffer buffer;
    private int position;
    private int limit;
    private int recordStart;
    private int recordEnd;
    private int timestampStart;
    private int offsetDeltaStart;
    private long timestampDelta;
    private int offsetDelta;
    private int keyOffset;
    private int keyLength;
    private int valueLength;

    /** Walk the records in {@code [start, limit)} of {@code buffer}. */
    RecordCursor reset(final DirectBuffer buffer, final int start, final int limit)
    {
        this.buffer = buffer;
        position = start;
        this.limit = limit;
        return this;
    }

    /** Move to the next record; false after the last. */
    boolean next() throws IOException
    {
        if (position >= limit)
        {
            return false;
        }
        recordStart = position;
        final long length = Varints.readZigZagInt(buffer, position, limit);
        if (length == Varints.MALFORMED || Varints.value(length) < 1 ||
            Varints.value(length) > limit - position - Varints.size(length))
        {
            throw malformed();
        }
        final int bodyStart = position + Varints.size(length);
        recordEnd = bodyStart + Varints.value(length);
        timestampStart = bodyStart + 1;
        int at = readTimestampDelta(timestampStart);
        offsetDeltaStart = at;
        final long offset = Varints.readZigZagInt(buffer, at, recordEnd);
        if (offset == Varints.MALFORMED)
        {
            throw malformed();
        }
        offsetDelta = Varints.value(offset);
        at += Varints.size(offset);
        final long key = Varints.readZigZagInt(buffer, at, recordEnd);
        if (key == Varints.MALFORMED || Varints.value(key) < -1)
        {
            throw malformed();
        }
        keyLength = Varints.value(key);
        keyOffset = at + Varints.size(key);
        at = keyOffset + Math.max(0, keyLength);
        final long value = Varints.readZigZagInt(buffer, at, recordEnd);
        if (at > recordEnd || value == Varints.MALFORMED || Varints.value(value) < -1 ||
            at + Varints.size(value) + Math.max(0, Varints.value(value)) > recordEnd)
        {
            throw malformed();
        }
        valueLength = Varints.value(value);
        position = recordEnd;
        return true;
    }

    int recordStart()
    {
        return recordStart;
    }

    int recordEnd()
    {
        return recordEnd;
    }

    /** Where the timestamp delta starts (after the length and attributes). */
    int timestampStart()
    {
        return timestampStart;
    }

    /** Where the offset delta starts: everything from here to {@link #recordEnd()} is independent of the batch base. */
    int offsetDeltaStart()
    {
        return offsetDeltaStart;
    }

    byte attributes()
    {
        return buffer.getByte(timestampStart - 1);
    }

    long timestampDelta()
    {
        return timestampDelta;
    }

    int offsetDelta()
    {
        return offsetDelta;
    }

    boolean hasKey()
    {
        return keyLength >= 0;
    }

    int keyOffset()
    {
        return keyOffset;
    }

    int keyLength()
    {
        return keyLength;
    }

    /** A record without a value is a tombstone: it deletes its key. */
    boolean isTombstone()
    {
        return valueLength < 0;
    }

    private int readTimestampDelta(final int start) throws IOException
    {
        long raw = 0;
        int shift = 0;
        int at = start;
        while (true)
        {
            if (at >= recordEnd || shift > 63)
            {
                throw malformed();
            }
            final byte b = buffer.getByte(at++);
            raw |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
            shift += 7;
        }
        timestampDelta = (raw >>> 1) ^ -(raw & 1);
        return at;
    }

    private IOException malformed()
    {
        return new IOException("malformed record at " + recordStart);
    }
}
