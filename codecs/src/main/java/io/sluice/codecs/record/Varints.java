package io.sluice.codecs.record;

import org.agrona.DirectBuffer;

/**
 * Zig-zag varints as Kafka's record format uses them. A read returns the value and the number of bytes it
 * took packed in one long (value in the low 32 bits, size in the high 32), so nothing is allocated.
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

    public static int value(final long valueAndSize)
    {
        return (int)valueAndSize;
    }

    public static int size(final long valueAndSize)
    {
        return (int)(valueAndSize >>> 32);
    }
}
