package io.sluice.journal.producer;

/**
 * Where a duplicate batch was originally written, filled in place by {@link ProducerStateTable#check} when it
 * answers {@code DUPLICATE_SEQUENCE_NUMBER}, so the Produce response can repeat the first answer.
 *
 * <p>Not thread-safe; owned by the caller and reused across checks. Valid until the next check into it.
 */
public final class DuplicateOffsets
{
    /** Offset of the first record of the original batch. */
    public long firstOffset = -1;
    /** Offset of the last record of the original batch. */
    public long lastOffset = -1;
    /** The original batch's max timestamp. */
    public long maxTimestamp = -1;

    public DuplicateOffsets reset()
    {
        firstOffset = -1;
        lastOffset = -1;
        maxTimestamp = -1;
        return this;
    }
}
