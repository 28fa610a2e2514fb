package io.sluice.client;

/**
 * Told once the broker has acknowledged a sent record, or the record failed. Called on the producer's I/O
 * thread, so it must be quick and must not block; one callback object may serve every record (the
 * {@code context} tells them apart), which keeps sending allocation-free.
 */
@FunctionalInterface
public interface SendCallback
{
    /**
     * @param topic     the record's topic.
     * @param partition its partition.
     * @param offset    its offset in the partition, or -1 when failed or sent with {@code acks=0}.
     * @param context   the value given to {@code send} or {@code commit} with this record.
     * @param error     null on success, else why the record was not stored.
     */
    void onComplete(String topic, int partition, long offset, long context, SluiceException error);
}
