package io.sluice.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One partition's durable log: a directory of segments named by base offset, holding RecordBatch v2 bytes
 * exactly as they are served.
 *
 * <p><b>Threading:</b> single writer. Every method must be called from the thread that owns the partition
 * (its shard), except that a {@link ReadResult}'s region may be transferred by any thread.
 *
 * <p>Methods return Kafka error codes ({@code io.sluice.codecs.record.ErrorCodes}); exceptions are reserved
 * for I/O failures that leave the log unusable.
 */
public final class PartitionLog implements AutoCloseable
{
    private PartitionLog()
    {
    }

    /**
     * Open (creating if absent) the log in {@code dir}, running recovery on whatever a crash left behind.
     * What recovery did is in {@link #recoveryReport()}.
     */
    public static PartitionLog open(final Path dir, final LogConfig config) throws IOException
    {
        throw new UnsupportedOperationException("journal: open");
    }

    /**
     * Validate and append the batches in {@code batches} between its position and limit. Their base offsets
     * and partition leader epochs are written into the buffer in place, then the bytes are appended
     * unchanged. Nothing is written when any batch is refused. Does not force, except as the flush policy
     * ({@code flush.messages}) asks.
     *
     * @return {@code NONE} (check {@link AppendResult#duplicate}), {@code CORRUPT_MESSAGE},
     * {@code INVALID_RECORD}, {@code MESSAGE_TOO_LARGE}, {@code UNSUPPORTED_FOR_MESSAGE_FORMAT},
     * {@code OUT_OF_ORDER_SEQUENCE_NUMBER}, {@code INVALID_PRODUCER_EPOCH} or {@code KAFKA_STORAGE_ERROR}.
     */
    public short append(final ByteBuffer batches, final int leaderEpoch, final AppendResult result)
    {
        throw new UnsupportedOperationException("journal: append");
    }

    /** Force everything appended so far to disk and advance the recovery point: the group-commit half. */
    public short force()
    {
        throw new UnsupportedOperationException("journal: force");
    }

    /**
     * Find the region starting at the batch that holds {@code offset}, at most {@code maxBytes} long (but
     * always one whole batch when {@code minOneBatch}, even if it is larger).
     *
     * @return {@code NONE} (length 0 at the log end) or {@code OFFSET_OUT_OF_RANGE}.
     */
    public short read(final long offset, final int maxBytes, final boolean minOneBatch, final ReadResult result)
    {
        throw new UnsupportedOperationException("journal: read");
    }

    /** First offset whose batch max timestamp is at least {@code timestamp}; offset -1 when none. */
    public TimestampOffset offsetForTimestamp(final long timestamp, final TimestampOffset result)
    {
        throw new UnsupportedOperationException("journal: offsetForTimestamp");
    }

    /** The largest timestamp in the log and the offset that carries it; offset -1 in an empty log. */
    public TimestampOffset maxTimestamp(final TimestampOffset result)
    {
        throw new UnsupportedOperationException("journal: maxTimestamp");
    }

    /**
     * Periodic duties: {@code flush.ms}, {@code segment.ms} rolls, retention by time and size.
     *
     * @return how much work was done, 0 when idle (the Agrona duty-cycle convention).
     */
    public int onTimer(final long nowMs)
    {
        throw new UnsupportedOperationException("journal: onTimer");
    }

    /** Move the log start offset to {@code offset} (DeleteRecords); whole segments below it are deleted. */
    public short deleteRecords(final long offset)
    {
        throw new UnsupportedOperationException("journal: deleteRecords");
    }

    /** Remove everything at and after {@code offset} (replication's divergent-tail repair). */
    public void truncateTo(final long offset)
    {
        throw new UnsupportedOperationException("journal: truncateTo");
    }

    public void highWatermark(final long offset)
    {
        throw new UnsupportedOperationException("journal: highWatermark");
    }

    public long highWatermark()
    {
        throw new UnsupportedOperationException("journal: highWatermark");
    }

    public long logStartOffset()
    {
        throw new UnsupportedOperationException("journal: logStartOffset");
    }

    public long logEndOffset()
    {
        throw new UnsupportedOperationException("journal: logEndOffset");
    }

    public long recoveryPoint()
    {
        throw new UnsupportedOperationException("journal: recoveryPoint");
    }

    /** Apply changed topic configs (segment, retention, flush) from now on. */
    public void config(final LogConfig config)
    {
        throw new UnsupportedOperationException("journal: config");
    }

    public RecoveryReport recoveryReport()
    {
        throw new UnsupportedOperationException("journal: recoveryReport");
    }

    /** Close after a clean shutdown: force, write checkpoints and the producer-state snapshot. */
    @Override
    public void close()
    {
        throw new UnsupportedOperationException("journal: close");
    }

    /** Close and remove the partition's directory (DeleteTopics). */
    public void delete()
    {
        throw new UnsupportedOperationException("journal: delete");
    }
}
