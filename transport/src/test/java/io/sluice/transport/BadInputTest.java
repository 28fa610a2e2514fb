package io.sluice.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A connection that sends garbage is closed with one log line; its neighbours never notice. */
@Timeout(30)
class BadInputTest
{
    private static final int MAX_FRAME_BYTES = 1024;

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private Transport transport;
    private Listener listener;

    @BeforeEach
    void start()
    {
        transport = new Transport(new TransportContext()
            .eventLoopCount(1)
            .socketRequestMaxBytes(MAX_FRAME_BYTES)
            .log(logLines::add));
        final TransportTest.EchoHandler echo = new TransportTest.EchoHandler(transport.responseFramePool());
        listener = transport.listen("TEST", "127.0.0.1", 0, (connection, seq, buffer, offset, length) ->
        {
            final String text = buffer.getStringWithoutLengthAscii(offset, length);
            seen.add(text);
            if ("boom".equals(text))
            {
                throw new IllegalStateException("handler blew up");
            }
            if ("bye".equals(text))
            {
                connection.close("handler said bye");
                return;
            }
            echo.onFrame(connection, seq, buffer, offset, length);
        });
        transport.start();
    }

    @AfterEach
    void close()
    {
        transport.close();
    }

    @Test
    void shouldCloseOnlyTheConnectionThatSendsAnOversizedLengthPrefix() throws Exception
    {
        assertOnlyOffenderClosed(sizePrefix(MAX_FRAME_BYTES + 1), "frame size " + (MAX_FRAME_BYTES + 1));
    }

    @Test
    void shouldCloseOnlyTheConnectionThatSendsANegativeLengthPrefix() throws Exception
    {
        assertOnlyOffenderClosed(sizePrefix(-1), "frame size -1");
    }

    @Test
    void shouldAcceptAFrameOfExactlyTheMaximumSize() throws Exception
    {
        try (FrameClient client = new FrameClient(listener.port()))
        {
            final byte[] payload = new byte[MAX_FRAME_BYTES];
            payload[MAX_FRAME_BYTES - 1] = 9;
            client.send(payload);
            assertThat(client.receive()).isEqualTo(payload);
        }
        assertThat(logLines).isEmpty();
    }

    @Test
    void shouldCloseOnlyTheConnectionWhoseStreamEndsInTheMiddleOfAFrame() throws Exception
    {
        try (FrameClient neighbour = new FrameClient(listener.port());
            Socket offender = connect())
        {
            assertEcho(neighbour, "before");
            offender.getOutputStream().write(ByteBuffer.allocate(14).putInt(100).put(new byte[10]).array());
            offender.shutdownOutput();

            Await.until("one log line", () -> logLines.size() == 1);
            assertThat(logLines.get(0))
                .contains(peerOf(offender))
                .contains("end of stream in the middle of a frame");
            assertEcho(neighbour, "after");
        }
        assertThat(logLines).hasSize(1);
    }

    @Test
    void shouldCloseQuietlyWhenThePeerClosesBetweenFrames() throws Exception
    {
        try (FrameClient client = new FrameClient(listener.port()))
        {
            assertEcho(client, "one");
        }
        try (FrameClient client = new FrameClient(listener.port()))
        {
            assertEcho(client, "two");
        }
        assertThat(logLines).isEmpty();
    }

    @Test
    void shouldCloseOnlyTheConnectionWhoseFrameMadeTheHandlerThrow() throws Exception
    {
        try (FrameClient neighbour = new FrameClient(listener.port());
            FrameClient offender = new FrameClient(listener.port()))
        {
            assertEcho(offender, "fine");
            offender.send("boom".getBytes(StandardCharsets.US_ASCII));

            assertThat(offender.awaitClosedByServer(10_000)).isTrue();
            Await.until("one log line", () -> logLines.size() == 1);
            assertThat(logLines.get(0)).contains("handler blew up").contains("request 1");
            assertEcho(neighbour, "still here");
        }
        assertThat(logLines).hasSize(1);
    }

    @Test
    void shouldStopDispatchingFramesOfAConnectionItsHandlerClosed() throws Exception
    {
        try (FrameClient client = new FrameClient(listener.port()))
        {
            client.sendRaw(ByteBuffer.allocate(18)
                .putInt(1).put((byte)'a')
                .putInt(3).put("bye".getBytes(StandardCharsets.US_ASCII))
                .putInt(1).put((byte)'c')
                .array());

            assertThat(client.awaitClosedByServer(10_000)).isTrue();
            Await.until("one log line", () -> logLines.size() == 1);
            assertThat(logLines.get(0)).contains("handler said bye");
            assertThat(seen).containsExactly("a", "bye");
        }
    }

    private void assertOnlyOffenderClosed(final byte[] garbage, final String reason) throws Exception
    {
        try (FrameClient neighbour = new FrameClient(listener.port());
            Socket offender = connect())
        {
            assertEcho(neighbour, "before");
            offender.getOutputStream().write(garbage);

            assertThat(offender.getInputStream().read()).isEqualTo(-1);
            Await.until("one log line", () -> logLines.size() == 1);
            assertThat(logLines.get(0)).contains(peerOf(offender)).contains(reason);
            assertEcho(neighbour, "after");
        }
        assertThat(logLines).hasSize(1);
    }

    private Socket connect() throws Exception
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", listener.port()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void assertEcho(final FrameClient client, final String text) throws Exception
    {
        client.send(text.getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(client.receive(), StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    private static String peerOf(final Socket socket)
    {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private static byte[] sizePrefix(final int size)
    {
        return ByteBuffer.allocate(4).putInt(size).array();
    }
}
