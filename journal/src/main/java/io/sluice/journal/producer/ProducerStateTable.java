package io.sluice.journal.producer;

import io.sluice.codecs.record.Crc32c;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongLongConsumer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Producer state for idempotence in one partition: per producer id its epoch and the sequence ranges and
 * offsets of its last five batches, so that a retried batch is answered with its original offsets and a
 * gap or a zombie producer is refused. The rules are those of Kafka's {@code ProducerAppendInfo} for client
 * appends (see {@link #check}).
 *
 * <p><b>How the partition log drives it.</b>
 * <ul>
 * <li><b>Append:</b> {@link #check} each batch before writing it; on {@code NONE} write it, then
 * {@link #update} with the offsets it got. {@code DUPLICATE_SEQUENCE_NUMBER} means "answer success with the
 * offsets in {@link DuplicateOffsets} and write nothing"; any other code refuses the batch.
 * {@code check} sees only what {@code update} has recorded, so a request carrying several batches of the same
 * producer must be checked and updated batch by batch.</li>
 * <li><b>Snapshot:</b> at segment roll and clean shutdown, {@link #writeSnapshot} with the log end offset (the
 * new segment's base offset): the snapshot holds the state after every batch below that offset.</li>
 * <li><b>Recovery (rebuild from the log):</b> {@link #loadLatestSnapshot} with the recovered log end offset,
 * then replay, in offset order, every batch whose base offset is at or above the offset it returned (from the
 * log start when it returned -1) through {@link #update} alone, without {@code check}. Batches without a
 * producer id may be passed too; they are ignored.</li>
 * <li><b>Truncation</b> to offset {@code t} (the log now ends at {@code t}): {@link #deleteSnapshotsAbove}
 * {@code (dir, t)}, then recover as above with {@code t} as the log end.</li>
 * <li><b>Retention:</b> {@link #deleteSnapshotsBelow} with the base offset of the oldest segment kept; the
 * latest snapshot is never below it, because snapshots are taken at rolls.</li>
 * <li><b>Expiry:</b> {@link #removeExpired} from the log's timer ({@code producer.id.expiration.ms}).</li>
 * </ul>
 *
 * <p><b>Threading:</b> not thread-safe; owned by the shard that owns the partition. {@link #check} and
 * {@link #update} allocate nothing once the producer id is known; a new producer id costs one entry.
 */
public final class ProducerStateTable
{
    /** Snapshot layout version; a file with another version is ignored like a corrupt one. */
    static final short SNAPSHOT_VERSION = 1;

    /*
     * Snapshot layout, big-endian:
     *   0 version        int16
     *   2 crc            uint32  CRC32C of every byte after this field
     *   6 offset         int64   log end offset covered, equal to the one in the file name
     *  14 producerCount  int32
     *  18 producers: producerId int64, epoch int16, lastTimestamp int64, batchCount int32, then batchCount
     *     batches oldest first: baseSequence int32, lastSequence int32, firstOffset int64, lastOffset int64,
     *     maxTimestamp int64
     */
    static final int VERSION_OFFSET = 0;
    static final int CRC_OFFSET = 2;
    static final int OFFSET_OFFSET = 6;
    static final int PRODUCER_COUNT_OFFSET = 14;
    static final int HEADER_LENGTH = 18;
    static final int PRODUCER_HEADER_LENGTH = 8 + 2 + 8 + 4;
    static final int BATCH_LENGTH = 4 + 4 + 8 + 8 + 8;

    private final Long2ObjectHashMap<ProducerEntry> producers;
    private ByteBuffer snapshotBuffer = ByteBuffer.allocate(0);

    /**
     * @param expectedProducers producer ids the partition is expected to hold, to size the table up front.
     */
    public ProducerStateTable(final int expectedProducers)
    {
        producers = new Long2ObjectHashMap<>(Math.max(8, expectedProducers * 2), 0.65f);
    }

    /**
     * Check a batch from a client against the producer's state, following Kafka's rules:
     * <ul>
     * <li>no producer id ({@code -1}): always {@code NONE};</li>
     * <li>an unknown producer id: {@code NONE} whatever the sequence, as Kafka does since 2.5 (KIP-360) for a
     * producer whose state was lost to retention or expiry;</li>
     * <li>the producer's epoch and a sequence range equal to one of its last five batches:
     * {@code DUPLICATE_SEQUENCE_NUMBER}, with that batch's offsets in {@code out};</li>
     * <li>an epoch older than the producer's: {@code INVALID_PRODUCER_EPOCH};</li>
     * <li>a newer epoch: {@code NONE} when the batch starts at sequence 0, else
     * {@code OUT_OF_ORDER_SEQUENCE_NUMBER};</li>
     * <li>the same epoch: {@code NONE} when the base sequence follows the last one (after
     * {@link Integer#MAX_VALUE} comes 0), else {@code OUT_OF_ORDER_SEQUENCE_NUMBER}: a gap, or a retry of a batch
     * older than the last five.</li>
     * </ul>
     * Changes nothing; {@code out} is written only for a duplicate.
     *
     * @return {@code NONE}, {@code DUPLICATE_SEQUENCE_NUMBER}, {@code INVALID_PRODUCER_EPOCH} or
     * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} from {@link ErrorCodes}.
     */
    public short check(
        final long producerId,
        final short epoch,
        final int baseSequence,
        final int lastSequence,
        final DuplicateOffsets out)
    {
        if (producerId == RecordBatchFlyweight.NO_PRODUCER_ID)
        {
            return ErrorCodes.NONE;
        }
        final ProducerEntry entry = producers.get(producerId);
        if (entry == null)
        {
            return ErrorCodes.NONE;
        }

        final short currentEpoch = entry.epoch;
        if (epoch == currentEpoch)
        {
            // Kafka looks for a duplicate before validating, so a retry is answered even as the sequence moved on.
            final int slot = entry.findBatch(baseSequence, lastSequence);
            if (slot >= 0)
            {
                out.firstOffset = entry.firstOffset(slot);
                out.lastOffset = entry.lastOffset(slot);
                out.maxTimestamp = entry.maxTimestamp(slot);
                return ErrorCodes.DUPLICATE_SEQUENCE_NUMBER;
            }
            if (currentEpoch == RecordBatchFlyweight.NO_PRODUCER_EPOCH ||
                inSequence(entry.lastSequence(), baseSequence))
            {
                return ErrorCodes.NONE;
            }
            return ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER;
        }
        if (epoch < currentEpoch)
        {
            return ErrorCodes.INVALID_PRODUCER_EPOCH;
        }
        if (baseSequence != 0 && currentEpoch != RecordBatchFlyweight.NO_PRODUCER_EPOCH)
        {
            return ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER;
        }
        return ErrorCodes.NONE;
    }

    /**
     * Record a batch that has been written (or, in recovery, replayed from the log). Does not validate: a new
     * epoch replaces the old one and forgets its batches; the batch becomes the newest of the five retained.
     * A batch without a producer id is ignored.
     *
     * @param maxTimestamp the batch's max timestamp, which also dates the producer for {@link #removeExpired}.
     */
    public void update(
        final long producerId,
        final short epoch,
        final int baseSequence,
        final int lastSequence,
        final long firstOffset,
        final long lastOffset,
        final long maxTimestamp)
    {
        if (producerId == RecordBatchFlyweight.NO_PRODUCER_ID)
        {
            return;
        }
        ProducerEntry entry = producers.get(producerId);
        if (entry == null)
        {
            entry = new ProducerEntry(producerId);
            producers.put(producerId, entry);
        }
        entry.epoch(epoch);
        entry.addBatch(baseSequence, lastSequence, firstOffset, lastOffset, maxTimestamp);
    }

    /**
     * Forget producers whose newest batch's max timestamp is {@code expirationMs} or more before {@code nowMs}
     * ({@code producer.id.expiration.ms}). Their next batch is then accepted with any sequence, as for a new
     * producer.
     *
     * @return how many producers were removed.
     */
    public int removeExpired(final long nowMs, final long expirationMs)
    {
        int removed = 0;
        final Iterator<ProducerEntry> iterator = producers.values().iterator();
        while (iterator.hasNext())
        {
            if (nowMs - iterator.next().lastTimestamp >= expirationMs)
            {
                iterator.remove();
                removed++;
            }
        }
        return removed;
    }

    /** Forget every producer, for a log emptied or about to be rebuilt from its start. */
    public void clear()
    {
        producers.clear();
    }

    public int producerCount()
    {
        return producers.size();
    }

    /**
     * Call {@code consumer} with each producer id and the last offset of its newest retained batch (the log
     * cleaner keeps that batch so the producer's sequence survives compaction). Producers with no batch retained
     * since their last epoch change are skipped. Changes nothing; allocates an iterator.
     */
    public void forEachLastOffset(final LongLongConsumer consumer)
    {
        for (final ProducerEntry entry : producers.values())
        {
            if (entry.count > 0)
            {
                consumer.accept(entry.producerId, entry.lastOffset(entry.slot(entry.count - 1)));
            }
        }
    }

    /**
     * Write every producer's state as the snapshot for {@code offset} in {@code dir}, atomically (temp file,
     * fsync, rename, fsync of the directory). An existing snapshot for the same offset is replaced.
     *
     * @param offset the log end offset the state covers: every batch below it has been {@link #update}d.
     */
    public void writeSnapshot(final Path dir, final long offset) throws IOException
    {
        int length = HEADER_LENGTH;
        for (final ProducerEntry entry : producers.values())
        {
            length += PRODUCER_HEADER_LENGTH + entry.count * BATCH_LENGTH;
        }
        if (snapshotBuffer.capacity() < length)
        {
            snapshotBuffer = ByteBuffer.allocate(length);
        }
        final ByteBuffer buffer = snapshotBuffer.clear();
        buffer.putShort(SNAPSHOT_VERSION).putInt(0).putLong(offset).putInt(producers.size());
        for (final ProducerEntry entry : producers.values())
        {
            buffer.putLong(entry.producerId).putShort(entry.epoch).putLong(entry.lastTimestamp).putInt(entry.count);
            for (int age = 0; age < entry.count; age++)
            {
                final int slot = entry.slot(age);
                buffer
                    .putInt(entry.baseSequence(slot))
                    .putInt(entry.lastSequence(slot))
                    .putLong(entry.firstOffset(slot))
                    .putLong(entry.lastOffset(slot))
                    .putLong(entry.maxTimestamp(slot));
            }
        }
        buffer.flip();
        buffer.putInt(CRC_OFFSET, (int)Crc32c.compute(buffer, OFFSET_OFFSET, length - OFFSET_OFFSET));
        ProducerSnapshotFiles.writeAtomically(dir, offset, buffer);
    }

    /**
     * Replace the table's contents with the newest intact snapshot in {@code dir} whose offset is at most
     * {@code maxOffset}. Snapshots above {@code maxOffset} (from a log since truncated) and snapshots that fail
     * their version, length or CRC32C check are skipped and left in place. The table is empty when none loads.
     *
     * @return the offset of the snapshot loaded, from which the log must replay batches, or -1 when none loaded.
     */
    public long loadLatestSnapshot(final Path dir, final long maxOffset) throws IOException
    {
        producers.clear();
        final long[] offsets = ProducerSnapshotFiles.offsets(dir);
        for (int i = offsets.length - 1; i >= 0; i--)
        {
            final long offset = offsets[i];
            if (offset > maxOffset)
            {
                continue;
            }
            final byte[] bytes;
            try
            {
                bytes = Files.readAllBytes(ProducerSnapshotFiles.path(dir, offset));
            }
            catch (final NoSuchFileException ex)
            {
                continue;
            }
            if (decode(ByteBuffer.wrap(bytes), offset))
            {
                return offset;
            }
            producers.clear();
        }
        return -1;
    }

    /**
     * Delete the snapshots above {@code offset}, for a log truncated to end at {@code offset}.
     *
     * @return how many files were deleted.
     */
    public int deleteSnapshotsAbove(final Path dir, final long offset) throws IOException
    {
        return offset == Long.MAX_VALUE ? 0 : ProducerSnapshotFiles.deleteRange(dir, offset + 1, Long.MAX_VALUE);
    }

    /**
     * Delete the snapshots below {@code offset}, for retention: pass the base offset of the oldest segment kept.
     *
     * @return how many files were deleted.
     */
    public int deleteSnapshotsBelow(final Path dir, final long offset) throws IOException
    {
        return offset <= 0 ? 0 : ProducerSnapshotFiles.deleteRange(dir, 0, offset - 1);
    }

    private static boolean inSequence(final int lastSequence, final int nextSequence)
    {
        return nextSequence == lastSequence + 1L || (nextSequence == 0 && lastSequence == Integer.MAX_VALUE);
    }

    /** Load the producers of one snapshot file; false, leaving partial state, when the file is not intact. */
    private boolean decode(final ByteBuffer buffer, final long expectedOffset)
    {
        final int length = buffer.limit();
        if (length < HEADER_LENGTH || buffer.getShort(VERSION_OFFSET) != SNAPSHOT_VERSION)
        {
            return false;
        }
        final long storedCrc = buffer.getInt(CRC_OFFSET) & 0xFFFF_FFFFL;
        if (storedCrc != Crc32c.compute(buffer, OFFSET_OFFSET, length - OFFSET_OFFSET) ||
            buffer.getLong(OFFSET_OFFSET) != expectedOffset)
        {
            return false;
        }
        final int producerCount = buffer.getInt(PRODUCER_COUNT_OFFSET);
        buffer.position(HEADER_LENGTH);
        for (int i = 0; i < producerCount; i++)
        {
            if (buffer.remaining() < PRODUCER_HEADER_LENGTH)
            {
                return false;
            }
            final ProducerEntry entry = new ProducerEntry(buffer.getLong());
            entry.epoch(buffer.getShort());
            final long lastTimestamp = buffer.getLong();
            final int batchCount = buffer.getInt();
            if (batchCount < 0 ||
                batchCount > ProducerEntry.BATCHES_RETAINED ||
                buffer.remaining() < batchCount * BATCH_LENGTH)
            {
                return false;
            }
            for (int b = 0; b < batchCount; b++)
            {
                entry.addBatch(buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong(), buffer.getLong());
            }
            entry.lastTimestamp = lastTimestamp;
            producers.put(entry.producerId, entry);
        }
        return producerCount >= 0 && !buffer.hasRemaining();
    }
}
