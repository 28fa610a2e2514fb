package io.sluice.codecs.record;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Flyweight over the fixed 61-byte header of a Kafka RecordBatch v2 (magic 2), big-endian as on the wire.
 *
 * <pre>
 *   0 baseOffset           int64
 *   8 batchLength          int32   bytes after this field (total size - 12)
 *  12 partitionLeaderEpoch int32
 *  16 magic                int8    always 2
 *  17 crc                  uint32  CRC32C of everything from attributes to the end of the batch
 *  21 attributes           int16   bits 0-2 compression, 3 timestamp type, 4 transactional, 5 control
 *  23 lastOffsetDelta      int32
 *  27 baseTimestamp        int64
 *  35 maxTimestamp         int64
 *  43 producerId           int64
 *  51 producerEpoch        int16
 *  53 baseSequence         int32
 *  57 recordCount          int32
 *  61 records...
 * </pre>
 *
 * <p>Not thread-safe: one instance per thread, re-pointed with {@link #wrap} for each batch. The flyweight
 * does not own the buffer it wraps.
 */
public final class RecordBatchFlyweight
{
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int BATCH_LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** Size of the fixed header; also the smallest legal batch. */
    public static final int HEADER_LENGTH = RECORDS_OFFSET;
    /** Bytes before the batch length field is complete: what a reader needs to learn a batch's size. */
    public static final int LOG_OVERHEAD = BATCH_LENGTH_OFFSET + 4;
    public static final byte MAGIC_V2 = 2;

    public static final int COMPRESSION_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_MASK = 0x10;
    public static final int CONTROL_MASK = 0x20;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int offset;

    /**
     * Point this flyweight at a batch starting at {@code offset} in {@code source}.
     *
     * @return this, for chaining.
     */
    public RecordBatchFlyweight wrap(final DirectBuffer source, final int offset)
    {
        if (buffer != source)
        {
            buffer.wrap(source);
        }
        this.offset = offset;
        return this;
    }

    /**
     * Point this flyweight at a batch starting at {@code offset} (absolute index) in a {@link ByteBuffer}.
     *
     * @return this, for chaining.
     */
    public RecordBatchFlyweight wrap(final ByteBuffer source, final int offset)
    {
        if (buffer.byteBuffer() != source || buffer.capacity() != source.capacity())
        {
            buffer.wrap(source);
        }
        this.offset = offset;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /** Total bytes of this batch including the offset and length fields. */
    public int totalLength()
    {
        return LOG_OVERHEAD + batchLength();
    }

    public long baseOffset()
    {
        return buffer.getLong(offset + BASE_OFFSET_OFFSET, ORDER);
    }

    public RecordBatchFlyweight baseOffset(final long value)
    {
        buffer.putLong(offset + BASE_OFFSET_OFFSET, value, ORDER);
        return this;
    }

    public int batchLength()
    {
        return buffer.getInt(offset + BATCH_LENGTH_OFFSET, ORDER);
    }

    public int partitionLeaderEpoch()
    {
        return buffer.getInt(offset + PARTITION_LEADER_EPOCH_OFFSET, ORDER);
    }

    /** The leader epoch is outside the CRC's range, so it can be stamped without recomputing it. */
    public RecordBatchFlyweight partitionLeaderEpoch(final int value)
    {
        buffer.putInt(offset + PARTITION_LEADER_EPOCH_OFFSET, value, ORDER);
        return this;
    }

    public byte magic()
    {
        return buffer.getByte(offset + MAGIC_OFFSET);
    }

    /** The stored CRC32C as an unsigned 32-bit value. */
    public long crc()
    {
        return buffer.getInt(offset + CRC_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    public RecordBatchFlyweight crc(final long value)
    {
        buffer.putInt(offset + CRC_OFFSET, (int)value, ORDER);
        return this;
    }

    public short attributes()
    {
        return buffer.getShort(offset + ATTRIBUTES_OFFSET, ORDER);
    }

    public int compressionType()
    {
        return attributes() & COMPRESSION_MASK;
    }

    public boolean isLogAppendTime()
    {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
    }

    public boolean isTransactional()
    {
        return (attributes() & TRANSACTIONAL_MASK) != 0;
    }

    public boolean isControl()
    {
        return (attributes() & CONTROL_MASK) != 0;
    }

    public int lastOffsetDelta()
    {
        return buffer.getInt(offset + LAST_OFFSET_DELTA_OFFSET, ORDER);
    }

    public long lastOffset()
    {
        return baseOffset() + lastOffsetDelta();
    }

    public long baseTimestamp()
    {
        return buffer.getLong(offset + BASE_TIMESTAMP_OFFSET, ORDER);
    }

    public long maxTimestamp()
    {
        return buffer.getLong(offset + MAX_TIMESTAMP_OFFSET, ORDER);
    }

    public long producerId()
    {
        return buffer.getLong(offset + PRODUCER_ID_OFFSET, ORDER);
    }

    public short producerEpoch()
    {
        return buffer.getShort(offset + PRODUCER_EPOCH_OFFSET, ORDER);
    }

    public int baseSequence()
    {
        return buffer.getInt(offset + BASE_SEQUENCE_OFFSET, ORDER);
    }

    /** Sequence of the last record, wrapping at {@link Integer#MAX_VALUE} as Kafka's does. */
    public int lastSequence()
    {
        final int base = baseSequence();
        if (base == NO_SEQUENCE)
        {
            return NO_SEQUENCE;
        }
        final long last = (long)base + lastOffsetDelta();
        return (int)(last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public int recordCount()
    {
        return buffer.getInt(offset + RECORD_COUNT_OFFSET, ORDER);
    }

    /** Compute the CRC32C over attributes..end, the range the header's crc field covers. */
    public long computeCrc()
    {
        final int start = offset + ATTRIBUTES_OFFSET;
        final int length = totalLength() - ATTRIBUTES_OFFSET;
        return Crc32c.compute(buffer, start, length);
    }
}
