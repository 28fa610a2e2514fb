package io.sluice.codecs.kafka;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Serialises Kafka's generated messages the way a Kafka client puts them on the wire, for use as test input. */
final class KafkaWire
{
    /** Junk in front of every frame, so a decoder that ignores its offset fails. */
    static final int LEADING_BYTES = 5;

    private KafkaWire()
    {
    }

    /** A frame (header then body, no size prefix) starting at {@link #LEADING_BYTES} in a buffer exactly that long. */
    static UnsafeBuffer frame(final Message header, final short headerVersion, final Message body, final short version)
    {
        final byte[] headerBytes = bytes(header, headerVersion);
        final byte[] bodyBytes = bytes(body, version);
        final byte[] frame = new byte[LEADING_BYTES + headerBytes.length + bodyBytes.length];
        new Random(frame.length).nextBytes(frame);
        System.arraycopy(headerBytes, 0, frame, LEADING_BYTES, headerBytes.length);
        System.arraycopy(bodyBytes, 0, frame, LEADING_BYTES + headerBytes.length, bodyBytes.length);
        return new UnsafeBuffer(frame);
    }

    /** What Kafka itself would send: the response header then the body, no size prefix. */
    static byte[] response(final int correlationId, final short headerVersion, final Message body, final short version)
    {
        final byte[] header = bytes(new ResponseHeaderData().setCorrelationId(correlationId), headerVersion);
        final byte[] bodyBytes = bytes(body, version);
        final byte[] frame = Arrays.copyOf(header, header.length + bodyBytes.length);
        System.arraycopy(bodyBytes, 0, frame, header.length, bodyBytes.length);
        return frame;
    }

    /** Read a response header of {@code headerVersion} off {@code accessor}, returning its correlation id. */
    static int readResponseHeader(final ByteBufferAccessor accessor, final short headerVersion)
    {
        return new ResponseHeaderData(accessor, headerVersion).correlationId();
    }

    static byte[] bytes(final Message message, final short version)
    {
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        return buffer.array();
    }

    /** A frame's bytes copied into a buffer with nothing after them, so any read past the end would fault. */
    static UnsafeBuffer exactCopy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new UnsafeBuffer(bytes);
    }

    static String string(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] bytes(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    /** The bytes of a record set, without disturbing its buffer. */
    static byte[] bytesOf(final MemoryRecords records)
    {
        final ByteBuffer buffer = records.buffer().duplicate();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
