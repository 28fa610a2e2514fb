package io.sluice.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many connections on two loops, a small in-flight limit (so reading pauses and resumes all the time), and two
 * threads answering in shuffled order with some skips: every client still gets exactly its answers, in order.
 */
@Timeout(60)
class ConcurrentCompletionTest
{
    private static final int CLIENTS = 6;
    private static final int REQUESTS_PER_CLIENT = 500;
    private static final int ANSWERERS = 2;

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final RecordingHandler handler = new RecordingHandler();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Transport transport;

    @AfterEach
    void closeTransport()
    {
        running.set(false);
        if (null != transport)
        {
            transport.close();
        }
    }

    @Test
    void shouldDeliverEveryAnswerInRequestOrderUnderConcurrentOutOfOrderCompletion() throws Exception
    {
        transport = new Transport(new TransportContext()
            .eventLoopCount(2)
            .maxInFlightRequestsPerConnection(8)
            .log(logLines::add));
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, handler);
        transport.start();

        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < ANSWERERS; i++)
        {
            final Random random = new Random(i);
            threads.add(start("answerer-" + i, () -> answer(random)));
        }
        final List<FrameClient> clients = new ArrayList<>();
        try
        {
            for (int c = 0; c < CLIENTS; c++)
            {
                final FrameClient client = new FrameClient(listener.port());
                clients.add(client);
                threads.add(start("sender-" + c, () -> sendAll(client)));
            }
            for (final FrameClient client : clients)
            {
                for (int i = 0; i < REQUESTS_PER_CLIENT; i++)
                {
                    if (!isSkipped(i))
                    {
                        assertThat(ByteBuffer.wrap(client.receive()).getInt()).isEqualTo(i);
                    }
                }
            }
        }
        finally
        {
            running.set(false);
            for (final FrameClient client : clients)
            {
                client.close();
            }
            for (final Thread thread : threads)
            {
                thread.join(10_000);
            }
        }
        assertThat(logLines).isEmpty();
    }

    private void answer(final Random random)
    {
        final List<RecordingHandler.Request> held = new ArrayList<>();
        while (running.get())
        {
            final RecordingHandler.Request request = handler.requests.poll();
            if (null != request)
            {
                held.add(request);
                if (held.size() < 4)
                {
                    continue;
                }
            }
            else if (held.isEmpty())
            {
                LockSupport.parkNanos(20_000);
                continue;
            }
            Collections.shuffle(held, random);
            for (final RecordingHandler.Request answer : held)
            {
                if (isSkipped(ByteBuffer.wrap(answer.payload()).getInt()))
                {
                    answer.connection().skip(answer.seq());
                }
                else
                {
                    RecordingHandler.respond(transport.responseFramePool(), answer, answer.payload());
                }
            }
            held.clear();
        }
    }

    private static void sendAll(final FrameClient client)
    {
        try
        {
            for (int i = 0; i < REQUESTS_PER_CLIENT; i++)
            {
                client.send(ByteBuffer.allocate(4).putInt(i).array());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static boolean isSkipped(final int value)
    {
        return value % 5 == 0;
    }

    private static Thread start(final String name, final Runnable task)
    {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
