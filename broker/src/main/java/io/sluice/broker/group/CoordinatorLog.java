package io.sluice.broker.group;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Where the coordinator's state changes become durable: the partition of {@code __consumer_offsets} that owns a
 * group. Records appended for one group are stored, and their callbacks run, in the order they were appended.
 *
 * <p>Called and calling back on the coordinator thread only.
 */
interface CoordinatorLog
{
    /**
     * Append {@code records} of {@code groupId} atomically (all or none) and call {@code onDone} with the
     * Kafka error code of the write once it is durable (0) or has failed.
     */
    void append(String groupId, List<CoordinatorRecord> records, IntConsumer onDone);

    /** Run {@code action} once every append made so far for {@code groupId}'s partition has completed. */
    void afterPendingWrites(String groupId, Runnable action);
}
