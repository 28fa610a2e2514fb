package io.sluice.journal.producer;

import io.sluice.codecs.record.RecordBatchFlyweight;

/**
 * One producer id's state: its epoch and a ring of its last {@link #BATCHES_RETAINED} batches, oldest
 * overwritten first. Primitive arrays sized at construction, so adding a batch allocates nothing.
 *
 * <p>Not thread-safe; owned by a {@link ProducerStateTable}.
 */
final class ProducerEntry
{
    /** As Kafka's {@code ProducerStateEntry.NUM_BATCHES_TO_RETAIN}: a client has at most five in flight. */
    static final int BATCHES_RETAINED = 5;

    final long producerId;
    short epoch = RecordBatchFlyweight.NO_PRODUCER_EPOCH;
    long lastTimestamp = -1;
    int count;
    private int newest = BATCHES_RETAINED - 1;

    private final int[] baseSequences = new int[BATCHES_RETAINED];
    private final int[] lastSequences = new int[BATCHES_RETAINED];
    private final long[] firstOffsets = new long[BATCHES_RETAINED];
    private final long[] lastOffsets = new long[BATCHES_RETAINED];
    private final long[] maxTimestamps = new long[BATCHES_RETAINED];

    ProducerEntry(final long producerId)
    {
        this.producerId = producerId;
    }

    /** Move to {@code epoch}; a different epoch forgets the batches of the old one, as Kafka does. */
    void epoch(final short epoch)
    {
        if (this.epoch != epoch)
        {
            this.epoch = epoch;
            count = 0;
        }
    }

    void addBatch(
        final int baseSequence,
        final int lastSequence,
        final long firstOffset,
        final long lastOffset,
        final long maxTimestamp)
    {
        final int slot = newest == BATCHES_RETAINED - 1 ? 0 : newest + 1;
        baseSequences[slot] = baseSequence;
        lastSequences[slot] = lastSequence;
        firstOffsets[slot] = firstOffset;
        lastOffsets[slot] = lastOffset;
        maxTimestamps[slot] = maxTimestamp;
        newest = slot;
        if (count < BATCHES_RETAINED)
        {
            count++;
        }
        lastTimestamp = maxTimestamp;
    }

    /** Last sequence of the newest batch, or {@code NO_SEQUENCE} when none is retained. */
    int lastSequence()
    {
        return count == 0 ? RecordBatchFlyweight.NO_SEQUENCE : lastSequences[newest];
    }

    /** Ring slot of the retained batch with exactly this sequence range, or -1. */
    int findBatch(final int baseSequence, final int lastSequence)
    {
        for (int age = 0; age < count; age++)
        {
            final int slot = slot(age);
            if (baseSequences[slot] == baseSequence && lastSequences[slot] == lastSequence)
            {
                return slot;
            }
        }
        return -1;
    }

    /** Ring slot of the batch {@code age} places after the oldest retained one. */
    int slot(final int age)
    {
        final int slot = newest - count + 1 + age;
        return slot < 0 ? slot + BATCHES_RETAINED : slot;
    }

    int baseSequence(final int slot)
    {
        return baseSequences[slot];
    }

    int lastSequence(final int slot)
    {
        return lastSequences[slot];
    }

    long firstOffset(final int slot)
    {
        return firstOffsets[slot];
    }

    long lastOffset(final int slot)
    {
        return lastOffsets[slot];
    }

    long maxTimestamp(final int slot)
    {
        return maxTimestamps[slot];
    }
}
