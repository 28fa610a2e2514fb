package io.sluice.perf.load.driver;

/** Receives the records of one topic; every method is called by one thread. */
public interface RecordReceiver extends AutoCloseable
{
    /**
     * Wait up to {@code timeoutMs} for records and hand each to {@code handler}, in partition order.
     *
     * @return how many records were handed over (0 when none came in time).
     */
    int poll(RecordHandler handler, long timeoutMs);

    @Override
    void close();
}
