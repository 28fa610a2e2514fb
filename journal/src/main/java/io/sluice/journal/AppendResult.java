package io.sluice.journal;

/**
 * What {@link PartitionLog#append} did, filled in place so the caller can reuse one instance.
 * Valid until the next append into it.
 */
public final class AppendResult
{
    /** Offset assigned to the first record appended (or, for a duplicate, originally assigned). */
    public long firstOffset = -1;
    /** Offset of the last record appended (or, for a duplicate, originally assigned). */
    public long lastOffset = -1;
    /** Broker time stamped into LOG_APPEND_TIME batches, or -1 when the batches carry create time. */
    public long logAppendTime = -1;
    /** Log start offset after the append, for the Produce response. */
    public long logStartOffset = -1;
    /** Batches and records written (both 0 for a duplicate). */
    public int batchCount;
    public int recordCount;
    /** Bytes written to the segment (0 for a duplicate). */
    public int bytesWritten;
    /** True when the batch repeated one of the producer's last five and nothing was written. */
    public boolean duplicate;
    /** When the append failed: the index of the offending batch in the request, else -1. */
    public int failedBatchIndex = -1;

    public AppendResult reset()
    {
        firstOffset = -1;
        lastOffset = -1;
        logAppendTime = -1;
        logStartOffset = -1;
        batchCount = 0;
        recordCount = 0;
        bytesWritten = 0;
        duplicate = false;
        failedBatchIndex = -1;
        return this;
    }
}
