package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.journal.producer.DuplicateOffsets;
import io.sluice.journal.producer.ProducerStateTable;
import org.agrona.collections.Long2LongHashMap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Idempotence for one partition log: checks appended batches against the {@link ProducerStateTable} before
 * anything is written, records them after, snapshots the table at rolls and close, and rebuilds it from the
 * newest snapshot plus the batches after it on recovery and truncation. Not thread-safe; allocates nothing per
 * batch once a producer id is known.
 */
final class ProducerStateGuard
{
    private final Path dir;
    private final ProducerStateTable table = new ProducerStateTable(8);
    private final DuplicateOffsets duplicate = new DuplicateOffsets();
    private final RecordBatchFlyweight batch = new RecordBatchFlyweight();

    ProducerStateGuard(final Path dir)
    {
        this.dir = dir;
    }

    /**
     * Check every batch of a request that carries a producer id. Later batches of the same producer in one
     * request must continue the earlier one's sequence, since the table learns of a batch only once it is
     * written. A duplicate of one of the producer's last five batches answers the whole request with the
     * original offsets ({@link AppendResult#duplicate}), as Kafka does.
     *
     * @return {@code NONE} (check {@link AppendResult#duplicate}), {@code OUT_OF_ORDER_SEQUENCE_NUMBER} or
     * {@code INVALID_PRODUCER_EPOCH}, with {@link AppendResult#failedBatchIndex} set.
     */
    short check(
        final ByteBuffer batches, final int start, final int limit, final boolean logAppendTime,
        final long logStartOffset, final AppendResult result)
    {
        long previousProducerId = RecordBatchFlyweight.NO_PRODUCER_ID;
        short previousEpoch = RecordBatchFlyweight.NO_PRODUCER_EPOCH;
        int previousLastSequence = RecordBatchFlyweight.NO_SEQUENCE;
        int position = start;
        int index = 0;
        while (position < limit)
        {
            batch.wrap(batches, position);
            final long producerId = batch.producerId();
            if (producerId != RecordBatchFlyweight.NO_PRODUCER_ID)
            {
                final short epoch = batch.producerEpoch();
                final int baseSequence = batch.baseSequence();
                final short code;
                if (producerId == previousProducerId && epoch == previousEpoch)
                {
                    code = baseSequence == previousLastSequence + 1 ||
                        (baseSequence == 0 && previousLastSequence == Integer.MAX_VALUE) ?
                        ErrorCodes.NONE : ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER;
                }
                else
                {
                    code = table.check(producerId, epoch, baseSequence, batch.lastSequence(), duplicate);
                }
                if (code == ErrorCodes.DUPLICATE_SEQUENCE_NUMBER)
                {
                    result.duplicate = true;
                    result.firstOffset = duplicate.firstOffset;
                    result.lastOffset = duplicate.lastOffset;
                    result.logAppendTime = logAppendTime ? duplicate.maxTimestamp : -1;
                    result.logStartOffset = logStartOffset;
                    return ErrorCodes.NONE;
                }
                if (code != ErrorCodes.NONE)
                {
                    result.failedBatchIndex = index;
                    return code;
                }
                previousProducerId = producerId;
                previousEpoch = epoch;
                previousLastSequence = batch.lastSequence();
            }
            position += batch.totalLength();
            index++;
        }
        return ErrorCodes.NONE;
    }

    /** Record a batch now in the log (its offsets stamped); batches without a producer id are ignored. */
    void onStored(final RecordBatchFlyweight stored)
    {
        table.update(
            stored.producerId(), stored.producerEpoch(), stored.baseSequence(), stored.lastSequence(),
            stored.baseOffset(), stored.lastOffset(), stored.maxTimestamp());
    }

    /** Snapshot the state covering every batch below {@code logEndOffset} (at roll and close). */
    void snapshot(final long logEndOffset) throws IOException
    {
        table.writeSnapshot(dir, logEndOffset);
    }

    /**
     * Bring the state up to {@code logEndOffset}: drop snapshots beyond it, load the newest one at or below it,
     * then replay the batch headers after that snapshot (the whole log when there is none).
     */
    void recover(final SegmentList segments, final long logEndOffset, final BatchHeaderReader reader)
        throws IOException
    {
        table.deleteSnapshotsAbove(dir, logEndOffset);
        final long from = Math.max(table.loadLatestSnapshot(dir, logEndOffset), segments.first().baseOffset());
        for (int i = segments.floor(from); i < segments.count(); i++)
        {
            final LogSegment segment = segments.get(i);
            int position = segment.baseOffset() < from ? segment.positionOf(from, reader) : 0;
            while (position >= 0 && position < segment.size())
            {
                final RecordBatchFlyweight header = reader.read(segment.channel(), position, segment.size());
                if (header == null)
                {
                    throw new IOException("unreadable batch at " + position + " of segment " + segment.baseOffset());
                }
                onStored(header);
                position += header.totalLength();
            }
        }
    }

    /** Forget every producer and snapshot: the log was emptied. */
    void reset() throws IOException
    {
        table.clear();
        table.deleteSnapshotsAbove(dir, -1);
    }

    /** Retention removed the segments below {@code oldestBaseOffset}; their snapshots go too. */
    void deleteSnapshotsBelow(final long oldestBaseOffset) throws IOException
    {
        table.deleteSnapshotsBelow(dir, oldestBaseOffset);
    }

    /** Fill {@code into} with each active producer id and the last offset of its newest batch. */
    void lastOffsets(final Long2LongHashMap into)
    {
        table.forEachLastOffset(into::put);
    }

    /** @return how many producers were forgotten for being idle {@code expirationMs} or more. */
    int removeExpired(final long nowMs, final long expirationMs)
    {
        return table.removeExpired(nowMs, expirationMs);
    }
}
