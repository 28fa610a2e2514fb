package io.sluice.systemtest;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One raw TCP connection to a broker's Kafka listener, for tests that need to send exactly the bytes they
 * choose: well-formed requests built with Kafka's own classes, or garbage. Blocking, not thread-safe.
 */
final class KafkaWire implements AutoCloseable
{
    static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final String CLIENT_ID = "sluice-system-test";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    KafkaWire(final BrokerProcess broker) throws IOException
    {
        socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), broker.port()), 5_000);
        socket.setSoTimeout((int)READ_TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void writeRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /**
     * Half-close: the broker sees end of stream after what was written so far.
     */
    void shutdownOutput() throws IOException
    {
        socket.shutdownOutput();
    }

    /**
     * @return the header the next {@link #send} will use.
     */
    RequestHeader nextHeader(final AbstractRequest request)
    {
        return new RequestHeader(request.apiKey(), request.version(), CLIENT_ID, ++correlationId);
    }

    /**
     * Write one size-prefixed request frame.
     */
    void send(final RequestHeader header, final AbstractRequest request) throws IOException
    {
        final ByteBuffer frame = request.serializeWithHeader(header);
        final byte[] bytes = new byte[Integer.BYTES + frame.remaining()];
        ByteBuffer.wrap(bytes).putInt(frame.remaining()).put(frame);
        writeRaw(bytes);
    }

    /**
     * @return the body of the next response frame, its header included.
     * @throws IOException if the broker closes the connection or says nothing within {@link #READ_TIMEOUT}.
     */
    ByteBuffer receiveFrame() throws IOException
    {
        final int size = in.readInt();
        if (size < 0 || size > 64 * 1024 * 1024)
        {
            throw new IOException("implausible response size " + size);
        }
        final byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    /**
     * Send a request and parse its response with Kafka's classes (which check the correlation id).
     */
    @SuppressWarnings("unchecked")
    <R extends AbstractResponse> R roundTrip(final AbstractRequest request) throws IOException
    {
        final RequestHeader header = nextHeader(request);
        send(header, request);
        return (R)AbstractResponse.parseResponse(receiveFrame(), header);
    }

    /**
     * Read and discard until the broker closes the connection or the timeout passes.
     *
     * @return true when the broker closed it (end of stream or reset) within the timeout.
     */
    boolean awaitClosedByBroker(final Duration timeout) throws IOException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        socket.setSoTimeout(200);
        final byte[] sink = new byte[8192];
        while (System.nanoTime() < deadline)
        {
            try
            {
                if (in.read(sink) < 0)
                {
                    return true;
                }
            }
            catch (final SocketTimeoutException stillOpen)
            {
                // poll again until the deadline
            }
            catch (final EOFException | SocketException closed)
            {
                return true;
            }
        }

        return false;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
