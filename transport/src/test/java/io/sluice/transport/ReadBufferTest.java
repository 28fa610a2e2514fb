package io.sluice.transport;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A connection's read buffer grows for a large request and is given back once the requests are small again. */
@Timeout(60)
class ReadBufferTest
{
    private static final int INITIAL_BYTES = 16 * 1024;
    private static final int LARGE_BYTES = 1024 * 1024;

    private final AtomicInteger capacity = new AtomicInteger();
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
    void shouldGrowForALargeFrameAndShrinkWhenSmallFramesFollow() throws Exception
    {
        transport = new Transport(new TransportContext().eventLoopCount(1).readBufferInitialBytes(INITIAL_BYTES));
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, new LengthEcho());
        transport.start();

        try (FrameClient client = new FrameClient(listener.port()))
        {
            roundTrip(client, LARGE_BYTES);
            assertThat(capacity.get()).isGreaterThanOrEqualTo(LARGE_BYTES);

            for (int i = 0; i < 2_100; i++)
            {
                roundTrip(client, 100);
            }
            assertThat(capacity.get()).isEqualTo(INITIAL_BYTES);

            roundTrip(client, LARGE_BYTES);
            assertThat(capacity.get()).as("grows again when needed").isGreaterThanOrEqualTo(LARGE_BYTES);
        }
    }

    private static void roundTrip(final FrameClient client, final int length) throws Exception
    {
        client.send(new byte[length]);
        assertThat(ByteBuffer.wrap(client.receive()).getInt()).isEqualTo(length);
    }

    /** Answers each frame with its length, noting the read buffer's capacity as the event loop sees it. */
    private final class LengthEcho implements FrameHandler
    {
        @Override
        public void onFrame(
            final Connection connection, final long requestSeq, final DirectBuffer buffer, final int offset, final int length)
        {
            capacity.set(((TcpConnection)connection).readBufferCapacity());
            final ResponseFrame response = transport.responseFramePool().acquire();
            response.buffer().putInt(0, length, ByteOrder.BIG_ENDIAN);
            response.length(Integer.BYTES);
            connection.respond(requestSeq, response);
        }

        @Override
        public void onClose(final Connection connection)
        {
        }
    }
}
