package io.sluice.broker;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * A blocking Kafka protocol client for tests: sends requests built with Kafka's generated classes (or raw
 * bytes) and reads responses, so tests can drive versions, pipelining and malformed input that real clients
 * never produce.
 */
public final class RawKafkaClient implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    public RawKafkaClient(final int port) throws IOException
    {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Send a request; returns its correlation id. */
    public int send(final ApiMessage request, final short version) throws IOException
    {
        final ApiKeys api = ApiKeys.forId(request.apiKey());
        final int id = ++correlationId;
        final RequestHeader header = new RequestHeader(api, version, "raw-test", id);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int headerSize = header.data().size(cache, header.headerVersion());
        final int bodySize = request.size(cache, version);
        final ByteBuffer buffer = ByteBuffer.allocate(4 + headerSize + bodySize);
        buffer.putInt(headerSize + bodySize);
        final ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.data().write(accessor, cache, header.headerVersion());
        request.write(accessor, cache, version);
        sendRaw(buffer.array());
        return id;
    }

    public void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /** Read one response frame's bytes (without the size prefix). */
    public ByteBuffer receiveFrame() throws IOException
    {
        final int size = in.readInt();
        final byte[] bytes = new byte[size];
        in.readFully(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** Read the next response, expected to answer {@code api} at {@code version}; checks the correlation id. */
    public <T extends ApiMessage> T receive(final ApiKeys api, final short version, final int expectedCorrelationId)
        throws IOException
    {
        final ByteBuffer frame = receiveFrame();
        final short headerVersion = api == ApiKeys.API_VERSIONS ? 0 : api.responseHeaderVersion(version);
        final ResponseHeader header = ResponseHeader.parse(frame, headerVersion);
        if (header.correlationId() != expectedCorrelationId)
        {
            throw new IllegalStateException("correlation id " + header.correlationId() + ", expected " + expectedCorrelationId);
        }
        final ApiMessage body = api.messageType.newResponse();
        body.read(new ByteBufferAccessor(frame), version);
        @SuppressWarnings("unchecked") final T typed = (T)body;
        return typed;
    }

    public <T extends ApiMessage> T call(final ApiMessage request, final short version) throws IOException
    {
        final int id = send(request, version);
        return receive(ApiKeys.forId(request.apiKey()), version, id);
    }

    /** True when the broker closed the connection (reads end of stream) within the socket timeout. */
    public boolean isClosedByPeer()
    {
        try
        {
            return in.read() == -1;
        }
        catch (final EOFException ex)
        {
            return true;
        }
        catch (final IOException ex)
        {
            return ex.getMessage() != null && ex.getMessage().contains("reset");
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
