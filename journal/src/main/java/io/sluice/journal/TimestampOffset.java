package io.sluice.journal;

/** An offset and the timestamp found for it, filled in place by the timestamp lookups of {@link PartitionLog}. */
public final class TimestampOffset
{
    public long timestamp = -1;
    public long offset = -1;

    public TimestampOffset set(final long timestamp, final long offset)
    {
        this.timestamp = timestamp;
        this.offset = offset;
        return this;
    }
}
