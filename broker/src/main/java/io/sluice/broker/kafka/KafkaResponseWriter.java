package io.sluice.broker.kafka;

import io.sluice.broker.metrics.ErrorCounters;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.utils.ByteUtils;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes a response body made with Kafka's generated classes, behind the response header its API and
 * version call for, into a pooled {@link ResponseFrame}, and sends it. For the control plane: it allocates
 * (Kafka's serialization cache, a buffer view) per response.
 *
 * <p>Thread-safe: keeps no state between calls.
 */
public final class KafkaResponseWriter
{
    private final ResponseFramePool pool;
    private final ErrorCounters errors;

    /**
     * @param pool   where response frames come from.
     * @param errors counts the error codes of every response sent through {@link #respond}.
     */
    public KafkaResponseWriter(final ResponseFramePool pool, final ErrorCounters errors)
    {
        this.pool = pool;
        this.errors = errors;
    }

    public ResponseFramePool pool()
    {
        return pool;
    }

    /** Encode and send {@code body} as the answer to request {@code requestSeq} of {@code connection}. */
    public void respond(
        final Connection connection,
        final long requestSeq,
        final ApiKeys api,
        final short apiVersion,
        final int correlationId,
        final ApiMessage body)
    {
        final ResponseFrame frame = encode(api, apiVersion, correlationId, body);
        countErrors(frame, api, apiVersion);
        connection.respond(requestSeq, frame);
    }

    /**
     * Count the response's error codes the way Kafka's broker reports them. The generated classes share no
     * error accessor, so the body is read back into Kafka's {@code AbstractResponse}, whose {@code errorCounts()}
     * knows each API's shape: a second decode, affordable on the control plane only.
     */
    private void countErrors(final ResponseFrame frame, final ApiKeys api, final short apiVersion)
    {
        final boolean taggedHeader = api != ApiKeys.API_VERSIONS && api.responseHeaderVersion(apiVersion) >= 1;
        final ByteBuffer body = frame.buffer().byteBuffer().duplicate().order(ByteOrder.BIG_ENDIAN);
        body.limit(frame.length()).position(taggedHeader ? 5 : 4);
        try
        {
            errors.onErrors(AbstractResponse.parseResponse(api, new ByteBufferAccessor(body.slice()), apiVersion).errorCounts());
        }
        catch (final RuntimeException ex)
        {
            // A response kafka-clients cannot read back is still sent; its errors are just not counted.
        }
    }

    /**
     * Encode {@code body} behind its header into a frame from the pool. ApiVersions always answers with
     * response header v0, whatever its version, so a client can read it before it knows what we speak.
     */
    public ResponseFrame encode(final ApiKeys api, final short apiVersion, final int correlationId, final ApiMessage body)
    {
        final boolean taggedHeader = api != ApiKeys.API_VERSIONS && api.responseHeaderVersion(apiVersion) >= 1;
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int bodySize = body.size(cache, apiVersion);
        final int size = 4 + (taggedHeader ? 1 : 0) + bodySize;
        final ResponseFrame frame = pool.acquire();
        frame.buffer().checkLimit(size);
        final ByteBuffer out = frame.buffer().byteBuffer().duplicate().order(ByteOrder.BIG_ENDIAN);
        out.clear();
        out.putInt(correlationId);
        if (taggedHeader)
        {
            ByteUtils.writeUnsignedVarint(0, out);
        }
        body.write(new ByteBufferAccessor(out), cache, apiVersion);
        frame.length(out.position());
        return frame;
    }
}
