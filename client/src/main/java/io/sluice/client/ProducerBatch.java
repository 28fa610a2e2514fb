package io.sluice.client;

import io.sluice.codecs.record.Crc32c;
import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.codecs.record.Varints;
import io.sluice.codecs.sbe.MessageHeaderEncoder;
import io.sluice.codecs.sbe.ProduceRequestEncoder;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One record batch on its way to one partition, built in place inside the very frame that carries it: the
 * buffer holds room for the size prefix, the SBE header, the {@code ProduceRequest} block and its one partition
 * entry, then a Kafka RecordBatch v2 (uncompressed) whose records are appended by senders. The I/O thread fills
 * in the header fields when it sends the batch ({@link #stamp}), so what is on the wire is the buffer itself,
 * and a claimed record's payload is written exactly once.
 *
 * <p>Threading: records are appended under the producer's lock; once sealed the batch belongs to the I/O thread
 * until it is completed and returned to the pool. Pooled: buffers are allocated once.
 */
final class ProducerBatch
{
    static final int SIZE_OFFSET = 0;
    static final int MESSAGE_OFFSET = Integer.BYTES;
    static final int BODY_OFFSET = MESSAGE_OFFSET + MessageHeaderEncoder.ENCODED_LENGTH;
    static final int ENTRY_OFFSET = BODY_OFFSET + ProduceRequestEncoder.BLOCK_LENGTH +
        ProduceRequestEncoder.PartitionsEncoder.HEADER_SIZE;
    static final int RECORDS_LENGTH_OFFSET = ENTRY_OFFSET + ProduceRequestEncoder.PartitionsEncoder.sbeBlockLength();
    /** Where the RecordBatch starts: everything before it is the frame's own header. */
    static final int BATCH_OFFSET = RECORDS_LENGTH_OFFSET + ProduceRequestEncoder.PartitionsEncoder.recordsHeaderLength();
    static final int RECORDS_OFFSET = BATCH_OFFSET + RecordBatchFlyweight.RECORDS_OFFSET;
    /** A record with no key, value or headers takes at least this many bytes. */
    static final int MIN_RECORD_OVERHEAD = 7;

    private static final ByteOrder BIG = ByteOrder.BIG_ENDIAN;

    final ByteBuffer byteBuffer;
    final UnsafeBuffer buffer;
    final boolean pooled;

    TopicState topic;
    int partition;
    int position;
    int recordCount;
    long baseTimestamp;
    long maxTimestamp;
    long createdNs;
    /** Sized for records of 64 bytes or more; batches of smaller ones grow them once and keep them. */
    SendCallback[] callbacks;
    long[] contexts;

    int correlationId;
    long sentNs;
    int baseSequence;
    long producerId;
    boolean stamped;

    ProducerBatch(final int capacity, final boolean pooled)
    {
        this.byteBuffer = BufferUtil.allocateDirectAligned((RECORDS_OFFSET + capacity + 63) & ~63, 64);
        this.buffer = new UnsafeBuffer(byteBuffer);
        this.pooled = pooled;
        final int records = Math.max(16, capacity / 64);
        this.callbacks = new SendCallback[records];
        this.contexts = new long[records];
    }

    /** Start a new batch for {@code partition} of {@code topic}. */
    ProducerBatch open(final TopicState topic, final int partition, final long nowNs)
    {
        this.topic = topic;
        this.partition = partition;
        this.position = RECORDS_OFFSET;
        this.recordCount = 0;
        this.createdNs = nowNs;
        this.stamped = false;
        return this;
    }

    int remaining()
    {
        return buffer.capacity() - position;
    }

    /** Bytes a record with these lengths takes (key length -1 for none). */
    static int recordSize(
        final long timestampDelta, final int offsetDelta, final int keyLength, final int valueLength, final int headersSize,
        final int headerCount)
    {
        final int body = bodySize(timestampDelta, offsetDelta, keyLength, valueLength, headersSize, headerCount);
        return Varints.sizeOfZigZagInt(body) + body;
    }

    private static int bodySize(
        final long timestampDelta, final int offsetDelta, final int keyLength, final int valueLength, final int headersSize,
        final int headerCount)
    {
        return 1 + Varints.sizeOfZigZagLong(timestampDelta) + Varints.sizeOfZigZagInt(offsetDelta) +
            Varints.sizeOfZigZagInt(keyLength) + Math.max(0, keyLength) +
            Varints.sizeOfZigZagInt(valueLength) + Math.max(0, valueLength) +
            Varints.sizeOfZigZagInt(headerCount) + headersSize;
    }

    /**
     * Append a record's prefix and key, leaving room for its value and headers.
     *
     * @return the offset in {@link #buffer} where the value's bytes go, or -1 when the record does not fit.
     */
    int appendPrefix(
        final long timestamp,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final int valueLength,
        final int headersSize,
        final int headerCount)
    {
        final long base = recordCount == 0 ? timestamp : baseTimestamp;
        final long timestampDelta = timestamp - base;
        final int body = bodySize(timestampDelta, recordCount, keyLength, valueLength, headersSize, headerCount);
        if (Varints.sizeOfZigZagInt(body) + body > remaining())
        {
            return -1;
        }
        if (recordCount == 0)
        {
            baseTimestamp = timestamp;
            maxTimestamp = timestamp;
        }
        else if (timestamp > maxTimestamp)
        {
            maxTimestamp = timestamp;
        }
        int at = position;
        at += Varints.putZigZagInt(buffer, at, body);
        buffer.putByte(at++, (byte)0);
        at += Varints.putZigZagLong(buffer, at, timestampDelta);
        at += Varints.putZigZagInt(buffer, at, recordCount);
        at += Varints.putZigZagInt(buffer, at, keyLength);
        if (keyLength > 0)
        {
            buffer.putBytes(at, key, keyOffset, keyLength);
            at += keyLength;
        }
        at += Varints.putZigZagInt(buffer, at, valueLength);
        return at;
    }

    /** Finish the record whose value starts at {@code valueOffset}; its headers follow the value. */
    void commit(final int end, final SendCallback callback, final long context)
    {
        if (recordCount == callbacks.length)
        {
            callbacks = Arrays.copyOf(callbacks, recordCount * 2);
            contexts = Arrays.copyOf(contexts, recordCount * 2);
        }
        callbacks[recordCount] = callback;
        contexts[recordCount] = context;
        recordCount++;
        position = end;
    }

    /**
     * Fill in the RecordBatch header and the frame around it, and position {@link #byteBuffer} over the whole
     * frame. The CRC is computed here, once, over the records as written.
     */
    void stamp(
        final ProduceRequestEncoder encoder,
        final MessageHeaderEncoder header,
        final int correlationId,
        final int acks,
        final int timeoutMs,
        final long producerId,
        final short producerEpoch,
        final int baseSequence)
    {
        final int batchLength = position - BATCH_OFFSET;
        buffer.putLong(BATCH_OFFSET + RecordBatchFlyweight.BASE_OFFSET_OFFSET, 0, BIG);
        buffer.putInt(BATCH_OFFSET + RecordBatchFlyweight.BATCH_LENGTH_OFFSET,
            batchLength - RecordBatchFlyweight.LOG_OVERHEAD, BIG);
        buffer.putInt(BATCH_OFFSET + RecordBatchFlyweight.PARTITION_LEADER_EPOCH_OFFSET,
            RecordBatchFlyweight.NO_PARTITION_LEADER_EPOCH, BIG);
        buffer.putByte(BATCH_OFFSET + RecordBatchFlyweight.MAGIC_OFFSET, RecordBatchFlyweight.MAGIC_V2);
        buffer.putShort(BATCH_OFFSET + RecordBatchFlyweight.ATTRIBUTES_OFFSET, (short)0, BIG);
        buffer.putInt(BATCH_OFFSET + RecordBatchFlyweight.LAST_OFFSET_DELTA_OFFSET, recordCount - 1, BIG);
        buffer.putLong(BATCH_OFFSET + RecordBatchFlyweight.BASE_TIMESTAMP_OFFSET, baseTimestamp, BIG);
        buffer.putLong(BATCH_OFFSET + RecordBatchFlyweight.MAX_TIMESTAMP_OFFSET, maxTimestamp, BIG);
        buffer.putLong(BATCH_OFFSET + RecordBatchFlyweight.PRODUCER_ID_OFFSET, producerId, BIG);
        buffer.putShort(BATCH_OFFSET + RecordBatchFlyweight.PRODUCER_EPOCH_OFFSET, producerEpoch, BIG);
        buffer.putInt(BATCH_OFFSET + RecordBatchFlyweight.BASE_SEQUENCE_OFFSET, baseSequence, BIG);
        buffer.putInt(BATCH_OFFSET + RecordBatchFlyweight.RECORD_COUNT_OFFSET, recordCount, BIG);
        final int crcStart = BATCH_OFFSET + RecordBatchFlyweight.ATTRIBUTES_OFFSET;
        buffer.putInt(BATCH_OFFSET + RecordBatchFlyweight.CRC_OFFSET,
            (int)Crc32c.compute(buffer, crcStart, position - crcStart), BIG);

        buffer.putInt(SIZE_OFFSET, position - MESSAGE_OFFSET, BIG);
        encoder.wrapAndApplyHeader(buffer, MESSAGE_OFFSET, header)
            .correlationId(correlationId)
            .timeoutMs(timeoutMs)
            .acks((byte)acks);
        final ProduceRequestEncoder.PartitionsEncoder entry = encoder.partitionsCount(1).next();
        entry.topicId().high(topic.idHigh).low(topic.idLow);
        entry.partition(partition);
        buffer.putInt(RECORDS_LENGTH_OFFSET, batchLength, ByteOrder.LITTLE_ENDIAN);

        this.correlationId = correlationId;
        this.producerId = producerId;
        this.baseSequence = baseSequence;
        this.stamped = true;
        rewind();
    }

    /** Position the buffer to write the stamped frame (again, after a reconnect). */
    void rewind()
    {
        byteBuffer.limit(position).position(0);
    }

    /** Drop the callbacks so a pooled batch keeps nothing alive. */
    void clear()
    {
        Arrays.fill(callbacks, 0, recordCount, null);
        topic = null;
        recordCount = 0;
    }
}
