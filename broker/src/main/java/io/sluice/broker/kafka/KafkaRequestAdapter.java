package io.sluice.broker.kafka;

import io.sluice.broker.BrokerLog;
import io.sluice.broker.control.BrokerConductor;
import io.sluice.broker.metrics.BrokerCounters;
import io.sluice.codecs.kafka.ProtocolErrorCodes;
import io.sluice.codecs.kafka.RequestHeaderDecoder;
import io.sluice.transport.Connection;
import io.sluice.transport.FrameHandler;
import org.agrona.DirectBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Kafka door's frame handler: decodes each request header and dispatches by API key through the
 * {@link KafkaApiTable}. Data-plane APIs get the frame itself; control-plane APIs get Kafka's decoded request,
 * on the thread they were registered for. Anything not served is answered with UNSUPPORTED_VERSION in that
 * API's own format; a frame that is not a Kafka request at all (an unknown API key, a bad header, a body that
 * does not decode) closes its connection with one log line, and nothing else is affected.
 *
 * <p>Thread-safe: called concurrently by every event loop; per-thread decoders live in thread locals.
 */
public final class KafkaRequestAdapter implements FrameHandler
{
    private final KafkaApiTable table;
    private final KafkaResponseWriter writer;
    private final BrokerConductor conductor;
    private final UnsupportedApiResponder unsupported;
    private final BrokerCounters counters;
    private final ThreadLocal<RequestHeaderDecoder> headers = ThreadLocal.withInitial(RequestHeaderDecoder::new);

    KafkaRequestAdapter(
        final KafkaApiTable table,
        final KafkaResponseWriter writer,
        final BrokerConductor conductor,
        final UnsupportedApiResponder unsupported,
        final BrokerCounters counters)
    {
        this.counters = counters;
        this.table = table;
        this.writer = writer;
        this.conductor = conductor;
        this.unsupported = unsupported;
    }

    @Override
    public void onFrame(
        final Connection connection, final long requestSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < RequestHeaderDecoder.FIXED_LENGTH)
        {
            connection.close("truncated request header (" + length + " bytes)");
            return;
        }
        final short apiKey = buffer.getShort(offset, ByteOrder.BIG_ENDIAN);
        final short version = buffer.getShort(offset + 2, ByteOrder.BIG_ENDIAN);
        if (!ApiKeys.hasId(apiKey))
        {
            connection.close("unknown Kafka API key " + apiKey);
            return;
        }
        final ApiKeys api = ApiKeys.forId(apiKey);
        counters.requests().onRequest(api);
        final RequestHeaderDecoder header = headers.get();
        if (header.wrap(buffer, offset, length, headerVersion(api, version)) != ProtocolErrorCodes.NONE)
        {
            connection.close("malformed " + api.name + " request header: " + header.malformedReason());
            return;
        }

        final KafkaApiTable.Entry entry = table.entry(apiKey);
        try
        {
            if (entry == null || !(entry.serves(version) || api == ApiKeys.API_VERSIONS))
            {
                unsupported.respond(connection, requestSeq, api, header, buffer);
            }
            else if (entry.frameApi != null)
            {
                entry.frameApi.onRequest(connection, requestSeq, header, buffer, header.bodyOffset(), header.bodyLength());
            }
            else
            {
                dispatchControl(connection, requestSeq, entry, header, buffer);
            }
        }
        catch (final RuntimeException ex)
        {
            connection.close("cannot serve " + api.name + " v" + version + " request: " + ex);
        }
    }

    private void dispatchControl(
        final Connection connection,
        final long requestSeq,
        final KafkaApiTable.Entry entry,
        final RequestHeaderDecoder header,
        final DirectBuffer buffer)
    {
        final short version = header.apiVersion();
        final ByteBuffer body = ByteBuffer.allocate(header.bodyLength());
        buffer.getBytes(header.bodyOffset(), body, header.bodyLength());
        body.flip();
        final ApiMessage data = entry.api.messageType.newRequest();
        data.read(new ByteBufferAccessor(body), version);
        final String clientId = header.clientIdLength() < 0 ? null :
            buffer.getStringWithoutLengthUtf8(header.clientIdOffset(), header.clientIdLength());
        final KafkaControlRequest request = new KafkaControlRequest(
            writer, connection, requestSeq, entry.api, version, header.correlationId(), clientId, data);
        if (entry.runs == KafkaApiTable.Runs.CONDUCTOR)
        {
            conductor.submit(() -> serve(entry, request));
        }
        else
        {
            serve(entry, request);
        }
    }

    private static void serve(final KafkaApiTable.Entry entry, final KafkaControlRequest request)
    {
        try
        {
            entry.controlApi.onRequest(request);
        }
        catch (final RuntimeException ex)
        {
            BrokerLog.error("serving " + request + " failed", ex);
            request.connection().close("cannot serve " + request + ": " + ex);
        }
    }

    /**
     * The request header version of {@code version} of {@code api}: 2 where the API's version is flexible,
     * else 1. Kafka's table answers for any version, known or not, which an unknown ApiVersions version needs.
     */
    private static int headerVersion(final ApiKeys api, final short version)
    {
        return api.requestHeaderVersion(version);
    }
}
