package io.sluice.codecs.kafka;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes Kafka's primitive wire types (big-endian ints, unsigned varints, classic and compact strings, arrays
 * and bytes, empty tagged-field sections) at a moving position in a {@link MutableDirectBuffer}.
 *
 * <p>There is no limit check of its own: the buffer's bounds checks apply, and an expandable buffer grows.
 * Not thread-safe. Does not own the buffer.
 */
final class WireWriter
{
    private MutableDirectBuffer buffer;
    private int position;

    void wrap(final MutableDirectBuffer buffer, final int position)
    {
        this.buffer = buffer;
        this.position = position;
    }

    int position()
    {
        return position;
    }

    void writeInt8(final byte value)
    {
        buffer.putByte(position, value);
        position += 1;
    }

    void writeInt16(final short value)
    {
        buffer.putShort(position, value, WireReader.ORDER);
        position += 2;
    }

    void writeInt32(final int value)
    {
        buffer.putInt(position, value, WireReader.ORDER);
        position += 4;
    }

    void writeInt64(final long value)
    {
        buffer.putLong(position, value, WireReader.ORDER);
        position += 8;
    }

    void writeUuid(final long mostSignificantBits, final long leastSignificantBits)
    {
        writeInt64(mostSignificantBits);
        writeInt64(leastSignificantBits);
    }

    /** An unsigned varint of a value in {@code [0, 2^32)}. */
    void writeUnsignedVarint(final long value)
    {
        long remaining = value;
        while ((remaining & ~0x7FL) != 0)
        {
            buffer.putByte(position++, (byte)((remaining & 0x7F) | 0x80));
            remaining >>>= 7;
        }
        buffer.putByte(position++, (byte)remaining);
    }

    /** No tagged fields: a section of count zero. */
    void writeEmptyTaggedFields()
    {
        buffer.putByte(position++, (byte)0);
    }

    /** Element count of an array, -1 for null: int32 when classic, unsigned varint of count + 1 when compact. */
    void writeArrayCount(final int count, final boolean compact)
    {
        writeLength(count, compact);
    }

    /** Length prefix of a bytes or records field, -1 for null. */
    void writeBytesLength(final int length, final boolean compact)
    {
        writeLength(length, compact);
    }

    /** A string copied from {@code source}; {@code length} -1 writes null. */
    void writeString(final DirectBuffer source, final int offset, final int length, final boolean compact)
    {
        writeStringLength(length, compact);
        if (length > 0)
        {
            buffer.putBytes(position, source, offset, length);
            position += length;
        }
    }

    /** A string of ASCII characters (others are written as '?'); null writes null. */
    void writeAsciiString(final String value, final boolean compact)
    {
        if (value == null)
        {
            writeStringLength(-1, compact);
            return;
        }
        writeStringLength(value.length(), compact);
        position += buffer.putStringWithoutLengthAscii(position, value);
    }

    private void writeStringLength(final int length, final boolean compact)
    {
        if (length > WireReader.MAX_STRING_LENGTH || length < -1)
        {
            throw new IllegalArgumentException("string length " + length + " is outside Kafka's -1 (null) to 32767");
        }
        if (compact)
        {
            writeUnsignedVarint(length + 1L);
        }
        else
        {
            writeInt16((short)length);
        }
    }

    private void writeLength(final int length, final boolean compact)
    {
        if (length < -1)
        {
            throw new IllegalArgumentException("length " + length + " is neither -1 (null) nor a size");
        }
        if (compact)
        {
            writeUnsignedVarint(length + 1L);
        }
        else
        {
            writeInt32(length);
        }
    }
}
