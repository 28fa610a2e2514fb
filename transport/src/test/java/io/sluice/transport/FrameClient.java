package io.sluice.transport;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A blocking test client speaking 4-byte big-endian length-prefixed frames; reads time out after 10 s. */
final class FrameClient implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    FrameClient(final int port) throws IOException
    {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    void send(final byte[] payload) throws IOException
    {
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    byte[] receive() throws IOException
    {
        final int length = in.readInt();
        final byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    /**
     * Discard what the server sends until it closes the connection (EOF or reset): true, or false if no byte
     * and no close arrives for {@code timeoutMs}.
     */
    boolean awaitClosedByServer(final int timeoutMs) throws IOException
    {
        socket.setSoTimeout(timeoutMs);
        final byte[] discard = new byte[8192];
        try
        {
            while (in.read(discard) >= 0)
            {
                continue;
            }
            return true;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            // A reset (the server closed with our bytes unread) is a close too.
            return true;
        }
        finally
        {
            socket.setSoTimeout(10_000);
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
