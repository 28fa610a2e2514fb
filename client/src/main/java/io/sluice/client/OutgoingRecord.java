package io.sluice.client;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A record to send, filled by the caller and reusable: {@link #reset()} it and fill it again for the next
 * record, and sending allocates nothing. The producer copies key, value and headers into the batch during
 * {@code send}, so the caller may change the buffers afterwards.
 *
 * <pre>{@code
 * OutgoingRecord record = new OutgoingRecord();
 * record.reset().topic("prices").key(symbol).value(buffer, 0, length).header(SOURCE, venue);
 * producer.send(record, callback, sequence);
 * }</pre>
 *
 * <p>Not thread-safe: one per sending thread.
 */
public final class OutgoingRecord
{
    /** Partition -1: chosen by the producer (hash of the key, or the topic's sticky partition without a key). */
    public static final int ANY_PARTITION = -1;
    /** Timestamp -1: the producer's clock when the record is sent. */
    public static final long NOW = -1;

    private String topic;
    private int partition = ANY_PARTITION;
    private long timestamp = NOW;
    private final UnsafeBuffer key = new UnsafeBuffer(0, 0);
    private int keyOffset;
    private int keyLength = -1;
    private final UnsafeBuffer value = new UnsafeBuffer(0, 0);
    private int valueOffset;
    private int valueLength = -1;
    private int headerCount;
    private byte[][] headerKeys = new byte[4][];
    private byte[][] headerValues = new byte[4][];

    /** Forget the previous record: no key, no value, no headers, any partition, timestamp now. */
    public OutgoingRecord reset()
    {
        topic = null;
        partition = ANY_PARTITION;
        timestamp = NOW;
        keyLength = -1;
        valueLength = -1;
        Arrays.fill(headerKeys, 0, headerCount, null);
        Arrays.fill(headerValues, 0, headerCount, null);
        headerCount = 0;
        return this;
    }

    public OutgoingRecord topic(final String topic)
    {
        this.topic = topic;
        return this;
    }

    /** The partition, or {@link #ANY_PARTITION}. */
    public OutgoingRecord partition(final int partition)
    {
        this.partition = partition;
        return this;
    }

    /** Milliseconds since the epoch, or {@link #NOW}. */
    public OutgoingRecord timestamp(final long timestamp)
    {
        this.timestamp = timestamp;
        return this;
    }

    /** The key, or null for none. */
    public OutgoingRecord key(final byte[] key)
    {
        if (key == null)
        {
            keyLength = -1;
            return this;
        }
        this.key.wrap(key);
        keyOffset = 0;
        keyLength = key.length;
        return this;
    }

    public OutgoingRecord key(final DirectBuffer buffer, final int offset, final int length)
    {
        key.wrap(buffer);
        keyOffset = offset;
        keyLength = length;
        return this;
    }

    /** The value, or null for a tombstone. */
    public OutgoingRecord value(final byte[] value)
    {
        if (value == null)
        {
            valueLength = -1;
            return this;
        }
        this.value.wrap(value);
        valueOffset = 0;
        valueLength = value.length;
        return this;
    }

    public OutgoingRecord value(final DirectBuffer buffer, final int offset, final int length)
    {
        value.wrap(buffer);
        valueOffset = offset;
        valueLength = length;
        return this;
    }

    /** Add a header whose key is already UTF-8 bytes (no allocation). {@code value} may be null. */
    public OutgoingRecord header(final byte[] keyUtf8, final byte[] value)
    {
        if (headerCount == headerKeys.length)
        {
            headerKeys = Arrays.copyOf(headerKeys, headerCount * 2);
            headerValues = Arrays.copyOf(headerValues, headerCount * 2);
        }
        headerKeys[headerCount] = keyUtf8;
        headerValues[headerCount] = value;
        headerCount++;
        return this;
    }

    /** Add a header; the key is encoded to UTF-8 here (one small allocation). */
    public OutgoingRecord header(final String key, final byte[] value)
    {
        return header(key.getBytes(StandardCharsets.UTF_8), value);
    }

    String topic()
    {
        return topic;
    }

    int partition()
    {
        return partition;
    }

    long timestamp()
    {
        return timestamp;
    }

    DirectBuffer keyBuffer()
    {
        return key;
    }

    int keyOffset()
    {
        return keyOffset;
    }

    int keyLength()
    {
        return keyLength;
    }

    DirectBuffer valueBuffer()
    {
        return value;
    }

    int valueOffset()
    {
        return valueOffset;
    }

    int valueLength()
    {
        return valueLength;
    }

    int headerCount()
    {
        return headerCount;
    }

    byte[] headerKey(final int index)
    {
        return headerKeys[index];
    }

    byte[] headerValue(final int index)
    {
        return headerValues[index];
    }
}
