package io.sluice.perf.load.driver;

/**
 * The protocol seam of the load harness: how it reaches a broker. {@link KafkaLoadDriver} speaks the Kafka protocol
 * through kafka-clients (Sluice or any Kafka); the native protocol gets its own implementation once the native client
 * exists, and the workloads do not change.
 * <p>
 * A driver is used by one thread to set up; the senders and receivers it opens document their own threading.
 */
public interface LoadDriver extends AutoCloseable
{
    /**
     * Create {@code topic} with {@code partitions} partitions unless it exists.
     *
     * @return the partition count the topic has now (an existing topic keeps its own).
     */
    int ensureTopic(String topic, int partitions);

    /** Number of records currently held by {@code topic}: the sum over its partitions of end minus start offset. */
    long recordCount(String topic);

    /** A new sender to {@code topic}, configured by {@code settings}. */
    RecordSender openSender(String topic, SenderSettings settings);

    /**
     * A new receiver of every partition of {@code topic}, positioned at the start of each partition when
     * {@code fromBeginning}, else at its end (only records appended after this call are received).
     */
    RecordReceiver openReceiver(String topic, boolean fromBeginning);

    @Override
    void close();
}
