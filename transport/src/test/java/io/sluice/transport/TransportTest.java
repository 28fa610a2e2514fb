package io.sluice.transport;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void shouldServeSeveralListenersFromSharedEventLoops() throws Exception
    {
        transport = new Transport(context().eventLoopCount(2));
        final RecordingHandler kafka = new RecordingHandler();
        final RecordingHandler sluice = new RecordingHandler();
        final Listener kafkaListener = transport.listen("KAFKA", "127.0.0.1", 0, kafka);
        final Listener sluiceListener = transport.listen("NATIVE", "127.0.0.1", 0, sluice);
        transport.start();

        final List<FrameClient> clients = new ArrayList<>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                final FrameClient client = new FrameClient(i % 2 == 0 ? kafkaListener.port() : sluiceListener.port());
                clients.add(client);
                client.send(new byte[]{ (byte)i });
            }
            Await.until("4 requests", () -> kafka.requests.size() + sluice.requests.size() == 4);
            for (final RecordingHandler handler : List.of(kafka, sluice))
            {
                for (final RecordingHandler.Request request : handler.requests)
                {
                    RecordingHandler.respond(transport.responseFramePool(), request, request.payload());
                }
            }
            for (int i = 0; i < 4; i++)
            {
                assertThat(clients.get(i).receive()).containsExactly((byte)i);
            }
        }
        finally
        {
            for (final FrameClient client : clients)
            {
                client.close();
            }
        }
        assertThat(kafka.requests).hasSize(2).extracting(r -> r.payload()[0]).containsExactlyInAnyOrder((byte)0, (byte)2);
        assertThat(sluice.requests).hasSize(2).extracting(r -> r.payload()[0]).containsExactlyInAnyOrder((byte)1, (byte)3);
        final Set<String> threads = new HashSet<>();
        kafka.requests.forEach(r -> threads.add(r.threadName()));
        sluice.requests.forEach(r -> threads.add(r.threadName()));
        assertThat(threads).containsExactlyInAnyOrder("sluice-network-0", "sluice-network-1");
    }

    @Test
    void shouldEchoFramesLargerThanTheInitialReadBuffer() throws Exception
    {
        transport = new Transport(context().readBufferInitialBytes(64));
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, new EchoHandler(transport.responseFramePool()));
        transport.start();

        final byte[] large = new byte[3 * 1024 * 1024 + 17];
        new Random(3).nextBytes(large);
        try (FrameClient client = new FrameClient(listener.port()))
        {
            client.send(new byte[]{ 1, 2, 3 });
            client.send(large);
            client.send(new byte[]{ 4 });
            assertThat(client.receive()).containsExactly(1, 2, 3);
            assertThat(client.receive()).isEqualTo(large);
            assertThat(client.receive()).containsExactly(4);
        }
    }

    @Test
    void shouldFailToListenOnAPortInUseNamingHostAndPort() throws Exception
    {
        transport = new Transport(context());
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")))
        {
            final int port = taken.getLocalPort();
            assertThatThrownBy(() -> transport.listen("PLAINTEXT", "127.0.0.1", port, new RecordingHandler()))
                .isInstanceOf(ListenerBindException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("PLAINTEXT")
                .hasMessageNotContaining("\n");
        }
    }

    @Test
    void shouldCloseConnectionsAndStopThreadsOnClose() throws Exception
    {
        transport = new Transport(context().eventLoopCount(2));
        final RecordingHandler handler = new RecordingHandler();
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, handler);
        transport.start();

        try (FrameClient first = new FrameClient(listener.port());
            FrameClient second = new FrameClient(listener.port()))
        {
            first.send(new byte[]{ 1 });
            second.send(new byte[]{ 2 });
            Await.until("2 requests", () -> handler.requests.size() == 2);

            final long startNs = System.nanoTime();
            transport.close();
            assertThat(System.nanoTime() - startNs).isLessThan(TimeUnit.SECONDS.toNanos(5));

            assertThat(first.awaitClosedByServer(10_000)).isTrue();
            assertThat(second.awaitClosedByServer(10_000)).isTrue();
            assertThat(handler.closed).hasSize(2);
            assertThat(handler.requests).allSatisfy(r -> assertThat(r.connection().isOpen()).isFalse());
            assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().startsWith("sluice-network-"));
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", listener.port())).isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldRunEventLoopsOnThreadsFromTheContextsThreadFactory() throws Exception
    {
        final List<Thread> made = new CopyOnWriteArrayList<>();
        final AtomicInteger running = new AtomicInteger();
        transport = new Transport(context().eventLoopCount(2).threadFactory(task ->
        {
            final Thread thread = new Thread(() ->
            {
                running.incrementAndGet();
                task.run();
            });
            made.add(thread);
            return thread;
        }));
        final RecordingHandler handler = new RecordingHandler();
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, handler);
        transport.start();

        try (FrameClient client = new FrameClient(listener.port()))
        {
            client.send(new byte[]{ 1 });
            Await.until("a request", () -> handler.requests.size() == 1);
        }
        Await.until("both loops on the factory's threads", () -> running.get() == 2);
        assertThat(made).extracting(Thread::getName).containsExactly("sluice-network-0", "sluice-network-1");
        assertThat(handler.requests.peek().threadName()).startsWith("sluice-network-");

        transport.close();
        assertThat(made).noneMatch(Thread::isAlive);
    }

    @Test
    void shouldCloseListenersOfATransportThatNeverStarted() throws Exception
    {
        transport = new Transport(context());
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, new RecordingHandler());
        transport.close();

        try (ServerSocket rebound = new ServerSocket(listener.port(), 50, InetAddress.getByName("127.0.0.1")))
        {
            assertThat(rebound.getLocalPort()).isEqualTo(listener.port());
        }
    }

    @Test
    void shouldRefuseConnectionsBeyondMaxConnections() throws Exception
    {
        transport = new Transport(context().maxConnections(1));
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, new EchoHandler(transport.responseFramePool()));
        transport.start();

        try (FrameClient admitted = new FrameClient(listener.port()))
        {
            admitted.send(new byte[]{ 1 });
            assertThat(admitted.receive()).containsExactly(1);
            try (FrameClient refused = new FrameClient(listener.port()))
            {
                assertThat(refused.awaitClosedByServer(10_000)).isTrue();
            }
            Await.until("one log line", () -> logLines.size() == 1);
            assertThat(logLines.get(0)).contains("refused").contains("max.connections=1");
        }
    }

    @Test
    void shouldRejectInvalidSettingNamingTheProperty()
    {
        assertThatThrownBy(() -> new Transport(context().socketRequestMaxBytes(0)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("socket.request.max.bytes");
        assertThatThrownBy(() -> new Transport(context().eventLoopCount(-1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("num.network.threads");
    }

    @Test
    void shouldDefaultToOneEventLoopPerTwoCoresUpToThree()
    {
        assertThat(TransportContext.defaultEventLoopCount(1)).isEqualTo(1);
        assertThat(TransportContext.defaultEventLoopCount(2)).isEqualTo(1);
        assertThat(TransportContext.defaultEventLoopCount(4)).isEqualTo(2);
        assertThat(TransportContext.defaultEventLoopCount(64)).isEqualTo(3);
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
