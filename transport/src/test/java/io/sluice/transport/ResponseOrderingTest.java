package io.sluice.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class ResponseOrderingTest
{
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
    void shouldWritePipelinedResponsesInRequestOrderWhenAnsweredOutOfOrderFromAnotherThread() throws Exception
    {
        final int requestCount = 1000;
        final Listener listener = start(new TransportContext().maxInFlightRequestsPerConnection(requestCount));

        try (FrameClient client = new FrameClient(listener.port()))
        {
            for (int i = 0; i < requestCount; i++)
            {
                client.send(intBytes(i));
            }
            Await.until(requestCount + " requests", () -> handler.requests.size() == requestCount);

            final List<RecordingHandler.Request> shuffled = new ArrayList<>(handler.requests);
            Collections.shuffle(shuffled, new Random(42));
            final Thread answerer = new Thread(() ->
            {
                for (final RecordingHandler.Request request : shuffled)
                {
                    RecordingHandler.respond(transport.responseFramePool(), request, request.payload());
                }
            }, "answerer");
            answerer.start();

            for (int i = 0; i < requestCount; i++)
            {
                assertThat(ByteBuffer.wrap(client.receive()).getInt()).isEqualTo(i);
            }
            answerer.join(10_000);
        }
        assertThat(handler.requests).extracting(RecordingHandler.Request::seq)
            .containsExactlyElementsOf(LongStream.range(0, requestCount).boxed().toList());
        assertThat(logLines).isEmpty();
    }

    @Test
    void shouldWriteLaterResponsesPastSkippedRequests() throws Exception
    {
        final Listener listener = start(new TransportContext());

        try (FrameClient client = new FrameClient(listener.port()))
        {
            for (int i = 0; i < 5; i++)
            {
                client.send(intBytes(i));
            }
            Await.until("5 requests", () -> handler.requests.size() == 5);
            final List<RecordingHandler.Request> requests = new ArrayList<>(handler.requests);
            handler.requests.clear();

            RecordingHandler.respond(transport.responseFramePool(), requests.get(4), requests.get(4).payload());
            requests.get(3).connection().skip(requests.get(3).seq());
            RecordingHandler.respond(transport.responseFramePool(), requests.get(2), requests.get(2).payload());
            requests.get(1).connection().skip(requests.get(1).seq());
            RecordingHandler.respond(transport.responseFramePool(), requests.get(0), requests.get(0).payload());

            assertThat(ByteBuffer.wrap(client.receive()).getInt()).isEqualTo(0);
            assertThat(ByteBuffer.wrap(client.receive()).getInt()).isEqualTo(2);
            assertThat(ByteBuffer.wrap(client.receive()).getInt()).isEqualTo(4);

            client.send(intBytes(5));
            Await.until("request 5", () -> handler.requests.size() == 1);
            final RecordingHandler.Request next = handler.requests.poll();
            assertThat(next.seq()).isEqualTo(5);
            RecordingHandler.respond(transport.responseFramePool(), next, next.payload());
            assertThat(ByteBuffer.wrap(client.receive()).getInt()).isEqualTo(5);
        }
    }

    @Test
    void shouldCloseConnectionAnsweredTwiceForTheSameRequest() throws Exception
    {
        final Listener listener = start(new TransportContext());

        try (FrameClient client = new FrameClient(listener.port()))
        {
            client.send(intBytes(7));
            client.send(intBytes(8));
            Await.until("2 requests", () -> handler.requests.size() == 2);
            final RecordingHandler.Request second = new ArrayList<>(handler.requests).get(1);

            RecordingHandler.respond(transport.responseFramePool(), second, second.payload());
            RecordingHandler.respond(transport.responseFramePool(), second, second.payload());

            assertThat(client.awaitClosedByServer(10_000)).isTrue();
            Await.until("one log line", () -> logLines.size() == 1);
            assertThat(logLines.get(0)).contains(second.connection().remoteAddress()).contains("answered twice");
            assertThat(second.connection().isOpen()).isFalse();
            Await.until("onClose", () -> handler.closed.size() == 1);
        }
    }

    @Test
    void shouldCloseWithReasonWhenAskedFromAnotherThread() throws Exception
    {
        final Listener listener = start(new TransportContext());

        try (FrameClient client = new FrameClient(listener.port()))
        {
            client.send(intBytes(1));
            Await.until("a request", () -> handler.requests.size() == 1);
            final Connection connection = handler.requests.poll().connection();

            connection.close("shard gave up");

            assertThat(client.awaitClosedByServer(10_000)).isTrue();
            Await.until("onClose", () -> handler.closed.contains(connection));
            assertThat(connection.isOpen()).isFalse();
            assertThat(logLines).hasSize(1);
            assertThat(logLines.get(0)).contains(connection.remoteAddress()).contains("shard gave up");
        }
    }

    @Test
    void shouldReleaseResponseToAClosedConnectionWithoutWritingIt() throws Exception
    {
        final Listener listener = start(new TransportContext());
        final RecordingHandler.Request request;
        try (FrameClient client = new FrameClient(listener.port()))
        {
            client.send(intBytes(1));
            Await.until("a request", () -> handler.requests.size() == 1);
            request = handler.requests.poll();
        }
        Await.until("onClose", () -> handler.closed.size() == 1);
        assertThat(request.connection().isOpen()).isFalse();

        final ResponseFrame late = transport.responseFramePool().acquire();
        late.buffer().putInt(0, 99);
        late.length(4);
        request.connection().respond(request.seq(), late);

        assertThat(transport.responseFramePool().acquire()).isSameAs(late);
        assertThat(late.length()).isZero();
        assertThat(logLines).isEmpty();
    }

    @Test
    void shouldCloseConnectionGivenAResponseLongerThanItsBuffer() throws Exception
    {
        final Listener listener = start(new TransportContext());

        try (FrameClient client = new FrameClient(listener.port()))
        {
            client.send(intBytes(1));
            Await.until("a request", () -> handler.requests.size() == 1);
            final RecordingHandler.Request request = handler.requests.poll();
            final ResponseFrame response = transport.responseFramePool().acquire();
            response.length(response.buffer().capacity() + 1);

            request.connection().respond(request.seq(), response);

            assertThat(client.awaitClosedByServer(10_000)).isTrue();
            Await.until("one log line", () -> logLines.size() == 1);
            assertThat(logLines.get(0)).contains(request.connection().remoteAddress()).contains("outside its buffer");
        }
    }

    private Listener start(final TransportContext ctx)
    {
        transport = new Transport(ctx.eventLoopCount(1).log(logLines::add));
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, handler);
        transport.start();
        return listener;
    }

    private static byte[] intBytes(final int value)
    {
        return ByteBuffer.allocate(4).putInt(value).array();
    }
}
