package io.sluice.client;

/**
 * A topic as a producer knows it: id and partition count from metadata, the batch open for each partition
 * (guarded by the producer's lock), and per-partition send state that only the I/O thread touches.
 */
final class TopicState
{
    final String name;
    final long idHigh;
    final long idLow;
    final int partitionCount;

    /** Under the producer's lock. */
    final ProducerBatch[] open;
    /** Under the producer's lock: the partition keyless records go to until its batch fills. */
    int sticky;

    /** I/O thread only: batches sent and not answered, per partition. */
    final int[] inFlight;
    /** I/O thread only: the sequence number of the next record, per partition. */
    final int[] nextSequence;

    TopicState(final String name, final long idHigh, final long idLow, final int partitionCount)
    {
        this.name = name;
        this.idHigh = idHigh;
        this.idLow = idLow;
        this.partitionCount = partitionCount;
        this.open = new ProducerBatch[partitionCount];
        this.inFlight = new int[partitionCount];
        this.nextSequence = new int[partitionCount];
    }
}
