package io.sluice.perf.load.driver;

/**
 * Sends records to one topic. {@link #send} is called by one thread; completions arrive on the driver's I/O thread.
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

    @Override
    void close();
}
