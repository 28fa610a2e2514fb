package io.sluice.transport;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class TransportTest
{
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private Transport transport;

    @AfterEach
    void closeTransport()
    {
        if (null != transport)
        {
            transport.close();
        }
    }

    @Test
    void shouldEchoFrameOnEventLoopThread() throws Exception
    {
        transport = new Transport(context());
        final ResponseFramePool pool = transport.responseFramePool();
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, new EchoHandler(pool));
        transport.start();

        try (FrameClient client = new FrameClient(listener.port()))
        {
            client.send("hello".getBytes(StandardCharsets.US_ASCII));
            client.send(new byte[0]);
            client.send("world".getBytes(StandardCharsets.US_ASCII));

            assertThat(new String(client.receive(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(client.receive()).isEmpty();
            assertThat(new String(client.receive(), StandardCharsets.US_ASCII)).isEqualTo("world");
        }
        assertThat(listener.port()).isPositive();
        assertThat(logLines).isEmpty();
    }

    private TransportContext context()
    {
        return new TransportContext().eventLoopCount(1).log(logLines::add);
    }

    /** Answers each frame with its own bytes, inline on the event-loop thread. */
    static final class EchoHandler implements FrameHandler
    {
        private final ResponseFramePool pool;

        EchoHandler(final ResponseFramePool pool)
        {
            this.pool = pool;
        }

        @Override
        public void onFrame(
            final Connection connection, final long requestSeq, final DirectBuffer buffer, final int offset, final int length)
        {
            final ResponseFrame response = pool.acquire();
            response.buffer().putBytes(0, buffer, offset, length);
            response.length(length);
            connection.respond(requestSeq, response);
        }
    }
}
