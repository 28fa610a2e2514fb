package io.sluice.client;

import org.agrona.MutableDirectBuffer;

/**
 * Room for one record's value inside a batch, in the spirit of Aeron's {@code BufferClaim}: after
 * {@link SluiceProducer#tryClaim} succeeds, write exactly {@link #length()} bytes at {@link #offset()} of
 * {@link #buffer()}, then {@link #commit} (or {@link #abort}). The bytes written are the bytes sent: no copy.
 *
 * <p>The producer stays locked against other senders from the claim to its commit or abort, so both must
 * follow at once, on the claiming thread. Reusable: one per thread.
 */
public final class RecordClaim
{
    private SluiceProducer producer;
    private ProducerBatch batch;
    private int offset;
    private int length;

    void wrap(final SluiceProducer producer, final ProducerBatch batch, final int offset, final int length)
    {
        this.producer = producer;
        this.batch = batch;
        this.offset = offset;
        this.length = length;
    }

    /** The buffer to write the value into, between {@link #offset()} and {@code offset() + length()}. */
    public MutableDirectBuffer buffer()
    {
        return batch.buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int length()
    {
        return length;
    }

    /**
     * Send the record as written.
     *
     * @param callback told when it is acknowledged or failed (may be null).
     * @param context  handed back to {@code callback}.
     */
    public void commit(final SendCallback callback, final long context)
    {
        final SluiceProducer owner = check();
        owner.commitClaim(batch, offset + length, callback, context);
        release();
    }

    /** Give the room back: the record is not sent. */
    public void abort()
    {
        final SluiceProducer owner = check();
        owner.abortClaim();
        release();
    }

    private SluiceProducer check()
    {
        if (producer == null)
        {
            throw new IllegalStateException("no record claimed");
        }
        return producer;
    }

    private void release()
    {
        producer = null;
        batch = null;
    }
}
