package io.sluice.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class BackPressureTest
{
    private static final int MAX_IN_FLIGHT = 4;
    private static final int FRAME_BYTES = 1024;

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final RecordingHandler handler = new RecordingHandler();
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
    void shouldStopReadingAtTheInFlightLimitUntilResponsesDrain() throws Exception
    {
        transport = new Transport(new TransportContext()
            .eventLoopCount(1)
            .maxInFlightRequestsPerConnection(MAX_IN_FLIGHT)
            .socketReceiveBufferBytes(4096)
            .log(logLines::add));
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, handler);
        transport.start();

        try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", listener.port())))
        {
            client.configureBlocking(false);
            final ByteBuffer frame = ByteBuffer.allocate(4 + FRAME_BYTES).putInt(FRAME_BYTES);
            long bytesWritten = 0;
            final long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while (true)
            {
                frame.position(bytesWritten % frame.capacity() == 0 ? 0 : (int)(bytesWritten % frame.capacity()));
                final int written = client.write(frame);
                if (0 == written)
                {
                    break;
                }
                bytesWritten += written;
                assertThat(System.nanoTime() - deadlineNs).as("client writes never blocked").isNegative();
            }

            assertThat(bytesWritten).isGreaterThan((long)MAX_IN_FLIGHT * frame.capacity());
            Await.until("the first requests", () -> handler.requests.size() >= MAX_IN_FLIGHT);
            assertThat(handler.requests).hasSize(MAX_IN_FLIGHT);

            final List<RecordingHandler.Request> first = new ArrayList<>(handler.requests);
            handler.requests.clear();
            for (final RecordingHandler.Request request : first)
            {
                request.connection().skip(request.seq());
            }
            Await.until("reading to resume", () -> handler.requests.size() == MAX_IN_FLIGHT);
            assertThat(handler.requests.peek().seq()).isEqualTo(MAX_IN_FLIGHT);
        }
        assertThat(logLines).isEmpty();
    }
}
