package io.sluice.journal.compaction;

import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.journal.CleaningTask;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The per-batch rules of compaction, Kafka's {@code Cleaner} and {@code MemoryRecords.filterTo}:
 * <ul>
 *   <li><b>Keys:</b> {@link #collectKeys} records the offset of every keyed record of the dirty range in the
 *   {@link OffsetMap}, so the map ends up holding each key's latest offset.</li>
 *   <li><b>Records:</b> {@link #clean} keeps a record when it lies past the map's latest offset, has no key (Kafka
 *   refuses those on compacted topics at append; Sluice does not, so it keeps them rather than lose them), or is
 *   its key's latest record, except a tombstone whose batch's delete horizon has passed.</li>
 *   <li><b>Tombstones</b> (KIP-534): the first cleaning that keeps a tombstone stamps its batch with a delete
 *   horizon of now + {@code delete.retention.ms} (attribute bit 6, carried in the base timestamp, with every
 *   record's timestamp delta rebased so its timestamp is unchanged); a later cleaning after the horizon drops it.</li>
 *   <li><b>Batches:</b> one whose records are all kept (and needs no horizon) is copied byte for byte. Otherwise the
 *   kept records are rewritten into a batch with the same base offset, last offset delta, producer id, epoch, base
 *   sequence and leader epoch, so every record keeps its offset (gaps allowed) and the producer's sequence
 *   arithmetic still holds; the batch's codec compresses them again, and the CRC is recomputed. A batch left
 *   with no record is dropped, unless it is the newest batch of an active producer: then its header is kept with
 *   no records, so the producer's sequence survives. Control batches are kept whole.</li>
 * </ul>
 *
 * <p>Not thread-safe: one per cleaner thread. Uncompressed batches are handled without allocation once the
 * staging buffers have grown; compressed ones allocate in the codecs.
 */
final class BatchCleaner
{
    /** Attribute bit 6 of a v2 batch: the base timestamp is the delete horizon of its tombstones (KIP-534). */
    static final int DELETE_HORIZON_MASK = 0x40;
    private static final int KEPT_EMPTY_ATTRIBUTES = RecordBatchFlyweight.TIMESTAMP_TYPE_MASK |
        RecordBatchFlyweight.TRANSACTIONAL_MASK | RecordBatchFlyweight.CONTROL_MASK;
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final KeyDigest digest = new KeyDigest();
    private final RecordsCompression compression = new RecordsCompression();
    private final RecordCursor cursor = new RecordCursor();
    private final ExpandableArrayBuffer staged = new ExpandableArrayBuffer(64 * 1024);
    private final RecordBatchFlyweight written = new RecordBatchFlyweight();
    private final int maxDecompressedBatchBytes;
    private boolean[] keep = new boolean[256];
    private DirectBuffer region;
    private int regionStart;
    private int regionEnd;

    BatchCleaner(final int maxDecompressedBatchBytes)
    {
        this.maxDecompressedBatchBytes = maxDecompressedBatchBytes;
    }

    /**
     * Record in {@code map} the offset of each keyed record of {@code batch} at or after {@code firstDirty}. The
     * map must have room for the batch's record count. A compressed batch too large to inflate is skipped: its
     * keys stay out of the map, so nothing older is removed on its account.
     *
     * @param source the buffer {@code batch} points into.
     */
    void collectKeys(
        final RecordBatchFlyweight batch, final ByteBuffer source, final long firstDirty, final OffsetMap map)
        throws IOException
    {
        if (batch.isControl() || !openRecords(batch, source))
        {
            return;
        }
        final long baseOffset = batch.baseOffset();
        while (cursor.next())
        {
            final long offset = baseOffset + cursor.offsetDelta();
            if (offset >= firstDirty && cursor.hasKey())
            {
                digest.digest(region, cursor.keyOffset(), cursor.keyLength());
                if (!map.put(digest.high(), digest.low(), offset))
                {
                    throw new IllegalStateException("offset map has no free slot for offset " + offset);
                }
            }
        }
    }

    /**
     * Append to {@code out} at {@code outLength} what compaction keeps of {@code batch}.
     *
     * @param source the buffer {@code batch} points into.
     * @return the new length of {@code out}.
     */
    int clean(
        final RecordBatchFlyweight batch, final ByteBuffer source, final OffsetMap map, final CleaningTask task,
        final ExpandableDirectByteBuffer out, final int outLength) throws IOException
    {
        if (batch.isControl() || !openRecords(batch, source))
        {
            return copy(batch, out, outLength);
        }
        final boolean hasHorizon = (batch.attributes() & DELETE_HORIZON_MASK) != 0;
        final boolean tombstonesExpired = hasHorizon && task.nowMs() >= batch.baseTimestamp();
        final long latestOffset = map.latestOffset();
        final long baseOffset = batch.baseOffset();
        final long baseTimestamp = batch.baseTimestamp();
        int count = 0;
        int kept = 0;
        boolean keptTombstone = false;
        long maxTimestamp = -1;
        while (cursor.next())
        {
            if (count == keep.length)
            {
                final boolean[] grown = new boolean[count * 2];
                System.arraycopy(keep, 0, grown, 0, count);
                keep = grown;
            }
            final long offset = baseOffset + cursor.offsetDelta();
            final boolean retain;
            if (offset > latestOffset || !cursor.hasKey())
            {
                retain = true;
            }
            else
            {
                digest.digest(region, cursor.keyOffset(), cursor.keyLength());
                retain = offset >= map.get(digest.high(), digest.low()) &&
                    !(cursor.isTombstone() && tombstonesExpired);
            }
            keep[count++] = retain;
            if (retain)
            {
                kept++;
                keptTombstone |= cursor.isTombstone();
                maxTimestamp = Math.max(maxTimestamp, baseTimestamp + cursor.timestampDelta());
            }
        }
        final boolean needsHorizon = keptTombstone && !hasHorizon;
        if (kept == count && kept > 0 && !needsHorizon)
        {
            return copy(batch, out, outLength);
        }
        if (kept == 0)
        {
            final long producerId = batch.producerId();
            return producerId != RecordBatchFlyweight.NO_PRODUCER_ID &&
                task.isLastBatchOfProducer(producerId, batch.lastOffset()) ?
                writeEmpty(batch, out, outLength) : outLength;
        }
        final long newBaseTimestamp = needsHorizon ? deleteHorizon(task) : baseTimestamp;
        final int stagedLength = stageKept(baseTimestamp, newBaseTimestamp);
        final int attributes = batch.attributes() | (needsHorizon ? DELETE_HORIZON_MASK : 0);
        final long batchMaxTimestamp = batch.isLogAppendTime() ? batch.maxTimestamp() : maxTimestamp;
        return writeRebuilt(
            batch, out, outLength, stagedLength, attributes, newBaseTimestamp, batchMaxTimestamp, kept);
    }

    /** Now + {@code delete.retention.ms}, saturating: a retention of Long.MAX_VALUE keeps tombstones forever. */
    private static long deleteHorizon(final CleaningTask task)
    {
        final long horizon = task.nowMs() + task.deleteRetentionMs();
        return horizon < task.nowMs() ? Long.MAX_VALUE : horizon;
    }

    /** Point the cursor at the batch's records, inflating them if compressed; false when too large to inflate. */
    private boolean openRecords(final RecordBatchFlyweight batch, final ByteBuffer source) throws IOException
    {
        final int start = batch.offset() + RecordBatchFlyweight.RECORDS_OFFSET;
        final int end = batch.offset() + batch.totalLength();
        final int codec = batch.compressionType();
        if (codec == 0)
        {
            region = batch.buffer();
            regionStart = start;
            regionEnd = end;
        }
        else
        {
            final int length = compression.inflate(codec, source, start, end - start, maxDecompressedBatchBytes);
            if (length < 0)
            {
                return false;
            }
            region = compression.inflated();
            regionStart = 0;
            regionEnd = length;
        }
        cursor.reset(region, regionStart, regionEnd);
        return true;
    }

    /** Copy the kept records into {@link #staged}, rebasing their timestamp deltas when the base changes. */
    private int stageKept(final long oldBaseTimestamp, final long newBaseTimestamp) throws IOException
    {
        final boolean rebase = oldBaseTimestamp != newBaseTimestamp;
        cursor.reset(region, regionStart, regionEnd);
        int length = 0;
        int i = 0;
        while (cursor.next())
        {
            if (!keep[i++])
            {
                continue;
            }
            if (!rebase)
            {
                final int size = cursor.recordEnd() - cursor.recordStart();
                staged.putBytes(length, region, cursor.recordStart(), size);
                length += size;
            }
            else
            {
                final long timestampDelta = oldBaseTimestamp + cursor.timestampDelta() - newBaseTimestamp;
                final int tail = cursor.recordEnd() - cursor.offsetDeltaStart();
                final int bodyLength = 1 + varlongSize(timestampDelta) + tail;
                length = putVarint(staged, length, bodyLength);
                staged.putByte(length++, cursor.attributes());
                length = putVarlong(staged, length, timestampDelta);
                staged.putBytes(length, region, cursor.offsetDeltaStart(), tail);
                length += tail;
            }
        }
        return length;
    }

    private int writeRebuilt(
        final RecordBatchFlyweight batch, final ExpandableDirectByteBuffer out, final int at, final int stagedLength,
        final int attributes, final long baseTimestamp, final long maxTimestamp, final int recordCount)
        throws IOException
    {
        final int codec = batch.compressionType();
        final int recordsAt = at + RecordBatchFlyweight.RECORDS_OFFSET;
        final int recordsLength;
        if (codec == 0)
        {
            out.putBytes(recordsAt, staged, 0, stagedLength);
            recordsLength = stagedLength;
        }
        else
        {
            final ByteBuffer compressed = compression.deflate(codec, staged.byteArray(), 0, stagedLength);
            recordsLength = compressed.remaining();
            out.putBytes(recordsAt, compressed, compressed.position(), recordsLength);
        }
        out.putBytes(at, batch.buffer(), batch.offset(), RecordBatchFlyweight.HEADER_LENGTH);
        out.putShort(at + RecordBatchFlyweight.ATTRIBUTES_OFFSET, (short)attributes, ORDER);
        out.putLong(at + RecordBatchFlyweight.BASE_TIMESTAMP_OFFSET, baseTimestamp, ORDER);
        out.putLong(at + RecordBatchFlyweight.MAX_TIMESTAMP_OFFSET, maxTimestamp, ORDER);
        out.putInt(at + RecordBatchFlyweight.RECORD_COUNT_OFFSET, recordCount, ORDER);
        return seal(out, at, RecordBatchFlyweight.HEADER_LENGTH + recordsLength);
    }

    /** A batch with no records that keeps its offsets, producer fields and max timestamp (Kafka's empty header). */
    private int writeEmpty(final RecordBatchFlyweight batch, final ExpandableDirectByteBuffer out, final int at)
    {
        out.putBytes(at, batch.buffer(), batch.offset(), RecordBatchFlyweight.HEADER_LENGTH);
        out.putShort(at + RecordBatchFlyweight.ATTRIBUTES_OFFSET,
            (short)(batch.attributes() & KEPT_EMPTY_ATTRIBUTES), ORDER);
        out.putLong(at + RecordBatchFlyweight.BASE_TIMESTAMP_OFFSET, -1, ORDER);
        out.putInt(at + RecordBatchFlyweight.RECORD_COUNT_OFFSET, 0, ORDER);
        return seal(out, at, RecordBatchFlyweight.HEADER_LENGTH);
    }

    private static int copy(final RecordBatchFlyweight batch, final ExpandableDirectByteBuffer out, final int at)
    {
        final int length = batch.totalLength();
        out.putBytes(at, batch.buffer(), batch.offset(), length);
        return at + length;
    }

    /** Set the length and CRC of the batch written at {@code at}, {@code totalLength} bytes long. */
    private int seal(final ExpandableDirectByteBuffer out, final int at, final int totalLength)
    {
        out.putInt(at + RecordBatchFlyweight.BATCH_LENGTH_OFFSET, totalLength - RecordBatchFlyweight.LOG_OVERHEAD, ORDER);
        written.wrap(out, at);
        written.crc(written.computeCrc());
        return at + totalLength;
    }

    private static int putVarint(final MutableDirectBuffer buffer, final int index, final int value)
    {
        return putVarlong(buffer, index, value);
    }

    /** Zig-zag varint/varlong, as the record format encodes lengths, deltas and counts. */
    private static int putVarlong(final MutableDirectBuffer buffer, final int index, final long value)
    {
        long raw = (value << 1) ^ (value >> 63);
        int at = index;
        while ((raw & ~0x7FL) != 0)
        {
            buffer.putByte(at++, (byte)((raw & 0x7F) | 0x80));
            raw >>>= 7;
        }
        buffer.putByte(at++, (byte)raw);
        return at;
    }

    private static int varlongSize(final long value)
    {
        long raw = (value << 1) ^ (value >> 63);
        int size = 1;
        while ((raw & ~0x7FL) != 0)
        {
            size++;
            raw >>>= 7;
        }
        return size;
    }
}
