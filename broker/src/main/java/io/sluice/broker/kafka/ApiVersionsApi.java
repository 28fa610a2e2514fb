package io.sluice.broker.kafka;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.codecs.kafka.RequestHeaderDecoder;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ApiVersions, versions 0-4, answered on the event loop from bodies encoded once when the broker starts. A
 * version we do not know gets Kafka's fallback: a version 0 body with UNSUPPORTED_VERSION and our ranges, so
 * the client can retry with one we speak. The response header is always version 0.
 *
 * <p>No {@code transaction.version} feature is finalized, so transactional clients keep the classic flow.
 *
 * <p>Thread-safe after {@link #prepare()}.
 */
final class ApiVersionsApi implements KafkaFrameApi
{
    static final short MAX_VERSION = 4;

    private final KafkaApiTable table;
    private final ResponseFramePool frames;
    private final byte[][] bodies = new byte[MAX_VERSION + 1][];
    private byte[] unsupportedBody;

    ApiVersionsApi(final KafkaApiTable table, final ResponseFramePool frames)
    {
        this.table = table;
        this.frames = frames;
    }

    /** Encode the answers for every version from the now complete table. */
    void prepare()
    {
        for (short version = 0; version <= MAX_VERSION; version++)
        {
            bodies[version] = encode(body(ErrorCodes.NONE), version);
        }
        unsupportedBody = encode(body(BrokerErrorCodes.UNSUPPORTED_VERSION), (short)0);
    }

    @Override
    public void onRequest(
        final Connection connection,
        final long requestSeq,
        final RequestHeaderDecoder header,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
        final short version = header.apiVersion();
        final byte[] body = version >= 0 && version <= MAX_VERSION ? bodies[version] : unsupportedBody;
        final ResponseFrame frame = frames.acquire();
        frame.buffer().putInt(0, header.correlationId(), ByteOrder.BIG_ENDIAN);
        frame.buffer().putBytes(4, body);
        frame.length(4 + body.length);
        connection.respond(requestSeq, frame);
    }

    private ApiVersionsResponseData body(final short errorCode)
    {
        final ApiVersionsResponseData data = new ApiVersionsResponseData().setErrorCode(errorCode).setThrottleTimeMs(0);
        for (final ApiVersionsResponseData.ApiVersion version : table.advertised())
        {
            data.apiKeys().add(version);
        }
        return data;
    }

    private static byte[] encode(final ApiVersionsResponseData data, final short version)
    {
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final ByteBuffer out = ByteBuffer.allocate(data.size(cache, version));
        data.write(new ByteBufferAccessor(out), cache, version);
        return out.array();
    }
}
