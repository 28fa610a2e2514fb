package io.sluice.codecs.record;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

class Crc32cTest
{
    @Test
    void shouldMatchJdkCrc32cOverHeapDirectAndOffsetViews()
    {
        final byte[] bytes = new byte[300];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }
        final CRC32C reference = new CRC32C();
        reference.update(bytes, 17, 200);
        final long expected = reference.getValue();

        final ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 5);
        direct.position(5);
        direct.put(bytes);

        assertThat(Crc32c.compute(new UnsafeBuffer(bytes), 17, 200)).isEqualTo(expected);
        assertThat(Crc32c.compute(new UnsafeBuffer(bytes, 10, 250), 7, 200)).isEqualTo(expected);
        assertThat(Crc32c.compute(new UnsafeBuffer(direct, 5, bytes.length), 17, 200)).isEqualTo(expected);
        assertThat(Crc32c.compute(direct, 22, 200)).isEqualTo(expected);
        assertThat(Crc32c.compute(ByteBuffer.wrap(bytes), 17, 200)).isEqualTo(expected);
    }

    @Test
    void shouldAllocateNothingWhenAlternatingDirectBuffers()
    {
        final ByteBuffer[] buffers = new ByteBuffer[4];
        final UnsafeBuffer[] views = new UnsafeBuffer[4];
        for (int i = 0; i < buffers.length; i++)
        {
            buffers[i] = ByteBuffer.allocateDirect(1024);
            views[i] = new UnsafeBuffer(buffers[i]);
        }
        long sink = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sink += Crc32c.compute(views[i & 3], 0, 1024) + Crc32c.compute(buffers[i & 3], 0, 1024);
        }

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++)
        {
            sink += Crc32c.compute(views[i & 3], 0, 1024) + Crc32c.compute(buffers[i & 3], 0, 1024);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isNotZero();
        assertThat(allocated).isLessThan(1024);
    }
}
