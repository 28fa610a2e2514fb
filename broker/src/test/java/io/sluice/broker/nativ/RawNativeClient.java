package io.sluice.broker.nativ;

import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.codecs.sbe.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A blocking native-protocol client for tests: requests are encoded by the test with the generated SBE encoders
 * into {@link #body()}, or sent as raw bytes, so tests can send what the real client never would.
 */
final class RawNativeClient implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ExpandableArrayBuffer request = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MessageHeaderDecoder responseHeader = new MessageHeaderDecoder();

    RawNativeClient(final int port) throws IOException
    {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The buffer to encode the next request into, message header at 0. */
    ExpandableArrayBuffer body()
    {
        return request;
    }

    MessageHeaderEncoder header()
    {
        return header;
    }

    /** Send the first {@code length} bytes of {@link #body()} as one frame. */
    void send(final int length) throws IOException
    {
        final byte[] frame = new byte[4 + length];
        new UnsafeBuffer(frame).putInt(0, length, java.nio.ByteOrder.BIG_ENDIAN);
        request.getBytes(0, frame, 4, length);
        sendRaw(frame);
    }

    void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /** Read one response frame (without its size prefix); its header is in {@link #responseHeader()}. */
    UnsafeBuffer receive() throws IOException
    {
        final int size = in.readInt();
        final byte[] bytes = new byte[size];
        in.readFully(bytes);
        final UnsafeBuffer frame = new UnsafeBuffer(bytes);
        responseHeader.wrap(frame, 0);
        return frame;
    }

    MessageHeaderDecoder responseHeader()
    {
        return responseHeader;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
