package io.sluice.broker.kafka;

import io.sluice.broker.BrokerLog;
import io.sluice.transport.Connection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * One control-plane request, decoded with Kafka's generated classes, and the way to answer it exactly once.
 * Immutable; {@link #respond} may be called from any thread.
 */
public final class KafkaControlRequest
{
    private final KafkaResponseWriter writer;
    private final Connection connection;
    private final long requestSeq;
    private final ApiKeys api;
    private final short apiVersion;
    private final int correlationId;
    private final String clientId;
    private final ApiMessage data;

    KafkaControlRequest(
        final KafkaResponseWriter writer,
        final Connection connection,
        final long requestSeq,
        final ApiKeys api,
        final short apiVersion,
        final int correlationId,
        final String clientId,
        final ApiMessage data)
    {
        this.writer = writer;
        this.connection = connection;
        this.requestSeq = requestSeq;
        this.api = api;
        this.apiVersion = apiVersion;
        this.correlationId = correlationId;
        this.clientId = clientId;
        this.data = data;
    }

    public Connection connection()
    {
        return connection;
    }

    public ApiKeys api()
    {
        return api;
    }

    public short apiVersion()
    {
        return apiVersion;
    }

    public int correlationId()
    {
        return correlationId;
    }

    /** The client's id from the request header, or null. */
    public String clientId()
    {
        return clientId;
    }

    /** The decoded request body, e.g. a {@code CreateTopicsRequestData} for CreateTopics. */
    public <T extends ApiMessage> T data(final Class<T> type)
    {
        return type.cast(data);
    }

    /**
     * Send {@code body} (the API's {@code ...ResponseData}) as the answer, encoded at the request's version. A
     * body that cannot be encoded at that version (a handler bug) closes the connection with a log line, so
     * the client fails fast instead of waiting for an answer that never comes.
     */
    public void respond(final ApiMessage body)
    {
        try
        {
            writer.respond(connection, requestSeq, api, apiVersion, correlationId, body);
        }
        catch (final RuntimeException ex)
        {
            BrokerLog.error("cannot encode the answer to " + this, ex);
            connection.close("cannot encode the answer to " + this + ": " + ex.getMessage());
        }
    }

    @Override
    public String toString()
    {
        return api + " v" + apiVersion + " from " + connection.remoteAddress();
    }
}
