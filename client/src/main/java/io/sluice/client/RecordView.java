package io.sluice.client;

import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.codecs.record.Varints;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The records of one {@link SluiceConsumer#poll}, read in place from the fetch response: a cursor, not a
 * collection. {@link #next()} moves to the next record; the accessors describe the current one. Key, value and
 * header bytes are offsets into {@link #buffer()} (no copy); the {@code byte[]}/{@code String} conveniences
 * copy. Nothing is allocated per record by {@link #next()} and the offset accessors.
 *
 * <pre>{@code
 * RecordView records = consumer.poll(100);
 * while (records.next())
 * {
 *     handle(records.partition(), records.offset(), records.buffer(), records.valueOffset(), records.valueLength());
 * }
 * }</pre>
 *
 * <p>Valid until the consumer's next call; not thread-safe (it belongs to the consumer's thread).
 */
public final class RecordView
{
    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int regionCount;
    private String[] topics = new String[8];
    private int[] partitions = new int[8];
    private int[] regionOffsets = new int[8];
    private int[] regionEnds = new int[8];
    private long[] firstOffsets = new long[8];

    private int region = -1;
    private int batchAt;
    private int regionEnd;
    private long firstWanted;
    private int recordAt;
    private int recordsLeft;
    private long baseOffset;
    private long baseTimestamp;
    private long batchMaxTimestamp;
    private boolean logAppendTime;

    private long offset;
    private long timestamp;
    private int keyOffset;
    private int keyLength;
    private int valueOffset;
    private int valueLength;
    private int headerCount;
    private int headersAt;
    private int headersLeft;
    private int headerAt;
    private int headerKeyOffset;
    private int headerKeyLength;
    private int headerValueOffset;
    private int headerValueLength;
    private int varlongEnd;

    void reset(final DirectBuffer buffer)
    {
        this.buffer = buffer;
        regionCount = 0;
        region = -1;
        recordsLeft = 0;
        batchAt = 0;
        regionEnd = 0;
    }

    /** Add a partition's batches: {@code length} bytes at {@code at}, records before {@code firstOffset} skipped. */
    void addRegion(final String topic, final int partition, final int at, final int length, final long firstOffset)
    {
        if (regionCount == topics.length)
        {
            final int size = regionCount * 2;
            topics = Arrays.copyOf(topics, size);
            partitions = Arrays.copyOf(partitions, size);
            regionOffsets = Arrays.copyOf(regionOffsets, size);
            regionEnds = Arrays.copyOf(regionEnds, size);
            firstOffsets = Arrays.copyOf(firstOffsets, size);
        }
        topics[regionCount] = topic;
        partitions[regionCount] = partition;
        regionOffsets[regionCount] = at;
        regionEnds[regionCount] = at + length;
        firstOffsets[regionCount] = firstOffset;
        regionCount++;
    }

    /** Whether this poll returned no batches at all. */
    public boolean isEmpty()
    {
        return regionCount == 0;
    }

    /**
     * Move to the next record.
     *
     * @return false when there are no more.
     */
    public boolean next()
    {
        while (true)
        {
            if (recordsLeft > 0)
            {
                recordsLeft--;
                if (readRecord() >= firstWanted)
                {
                    return true;
                }
                continue;
            }
            if (region >= 0 && batchAt + RecordBatchFlyweight.HEADER_LENGTH <= regionEnd)
            {
                openBatch();
                continue;
            }
            if (region + 1 >= regionCount)
            {
                region = regionCount;
                return false;
            }
            region++;
            batchAt = regionOffsets[region];
            regionEnd = regionEnds[region];
            firstWanted = firstOffsets[region];
        }
    }

    private void openBatch()
    {
        final int at = batchAt;
        final int total = RecordBatchFlyweight.LOG_OVERHEAD +
            buffer.getInt(at + RecordBatchFlyweight.BATCH_LENGTH_OFFSET, BIG);
        batchAt = at + total;
        if (batchAt > regionEnd)
        {
            // A batch cut short (the broker never sends one): nothing more to read here.
            batchAt = regionEnd;
            return;
        }
        final short attributes = buffer.getShort(at + RecordBatchFlyweight.ATTRIBUTES_OFFSET, BIG);
        if ((attributes & RecordBatchFlyweight.CONTROL_MASK) != 0)
        {
            return;
        }
        baseOffset = buffer.getLong(at + RecordBatchFlyweight.BASE_OFFSET_OFFSET, BIG);
        baseTimestamp = buffer.getLong(at + RecordBatchFlyweight.BASE_TIMESTAMP_OFFSET, BIG);
        batchMaxTimestamp = buffer.getLong(at + RecordBatchFlyweight.MAX_TIMESTAMP_OFFSET, BIG);
        logAppendTime = (attributes & RecordBatchFlyweight.TIMESTAMP_TYPE_MASK) != 0;
        recordsLeft = buffer.getInt(at + RecordBatchFlyweight.RECORD_COUNT_OFFSET, BIG);
        recordAt = at + RecordBatchFlyweight.RECORDS_OFFSET;
    }

    /** Decode the record at {@code recordAt}; returns its offset. */
    private long readRecord()
    {
        int at = recordAt;
        long packed = Varints.readZigZagInt(buffer, at, regionEnd);
        final int length = Varints.value(packed);
        at += Varints.size(packed);
        recordAt = at + length;
        at++;
        final long timestampDelta = readVarlong(at);
        at = varlongEnd;
        packed = Varints.readZigZagInt(buffer, at, regionEnd);
        offset = baseOffset + Varints.value(packed);
        at += Varints.size(packed);
        packed = Varints.readZigZagInt(buffer, at, regionEnd);
        keyLength = Varints.value(packed);
        at += Varints.size(packed);
        keyOffset = at;
        at += Math.max(0, keyLength);
        packed = Varints.readZigZagInt(buffer, at, regionEnd);
        valueLength = Varints.value(packed);
        at += Varints.size(packed);
        valueOffset = at;
        at += Math.max(0, valueLength);
        packed = Varints.readZigZagInt(buffer, at, regionEnd);
        headerCount = Varints.value(packed);
        headersAt = at + Varints.size(packed);
        headersLeft = headerCount;
        headerAt = headersAt;
        timestamp = logAppendTime ? batchMaxTimestamp : baseTimestamp + timestampDelta;
        return offset;
    }

    private long readVarlong(final int index)
    {
        long raw = 0;
        int shift = 0;
        int at = index;
        byte b;
        do
        {
            b = buffer.getByte(at++);
            raw |= (long)(b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0 && shift < 70);
        varlongEnd = at;
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** The buffer that key, value and header offsets refer to. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    public String topic()
    {
        return topics[region];
    }

    public int partition()
    {
        return partitions[region];
    }

    public long offset()
    {
        return offset;
    }

    /** Milliseconds since the epoch: the producer's, or the broker's append time for LogAppendTime topics. */
    public long timestamp()
    {
        return timestamp;
    }

    public int keyOffset()
    {
        return keyOffset;
    }

    /** The key's length, -1 for no key. */
    public int keyLength()
    {
        return keyLength;
    }

    public int valueOffset()
    {
        return valueOffset;
    }

    /** The value's length, -1 for none (a tombstone). */
    public int valueLength()
    {
        return valueLength;
    }

    /** A copy of the key, or null. Allocates. */
    public byte[] key()
    {
        return copy(keyOffset, keyLength);
    }

    /** A copy of the value, or null. Allocates. */
    public byte[] value()
    {
        return copy(valueOffset, valueLength);
    }

    public int headerCount()
    {
        return headerCount;
    }

    /**
     * Move to the current record's next header (the first, after {@link #next()}).
     *
     * @return false when there are no more.
     */
    public boolean nextHeader()
    {
        if (headersLeft == 0)
        {
            return false;
        }
        headersLeft--;
        int at = headerAt;
        long packed = Varints.readZigZagInt(buffer, at, regionEnd);
        headerKeyLength = Varints.value(packed);
        at += Varints.size(packed);
        headerKeyOffset = at;
        at += headerKeyLength;
        packed = Varints.readZigZagInt(buffer, at, regionEnd);
        headerValueLength = Varints.value(packed);
        at += Varints.size(packed);
        headerValueOffset = at;
        headerAt = at + Math.max(0, headerValueLength);
        return true;
    }

    public int headerKeyOffset()
    {
        return headerKeyOffset;
    }

    public int headerKeyLength()
    {
        return headerKeyLength;
    }

    public int headerValueOffset()
    {
        return headerValueOffset;
    }

    /** -1 for a null header value. */
    public int headerValueLength()
    {
        return headerValueLength;
    }

    /** The current header's key. Allocates. */
    public String headerKey()
    {
        return buffer.getStringWithoutLengthUtf8(headerKeyOffset, headerKeyLength);
    }

    /** A copy of the current header's value, or null. Allocates. */
    public byte[] headerValue()
    {
        return copy(headerValueOffset, headerValueLength);
    }

    private byte[] copy(final int at, final int length)
    {
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(at, bytes);
        return bytes;
    }

    @Override
    public String toString()
    {
        return region >= 0 && region < regionCount ?
            topics[region] + "-" + partitions[region] + "@" + offset + " (" + valueLength + " bytes)" : "RecordView";
    }
}
