package io.sluice.journal.compaction;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Key digest to latest offset, for one cleaning round: the dirty part of a log is scanned in offset order and
 * every keyed record {@link #put}s its offset, so afterwards {@link #get} answers the latest offset of each key.
 * Kafka's {@code SkimpyOffsetMap}, with a 128-bit digest ({@link KeyDigest}) and double hashing.
 *
 * <p>Open addressing over one off-heap block of 24-byte slots (digest high, digest low, offset) sized once at
 * construction, so memory is bounded by {@code log.cleaner.dedupe.buffer.size} and nothing is allocated per key.
 * The slot count is a prime, so every probe step visits every slot. An empty slot holds offset -1.
 *
 * <p>Not thread-safe: one per cleaner thread. {@link #close()} frees the memory.
 */
final class OffsetMap implements AutoCloseable
{
    static final int SLOT_BYTES = 24;
    /** Smallest map worth having: a few slots. */
    static final int MIN_MEMORY_BYTES = 8 * SLOT_BYTES;
    private static final int LOW_OFFSET = 8;
    private static final int OFFSET_OFFSET = 16;

    private final ByteBuffer memory;
    private final UnsafeBuffer slots;
    private final int capacity;
    private final int maxEntries;
    private int size;
    private long latestOffset = -1;

    /**
     * @param memoryBytes bytes of slots to allocate (rounded down to a prime number of slots).
     * @param loadFactor  fraction of the slots {@link #isFull()} allows to be used before a round stops adding.
     */
    OffsetMap(final int memoryBytes, final double loadFactor)
    {
        capacity = largestPrimeAtMost(memoryBytes / SLOT_BYTES);
        maxEntries = Math.max(1, (int)(capacity * loadFactor));
        memory = ByteBuffer.allocateDirect(capacity * SLOT_BYTES);
        slots = new UnsafeBuffer(memory);
        clear();
    }

    /** Forget every key and the latest offset. */
    void clear()
    {
        slots.setMemory(0, capacity * SLOT_BYTES, (byte)0xFF);
        size = 0;
        latestOffset = -1;
    }

    /**
     * Record {@code offset} as the latest for the key with digest {@code (high, low)}, replacing an earlier one.
     *
     * @return false when the map has no free slot left (never while below {@link #maxEntries()}).
     */
    boolean put(final long high, final long low, final long offset)
    {
        int slot = Math.floorMod(high, capacity);
        final int step = 1 + Math.floorMod(low, capacity - 1);
        for (int probes = 0; probes < capacity; probes++)
        {
            final int at = slot * SLOT_BYTES;
            final long existing = slots.getLong(at + OFFSET_OFFSET);
            if (existing == -1)
            {
                slots.putLong(at, high);
                slots.putLong(at + LOW_OFFSET, low);
                slots.putLong(at + OFFSET_OFFSET, offset);
                size++;
                return true;
            }
            if (slots.getLong(at) == high && slots.getLong(at + LOW_OFFSET) == low)
            {
                slots.putLong(at + OFFSET_OFFSET, offset);
                return true;
            }
            slot += step;
            if (slot >= capacity)
            {
                slot -= capacity;
            }
        }
        return false;
    }

    /** The latest offset recorded for the key with digest {@code (high, low)}, or -1 when it was not seen. */
    long get(final long high, final long low)
    {
        int slot = Math.floorMod(high, capacity);
        final int step = 1 + Math.floorMod(low, capacity - 1);
        for (int probes = 0; probes < capacity; probes++)
        {
            final int at = slot * SLOT_BYTES;
            final long offset = slots.getLong(at + OFFSET_OFFSET);
            if (offset == -1)
            {
                return -1;
            }
            if (slots.getLong(at) == high && slots.getLong(at + LOW_OFFSET) == low)
            {
                return offset;
            }
            slot += step;
            if (slot >= capacity)
            {
                slot -= capacity;
            }
        }
        return -1;
    }

    /** Keys recorded. */
    int size()
    {
        return size;
    }

    /** Slots in the map. */
    int capacity()
    {
        return capacity;
    }

    /** Keys the load factor allows. */
    int maxEntries()
    {
        return maxEntries;
    }

    /** The last offset whose batch was wholly scanned into the map; records after it are not deduplicated. */
    long latestOffset()
    {
        return latestOffset;
    }

    void latestOffset(final long offset)
    {
        latestOffset = Math.max(latestOffset, offset);
    }

    @Override
    public void close()
    {
        BufferUtil.free(memory);
    }

    static int largestPrimeAtMost(final int n)
    {
        for (int candidate = n; candidate > 3; candidate--)
        {
            if (isPrime(candidate))
            {
                return candidate;
            }
        }
        return 3;
    }

    private static boolean isPrime(final int n)
    {
        if (n % 2 == 0)
        {
            return false;
        }
        for (int divisor = 3; (long)divisor * divisor <= n; divisor += 2)
        {
            if (n % divisor == 0)
            {
                return false;
            }
        }
        return true;
    }
}
