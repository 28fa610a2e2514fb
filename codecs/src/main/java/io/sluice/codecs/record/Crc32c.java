package io.sluice.codecs.record;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C (Castagnoli) as RecordBatch v2 uses it.
 *
 * <p>Delegates to the JDK's intrinsic {@link CRC32C}; a direct buffer is checksummed in place through a
 * thread-local view, so a call allocates nothing once the thread is warm.
 */
public final class Crc32c
{
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Crc32c()
    {
    }

    /**
     * CRC32C of {@code length} bytes at {@code index} of {@code buffer}, as an unsigned 32-bit value.
     */
    public static long compute(final DirectBuffer buffer, final int index, final int length)
    {
        final Scratch scratch = SCRATCH.get();
        final CRC32C crc = scratch.crc;
        crc.reset();
        final ByteBuffer byteBuffer = buffer.byteBuffer();
        if (byteBuffer != null)
        {
            final int base = (int)(buffer.addressOffset() - address(byteBuffer, buffer));
            crc.update(scratch.view(byteBuffer, base + index, length));
        }
        else if (buffer.byteArray() != null)
        {
            final int base = (int)(buffer.addressOffset() - org.agrona.BufferUtil.ARRAY_BASE_OFFSET);
            crc.update(buffer.byteArray(), base + index, length);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                crc.update(buffer.getByte(index + i));
            }
        }
        return crc.getValue();
    }

    /** CRC32C of {@code length} bytes at absolute {@code index} of {@code buffer}; its position is untouched. */
    public static long compute(final ByteBuffer buffer, final int index, final int length)
    {
        final Scratch scratch = SCRATCH.get();
        final CRC32C crc = scratch.crc;
        crc.reset();
        crc.update(scratch.view(buffer, index, length));
        return crc.getValue();
    }

    private static long address(final ByteBuffer byteBuffer, final DirectBuffer buffer)
    {
        return byteBuffer.isDirect() ?
            org.agrona.BufferUtil.address(byteBuffer) :
            org.agrona.BufferUtil.ARRAY_BASE_OFFSET + byteBuffer.arrayOffset();
    }

    /** One reusable view per thread and source buffer, so checksumming a slice creates no ByteBuffer. */
    private static final class Scratch
    {
        final CRC32C crc = new CRC32C();
        private ByteBuffer source;
        private ByteBuffer view;

        ByteBuffer view(final ByteBuffer buffer, final int index, final int length)
        {
            if (source != buffer)
            {
                source = buffer;
                view = buffer.duplicate();
            }
            view.limit(index + length).position(index);
            return view;
        }
    }
}
