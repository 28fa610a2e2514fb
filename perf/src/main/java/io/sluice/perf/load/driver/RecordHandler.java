package io.sluice.perf.load.driver;

import org.agrona.DirectBuffer;

/** Takes the records a {@link RecordReceiver} polled, on the polling thread. */
@FunctionalInterface
public interface RecordHandler
{
    /**
     * @param value     the record's value, starting at index 0; valid only during this call
     * @param length    the value's length in bytes
     * @param keyLength the key's length in bytes (0 for no key)
     */
    void onRecord(DirectBuffer value, int length, int keyLength);
}
