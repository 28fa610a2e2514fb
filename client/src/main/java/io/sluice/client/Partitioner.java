package io.sluice.client;

import org.agrona.DirectBuffer;

/**
 * Kafka's default key partitioner (murmur2 of the key bytes, made positive, modulo the partition count), so a key
 * lands on the same partition whether the native or a Kafka producer sends it.
 */
final class Partitioner
{
    private Partitioner()
    {
    }

    static int partition(final DirectBuffer key, final int offset, final int length, final int partitionCount)
    {
        return (murmur2(key, offset, length) & 0x7FFF_FFFF) % partitionCount;
    }

    /** MurmurHash2, 32-bit, with Kafka's seed, over little-endian 4-byte words. */
    @SuppressWarnings("fallthrough")
    static int murmur2(final DirectBuffer data, final int offset, final int length)
    {
        final int seed = 0x9747b28c;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = seed ^ length;
        final int length4 = length / 4;
        for (int i = 0; i < length4; i++)
        {
            final int i4 = offset + i * 4;
            int k = (data.getByte(i4) & 0xff) + ((data.getByte(i4 + 1) & 0xff) << 8) +
                ((data.getByte(i4 + 2) & 0xff) << 16) + ((data.getByte(i4 + 3) & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        final int tail = offset + (length & ~3);
        switch (length % 4)
        {
            case 3:
                h ^= (data.getByte(tail + 2) & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data.getByte(tail + 1) & 0xff) << 8;
                // fall through
            case 1:
                h ^= data.getByte(tail) & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
