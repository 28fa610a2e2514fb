package io.sluice.codecs.record;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C (Castagnoli) as RecordBatch v2 uses it.
 *
 * <p>Off-heap bytes are checksummed in place by address through Agrona's {@link org.agrona.checksum.Crc32c}
 * (the JDK intrinsic underneath), which needs {@code --add-opens java.base/java.util.zip=ALL-UNNAMED}; heap
 * bytes through a thread-local {@link CRC32C}. With the flag it allocates nothing, whatever buffer it is
 * handed. Without it, off-heap bytes go through a per-thread view of the last ByteBuffer seen, which costs
 * one small allocation whenever the source buffer changes. Thread-safe.
 */
public final class Crc32c
{
    private static final ThreadLocal<CRC32C> HEAP_CRC = ThreadLocal.withInitial(CRC32C::new);
    private static final ThreadLocal<DirectView> DIRECT_VIEW = ThreadLocal.withInitial(DirectView::new);
    private static final boolean BY_ADDRESS = addressChecksumUsable();

    private Crc32c()
    {
    }

    /** CRC32C of {@code length} bytes at {@code index} of {@code buffer}, as an unsigned 32-bit value. */
    public static long compute(final DirectBuffer buffer, final int index, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            final int base = (int)(buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET);
            return heap(array, base + index, length);
        }
        if (BY_ADDRESS)
        {
            return direct(buffer.addressOffset(), index, length);
        }
        final ByteBuffer byteBuffer = buffer.byteBuffer();
        final int base = (int)(buffer.addressOffset() - BufferUtil.address(byteBuffer));
        return DIRECT_VIEW.get().compute(byteBuffer, base + index, length);
    }

    /** CRC32C of {@code length} bytes at absolute {@code index} of {@code buffer}; its position is untouched. */
    public static long compute(final ByteBuffer buffer, final int index, final int length)
    {
        if (buffer.isDirect())
        {
            return BY_ADDRESS ?
                direct(BufferUtil.address(buffer), index, length) :
                DIRECT_VIEW.get().compute(buffer, index, length);
        }
        return heap(buffer.array(), buffer.arrayOffset() + index, length);
    }

    private static long direct(final long address, final int index, final int length)
    {
        return org.agrona.checksum.Crc32c.INSTANCE.compute(address, index, length) & 0xFFFF_FFFFL;
    }

    private static long heap(final byte[] array, final int index, final int length)
    {
        final CRC32C crc = HEAP_CRC.get();
        crc.reset();
        crc.update(array, index, length);
        return crc.getValue();
    }

    private static boolean addressChecksumUsable()
    {
        try
        {
            final ByteBuffer probe = ByteBuffer.allocateDirect(8);
            return direct(BufferUtil.address(probe), 0, 8) == heap(new byte[8], 0, 8);
        }
        catch (final Throwable ex)
        {
            return false;
        }
    }

    /** Fallback for off-heap bytes when the address path is closed to us: a reusable view of one ByteBuffer. */
    private static final class DirectView
    {
        private final CRC32C crc = new CRC32C();
        private ByteBuffer source;
        private ByteBuffer view;

        long compute(final ByteBuffer buffer, final int index, final int length)
        {
            if (source != buffer)
            {
                source = buffer;
                view = buffer.duplicate();
            }
            view.limit(index + length).position(index);
            crc.reset();
            crc.update(view);
            return crc.getValue();
        }
    }
}
