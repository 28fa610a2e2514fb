package io.sluice.perf.load.driver;

/** Told when one sent record is acknowledged or failed; called on the driver's I/O thread, so it must be quick. */
@FunctionalInterface
public interface SendCompletion
{
    /**
     * @param intendedNanos the value passed to {@link RecordSender#send}
     * @param error         null when the broker acknowledged the record, else why it failed
     */
    void onComplete(long intendedNanos, Exception error);
}
