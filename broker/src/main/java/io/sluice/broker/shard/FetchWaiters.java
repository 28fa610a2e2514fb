package io.sluice.broker.shard;

import java.util.Arrays;

/**
 * Fetches parked on one partition, each with the generation of the gather it was parked for (gathers are
 * pooled, so a reference alone could name a later request). Entries whose fetch has completed are dropped
 * lazily, when the list is next walked or added to, so a completed fetch costs its old partitions nothing.
 *
 * <p>Owned by one shard thread; not thread-safe.
 */
final class FetchWaiters
{
    private FetchGather[] gathers = new FetchGather[2];
    private long[] generations = new long[2];
    private int size;

    void add(final FetchGather gather, final long generation)
    {
        purgeDone();
        for (int i = 0; i < size; i++)
        {
            if (gathers[i] == gather && generations[i] == generation)
            {
                return;
            }
        }
        if (size == gathers.length)
        {
            gathers = Arrays.copyOf(gathers, size * 2);
            generations = Arrays.copyOf(generations, size * 2);
        }
        gathers[size] = gather;
        generations[size] = generation;
        size++;
    }

    int size()
    {
        return size;
    }

    FetchGather gather(final int index)
    {
        return gathers[index];
    }

    long generation(final int index)
    {
        return generations[index];
    }

    /** What to try for each entry of {@link #retryAll}. */
    @FunctionalInterface
    interface Attempt
    {
        /** @return true when done with the entry, false to keep it for another try. */
        boolean tryOnce(FetchGather gather, long generation);
    }

    /**
     * Try {@code attempt} on every entry and keep only those it asks to keep (and whose fetch is not answered).
     *
     * @return how many entries were done with.
     */
    int retryAll(final Attempt attempt)
    {
        int kept = 0;
        final int before = size;
        for (int i = 0; i < before; i++)
        {
            final FetchGather gather = gathers[i];
            final long generation = generations[i];
            if (!attempt.tryOnce(gather, generation) && gather.state(generation) != FetchGather.DONE)
            {
                gathers[kept] = gather;
                generations[kept] = generation;
                kept++;
            }
        }
        Arrays.fill(gathers, kept, before, null);
        size = kept;
        return before - kept;
    }

    /** Remove entries whose fetch is answered; keeps the order of the rest. */
    void purgeDone()
    {
        int kept = 0;
        for (int i = 0; i < size; i++)
        {
            if (gathers[i].state(generations[i]) != FetchGather.DONE)
            {
                gathers[kept] = gathers[i];
                generations[kept] = generations[i];
                kept++;
            }
        }
        Arrays.fill(gathers, kept, size, null);
        size = kept;
    }
}
