package io.sluice.perf.load.driver;

/**
 * Sends records to one topic. {@link #send} is called by one thread; completions arrive on the driver's I/O thread,
 * or inside {@link #invoke()} for a sender the caller drives.
 */
public interface RecordSender extends AutoCloseable
{
    /**
     * Hand one record to the driver. The driver copies (or serialises) {@code key} and {@code value} before it
     * returns, so the caller may reuse both arrays for the next record. May block while the driver's buffers are full:
     * that wait is part of what an open-loop run measures.
     *
     * @param key           the key, or null for none
     * @param value         the value
     * @param intendedNanos the time the schedule meant this record to be sent, passed back to {@code completion}
     * @param completion    told once the broker acknowledged the record or it failed
     */
    void send(byte[] key, byte[] value, long intendedNanos, SendCompletion completion);

    /** Block until every record handed to {@link #send} so far is acknowledged or failed. */
    void flush();

    /**
     * A sender opened with {@link SenderSettings#invoked()} only: one duty cycle of its I/O on the calling thread
     * (completions arrive inside it). Never blocks.
     *
     * @return the work done; 0 when there was nothing to do.
     */
    default int invoke()
    {
        throw new IllegalStateException("this sender runs its own I/O thread");
    }

    @Override
    void close();
}
