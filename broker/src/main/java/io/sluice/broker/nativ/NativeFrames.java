package io.sluice.broker.nativ;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/** Checks on the parts of a native request that SBE's generated decoders take on trust. */
final class NativeFrames
{
    private NativeFrames()
    {
    }

    /**
     * Check the repeating group header at {@code limit}: its entries must hold at least the
     * {@code minBlockLength} bytes of fields this broker reads.
     *
     * @return the number of entries.
     * @throws MalformedRequestException  when the entries are too short.
     * @throws IndexOutOfBoundsException  when the header is past the end of the frame.
     */
    static int checkGroup(final DirectBuffer frame, final int limit, final int minBlockLength, final String group)
    {
        final int blockLength = frame.getShort(limit, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (blockLength < minBlockLength)
        {
            throw new MalformedRequestException(
                group + " entries of " + blockLength + " bytes, fewer than their " + minBlockLength + " bytes of fields");
        }
        return frame.getShort(limit + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    /**
     * Check that a response can answer each of a request group's {@code count} entries: its own group carries at
     * most {@code max}.
     *
     * @throws MalformedRequestException when it cannot.
     */
    static void checkCount(final int count, final int max, final String group)
    {
        if (count > max)
        {
            throw new MalformedRequestException(group + " has " + count + " entries; at most " + max + " are answered");
        }
    }

    /**
     * Check that variable data of {@code length} bytes ending at {@code end} lies inside the frame.
     *
     * @throws IndexOutOfBoundsException when it does not (a negative or oversized length).
     */
    static void checkData(final DirectBuffer frame, final int length, final int end)
    {
        if (length < 0 || end > frame.capacity() || end < 0)
        {
            throw new IndexOutOfBoundsException("data of " + (length & 0xFFFF_FFFFL) + " bytes ends past the frame");
        }
    }

    /**
     * Check that fixed-size entries ending at {@code end} lie inside the frame.
     *
     * @throws IndexOutOfBoundsException when they do not.
     */
    static void checkEnd(final DirectBuffer frame, final int end)
    {
        if (end > frame.capacity())
        {
            throw new IndexOutOfBoundsException("entries end at " + end + ", past the frame");
        }
    }
}
