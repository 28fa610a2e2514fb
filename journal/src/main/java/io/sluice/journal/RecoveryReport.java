package io.sluice.journal;

/** What recovery found and did when a {@link PartitionLog} was opened; {@link #toString()} is one log line. */
public final class RecoveryReport
{
    /** True when the log was closed cleanly and nothing needed re-validating. */
    public boolean clean;
    /** Batches re-validated after the recovery point. */
    public int batchesScanned;
    /** Bytes cut from a torn or corrupt tail, and the offset the log now ends at. */
    public long bytesTruncated;
    public long truncatedToOffset = -1;
    /** Index files rebuilt because they were missing or disagreed with the log. */
    public int indexesRebuilt;
    /** Files in the directory that are not part of a log, left in place. */
    public int foreignFiles;
    /** Cleanings interrupted after their commit point and finished by recovery. */
    public int swapsCompleted;

    @Override
    public String toString()
    {
        return clean ?
            "clean" :
            "scanned " + batchesScanned + " batches, truncated " + bytesTruncated + " bytes" +
            (truncatedToOffset >= 0 ? " to offset " + truncatedToOffset : "") +
            ", rebuilt " + indexesRebuilt + " indexes, ignored " + foreignFiles + " foreign files" +
            (swapsCompleted > 0 ? ", finished " + swapsCompleted + " cleaned segment swaps" : "");
    }
}
