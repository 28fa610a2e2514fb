package io.sluice.codecs.record;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Zig-zag varints as Kafka's record format uses them. A read returns the value and the number of bytes it
 * took packed in one long (value in the low 32 bits, size in the high 32), so nothing is allocated. Writes
 * (for clients that build batches, such as Sluice's native client) return the bytes written.
 */
public final class Varints
{
    /** Returned when the varint runs past the limit or is longer than five bytes. */
    public static final long MALFORMED = Long.MIN_VALUE;

    private Varints()
    {
    }

    /**
     * Read a zig-zag encoded int at {@code index}, not reading at or beyond {@code limit}.
     *
     * @return value and size packed (see {@link #value} and {@link #size}), or {@link #MALFORMED}.
     */
    public static long readZigZagInt(final DirectBuffer buffer, final int index, final int limit)
    {
        int raw = 0;
        int shift = 0;
        int position = index;
        while (true)
        {
            if (position >= limit || shift > 28)
            {
                return MALFORMED;
            }
            final byte b = buffer.getByte(position++);
            raw |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
            shift += 7;
        }
        final int value = (raw >>> 1) ^ -(raw & 1);
        return ((long)(position - index) << 32) | (value & 0xFFFF_FFFFL);
    }

    /** Bytes the zig-zag varint of {@code value} takes: 1 to 5. */
    public static int sizeOfZigZagInt(final int value)
    {
        return sizeOfUnsigned((value << 1) ^ (value >> 31));
    }

    /** Bytes the zig-zag varlong of {@code value} takes: 1 to 10. */
    public static int sizeOfZigZagLong(final long value)
    {
        long raw = (value << 1) ^ (value >> 63);
        int size = 1;
        while ((raw & ~0x7FL) != 0)
        {
            size++;
            raw >>>= 7;
        }
        return size;
    }

    /**
     * Write {@code value} zig-zag encoded at {@code index}.
     *
     * @return the bytes written: {@link #sizeOfZigZagInt}.
     */
    public static int putZigZagInt(final MutableDirectBuffer buffer, final int index, final int value)
    {
        int raw = (value << 1) ^ (value >> 31);
        int position = index;
        while ((raw & ~0x7F) != 0)
        {
            buffer.putByte(position++, (byte)((raw & 0x7F) | 0x80));
            raw >>>= 7;
        }
        buffer.putByte(position++, (byte)raw);
        return position - index;
    }

    /**
     * Write {@code value} zig-zag encoded as a varlong at {@code index}.
     *
     * @return the bytes written: {@link #sizeOfZigZagLong}.
     */
    public static int putZigZagLong(final MutableDirectBuffer buffer, final int index, final long value)
    {
        long raw = (value << 1) ^ (value >> 63);
        int position = index;
        while ((raw & ~0x7FL) != 0)
        {
            buffer.putByte(position++, (byte)((raw & 0x7F) | 0x80));
            raw >>>= 7;
        }
        buffer.putByte(position++, (byte)raw);
        return position - index;
    }

    private static int sizeOfUnsigned(final int raw)
    {
        int value = raw;
        int size = 1;
        while ((value & ~0x7F) != 0)
        {
            size++;
            value >>>= 7;
        }
        return size;
    }

    public static int value(final long valueAndSize)
    {
        return (int)valueAndSize;
    }

    public static int size(final long valueAndSize)
    {
        return (int)(valueAndSize >>> 32);
    }
}
