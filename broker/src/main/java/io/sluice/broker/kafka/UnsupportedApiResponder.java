package io.sluice.broker.kafka;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.codecs.kafka.RequestHeaderDecoder;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Answers a request for an API or version the broker does not serve with UNSUPPORTED_VERSION, in the format
 * of that API and version, as kafka-clients builds error responses. When kafka-clients cannot decode the
 * version either, no answer can be framed: the connection is closed with a log line instead.
 *
 * <p>Produce versions 0-2 are advertised (a Kafka quirk) but not served; their answers are encoded here by
 * hand, since kafka-clients 4 no longer knows those versions.
 *
 * <p>Thread-safe.
 */
final class UnsupportedApiResponder
{
    private final KafkaResponseWriter writer;
    private final ResponseFramePool frames;

    UnsupportedApiResponder(final KafkaResponseWriter writer)
    {
        this.writer = writer;
        this.frames = writer.pool();
    }

    void respond(
        final Connection connection,
        final long requestSeq,
        final ApiKeys api,
        final RequestHeaderDecoder header,
        final DirectBuffer buffer)
    {
        final short version = header.apiVersion();
        if (api == ApiKeys.PRODUCE && version >= 0 && version < 3)
        {
            rejectLegacyProduce(connection, requestSeq, header, buffer);
            return;
        }
        if (version < api.oldestVersion() || version > api.latestVersion(true))
        {
            connection.close("unsupported " + api.name + " version " + version + " (no known format to answer in)");
            return;
        }
        final ByteBuffer body = ByteBuffer.allocate(header.bodyLength());
        buffer.getBytes(header.bodyOffset(), body, header.bodyLength());
        body.flip();
        final AbstractRequest request = AbstractRequest.parseRequest(api, version, new ByteBufferAccessor(body)).request;
        final AbstractResponse response = request.getErrorResponse(0, Errors.UNSUPPORTED_VERSION.exception());
        writer.respond(connection, requestSeq, api, version, header.correlationId(), response.data());
    }

    /**
     * Produce v0-2: {@code acks int16, timeout int32, [topic string, [partition int32, records bytes]]}; the
     * answer {@code [topic, [partition, error int16, base_offset int64, log_append_time int64 (v2)]],
     * throttle_time_ms int32 (v1+)}, each partition with UNSUPPORTED_VERSION.
     */
    private void rejectLegacyProduce(
        final Connection connection, final long requestSeq, final RequestHeaderDecoder header, final DirectBuffer buffer)
    {
        final ResponseFrame frame = frames.acquire();
        try
        {
            frame.length(writeLegacyProduceRejection(header, buffer, frame.buffer()));
        }
        catch (final RuntimeException ex)
        {
            frames.release(frame);
            throw ex;
        }
        connection.respond(requestSeq, frame);
    }

    private static int writeLegacyProduceRejection(
        final RequestHeaderDecoder header, final DirectBuffer buffer, final MutableDirectBuffer out)
    {
        final short version = header.apiVersion();
        final int end = header.bodyOffset() + header.bodyLength();
        int in = header.bodyOffset() + 6;
        int position = 0;
        out.putInt(position, header.correlationId(), ByteOrder.BIG_ENDIAN);
        position += 4;
        final int topicCount = readCount(buffer, in, end);
        in += 4;
        out.putInt(position, topicCount, ByteOrder.BIG_ENDIAN);
        position += 4;
        for (int t = 0; t < topicCount; t++)
        {
            final int nameLength = readShortLength(buffer, in, end);
            out.putShort(position, (short)nameLength, ByteOrder.BIG_ENDIAN);
            out.putBytes(position + 2, buffer, in + 2, nameLength);
            position += 2 + nameLength;
            in += 2 + nameLength;
            final int partitionCount = readCount(buffer, in, end);
            in += 4;
            out.putInt(position, partitionCount, ByteOrder.BIG_ENDIAN);
            position += 4;
            for (int p = 0; p < partitionCount; p++)
            {
                require(in + 8 <= end);
                final int partition = buffer.getInt(in, ByteOrder.BIG_ENDIAN);
                final int recordsLength = buffer.getInt(in + 4, ByteOrder.BIG_ENDIAN);
                in += 8 + Math.max(0, recordsLength);
                require(recordsLength >= -1 && in <= end);
                out.putInt(position, partition, ByteOrder.BIG_ENDIAN);
                out.putShort(position + 4, BrokerErrorCodes.UNSUPPORTED_VERSION, ByteOrder.BIG_ENDIAN);
                out.putLong(position + 6, -1L, ByteOrder.BIG_ENDIAN);
                position += 14;
                if (version >= 2)
                {
                    out.putLong(position, -1L, ByteOrder.BIG_ENDIAN);
                    position += 8;
                }
            }
        }
        if (version >= 1)
        {
            out.putInt(position, 0, ByteOrder.BIG_ENDIAN);
            position += 4;
        }
        return position;
    }

    private static int readCount(final DirectBuffer buffer, final int index, final int end)
    {
        require(index + 4 <= end);
        final int count = buffer.getInt(index, ByteOrder.BIG_ENDIAN);
        require(count >= 0 && count <= end - index);
        return count;
    }

    private static int readShortLength(final DirectBuffer buffer, final int index, final int end)
    {
        require(index + 2 <= end);
        final int length = buffer.getShort(index, ByteOrder.BIG_ENDIAN);
        require(length >= 0 && index + 2 + length <= end);
        return length;
    }

    private static void require(final boolean condition)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("malformed Produce v0-2 request");
        }
    }
}
