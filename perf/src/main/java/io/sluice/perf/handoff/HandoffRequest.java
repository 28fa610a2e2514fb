package io.sluice.perf.handoff;

/**
 * What a network thread hands to a shard: a reference to a pooled request, as the broker hands over a pooled
 * {@code ProduceGather} or {@code FetchGather}, so the hand-off itself allocates nothing. Immutable once
 * built, so the pool is shared by every thread of a benchmark without publication concerns beyond the
 * hand-off being measured.
 */
final class HandoffRequest
{
    /** Pooled requests, as many as the ring has slots; request {@code i} has id {@code i}. */
    static final HandoffRequest[] POOL = pool(HandoffSettings.CAPACITY);

    final long id;
    final long correlationId;

    private HandoffRequest(final long id, final long correlationId)
    {
        this.id = id;
        this.correlationId = correlationId;
    }

    /** The pooled request sent as the {@code sequence}-th hand-off. */
    static HandoffRequest of(final long sequence)
    {
        return POOL[(int)(sequence & (HandoffSettings.CAPACITY - 1))];
    }

    /** Whether this is the request {@link #of} gives for {@code sequence}: a lost, repeated or reordered hand-off is not. */
    boolean isSequence(final long sequence)
    {
        return id == (sequence & (HandoffSettings.CAPACITY - 1));
    }

    private static HandoffRequest[] pool(final int size)
    {
        final HandoffRequest[] pool = new HandoffRequest[size];
        for (int i = 0; i < size; i++)
        {
            pool[i] = new HandoffRequest(i, 1_000_000L + i);
        }
        return pool;
    }
}
