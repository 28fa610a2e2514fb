package io.sluice.codecs.kafka;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Bounds-checked reads of Kafka's primitive wire types (big-endian ints, unsigned varints, classic and compact
 * strings, arrays and bytes, tagged-field sections) from a window of a {@link DirectBuffer}.
 *
 * <p>A read that would pass the limit, or a length that cannot be right, marks the reader malformed and
 * returns zero; every later read returns zero too, so a decoder checks {@link #isMalformed()} once per
 * step instead of after every field. Nothing is ever read outside {@code [position, limit)}, nothing throws
 * and nothing is allocated: reasons are string constants.
 *
 * <p>Not thread-safe. Does not own the buffer.
 */
final class WireReader
{
    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    /** Kafka refuses strings longer than this in every encoding. */
    static final int MAX_STRING_LENGTH = Short.MAX_VALUE;

    private static final long UNSIGNED_INT_MASK = 0xFFFF_FFFFL;

    private DirectBuffer buffer;
    private int position;
    private int limit;
    private String malformedReason;

    /**
     * Read {@code [position, limit)} of {@code buffer}; a window outside the buffer's capacity makes the reader
     * malformed at once rather than letting a read fault.
     */
    void wrap(final DirectBuffer buffer, final int position, final int length)
    {
        this.buffer = buffer;
        this.position = position;
        this.limit = position + length;
        malformedReason = null;
        if (position < 0 || length < 0 || (long)position + length > buffer.capacity())
        {
            this.limit = position;
            fail("frame window outside the buffer");
        }
    }

    /** Forget the last window and any failure, reading nothing until the next {@link #wrap}. */
    void reset()
    {
        position = 0;
        limit = 0;
        malformedReason = null;
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    int position()
    {
        return position;
    }

    void position(final int position)
    {
        this.position = position;
    }

    int limit()
    {
        return limit;
    }

    int remaining()
    {
        return limit - position;
    }

    boolean isMalformed()
    {
        return malformedReason != null;
    }

    /** Why the input was refused, or null; a constant, so logging it allocates nothing here. */
    String malformedReason()
    {
        return malformedReason;
    }

    /** Mark the input malformed; the first reason wins and every later read returns zero. */
    private void fail(final String reason)
    {
        if (malformedReason == null)
        {
            malformedReason = reason;
        }
        position = limit;
    }

    byte readInt8()
    {
        if (!require(1))
        {
            return 0;
        }
        final byte value = buffer.getByte(position);
        position += 1;
        return value;
    }

    short readInt16()
    {
        if (!require(2))
        {
            return 0;
        }
        final short value = buffer.getShort(position, ORDER);
        position += 2;
        return value;
    }

    int readInt32()
    {
        if (!require(4))
        {
            return 0;
        }
        final int value = buffer.getInt(position, ORDER);
        position += 4;
        return value;
    }

    long readInt64()
    {
        if (!require(8))
        {
            return 0;
        }
        final long value = buffer.getLong(position, ORDER);
        position += 8;
        return value;
    }

    /**
     * An unsigned varint of at most five bytes whose value fits 32 bits, as Kafka writes lengths, counts and
     * tags.
     *
     * @return the value in {@code [0, 2^32)}, or 0 once malformed.
     */
    long readUnsignedVarint()
    {
        long value = 0;
        for (int shift = 0; shift <= 28; shift += 7)
        {
            if (!require(1))
            {
                return 0;
            }
            final int b = buffer.getByte(position++) & 0xFF;
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (value > UNSIGNED_INT_MASK)
                {
                    fail("varint overflows 32 bits");
                    return 0;
                }
                return value;
            }
        }
        fail("varint longer than five bytes");
        return 0;
    }

    /**
     * Length prefix of a string: int16 (-1 for null) when classic, unsigned varint of length + 1 (0 for null)
     * when compact. Leaves the position at the first byte of the string and checks it fits in the window.
     *
     * @return the length, -1 for a null string or 0 once malformed.
     */
    int readStringLength(final boolean compact, final boolean nullable)
    {
        final long length = compact ? readUnsignedVarint() - 1 : readInt16();
        return checkLength(length, nullable, MAX_STRING_LENGTH, "string past the end");
    }

    /**
     * Length prefix of a bytes or records field: int32 (-1 for null) when classic, unsigned varint of length + 1
     * when compact. Leaves the position at the first byte and checks they fit in the window.
     *
     * @return the length, -1 for null or 0 once malformed.
     */
    int readBytesLength(final boolean compact, final boolean nullable)
    {
        final long length = compact ? readUnsignedVarint() - 1 : readInt32();
        return checkLength(length, nullable, Integer.MAX_VALUE, "bytes past the end");
    }

    /**
     * Element count of an array: int32 (-1 for null) when classic, unsigned varint of count + 1 when compact.
     * Every element takes at least one byte, so a count above the bytes left is refused before anyone loops
     * over it.
     *
     * @return the count, -1 for a null array or 0 once malformed.
     */
    int readArrayCount(final boolean compact, final boolean nullable)
    {
        final long count = compact ? readUnsignedVarint() - 1 : readInt32();
        return checkLength(count, nullable, Integer.MAX_VALUE, "array count past the end");
    }

    /** Count of a tagged-field section; each field takes at least two bytes (tag and size). */
    int readTaggedFieldCount()
    {
        final long count = readUnsignedVarint();
        if (count > remaining())
        {
            fail("tagged field count past the end");
            return 0;
        }
        return (int)count;
    }

    /** The tag of one tagged field; its size follows ({@link #readTaggedFieldSize}). */
    int readTag()
    {
        final long tag = readUnsignedVarint();
        if (tag > Integer.MAX_VALUE)
        {
            fail("tag out of range");
            return 0;
        }
        return (int)tag;
    }

    /** Size of a tagged field's value, checked to fit in the window. */
    int readTaggedFieldSize()
    {
        final long size = readUnsignedVarint();
        if (size > remaining())
        {
            fail("tagged field past the end");
            return 0;
        }
        return (int)size;
    }

    /**
     * Narrow the window to a known tagged field's value of {@code size} bytes, so parsing it cannot run into
     * what follows.
     *
     * @return the limit to hand back to {@link #endTaggedField}.
     */
    int beginTaggedField(final int size)
    {
        final int savedLimit = limit;
        limit = position + size;
        return savedLimit;
    }

    /** Restore the window after a known tagged field, which must have been read to its declared size exactly. */
    void endTaggedField(final int savedLimit)
    {
        if (position != limit)
        {
            fail("tagged field size does not match its contents");
        }
        limit = savedLimit;
    }

    /** Skip {@code count} fixed-size elements, checking the total in 64 bits so a huge count cannot wrap. */
    void skipElements(final int count, final int elementSize)
    {
        if ((long)count * elementSize > remaining())
        {
            fail("array past the end");
            return;
        }
        skip(count * elementSize);
    }

    /** Skip a whole tagged-field section whose tags this version does not define or the caller ignores. */
    void skipTaggedFields()
    {
        final int count = readTaggedFieldCount();
        for (int i = 0; i < count && !isMalformed(); i++)
        {
            readTag();
            skip(readTaggedFieldSize());
        }
    }

    void skip(final int bytes)
    {
        if (bytes > 0 && require(bytes))
        {
            position += bytes;
        }
    }

    private int checkLength(final long length, final boolean nullable, final int max, final String pastEndReason)
    {
        if (isMalformed())
        {
            return 0;
        }
        if (length == -1)
        {
            if (!nullable)
            {
                fail("null where the schema forbids it");
                return 0;
            }
            return -1;
        }
        if (length < -1)
        {
            fail("negative length");
            return 0;
        }
        if (length > max)
        {
            fail("length over the type's maximum");
            return 0;
        }
        if (length > remaining())
        {
            fail(pastEndReason);
            return 0;
        }
        return (int)length;
    }

    private boolean require(final int bytes)
    {
        if (malformedReason != null)
        {
            return false;
        }
        if (bytes > limit - position)
        {
            fail("truncated");
            return false;
        }
        return true;
    }
}
