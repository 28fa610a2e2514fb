package io.sluice.codecs.record;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** The varint writers produce Kafka's bytes (ByteUtils is the oracle) and read back through the readers. */
class VarintsTest
{
    private static final int[] INTS = {0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, 1 << 20, Integer.MAX_VALUE,
        Integer.MIN_VALUE};
    private static final long[] LONGS = {0, 1, -1, 1L << 35, -(1L << 35), 1_700_000_000_000L, Long.MAX_VALUE,
        Long.MIN_VALUE};

    @Test
    void shouldWriteIntsAsKafkaDoes()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        for (final int value : INTS)
        {
            final ByteBuffer expected = ByteBuffer.allocate(16);
            ByteUtils.writeVarint(value, expected);
            final int size = Varints.putZigZagInt(buffer, 3, value);
            assertThat(size).isEqualTo(expected.position()).isEqualTo(Varints.sizeOfZigZagInt(value));
            final byte[] written = new byte[size];
            buffer.getBytes(3, written);
            assertThat(written).isEqualTo(java.util.Arrays.copyOf(expected.array(), size));
            final long read = Varints.readZigZagInt(buffer, 3, 3 + size);
            assertThat(Varints.value(read)).isEqualTo(value);
            assertThat(Varints.size(read)).isEqualTo(size);
        }
    }

    @Test
    void shouldWriteLongsAsKafkaDoes()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        for (final long value : LONGS)
        {
            final ByteBuffer expected = ByteBuffer.allocate(16);
            ByteUtils.writeVarlong(value, expected);
            final int size = Varints.putZigZagLong(buffer, 0, value);
            assertThat(size).isEqualTo(expected.position()).isEqualTo(Varints.sizeOfZigZagLong(value));
            final byte[] written = new byte[size];
            buffer.getBytes(0, written);
            assertThat(written).isEqualTo(java.util.Arrays.copyOf(expected.array(), size));
        }
    }
}
