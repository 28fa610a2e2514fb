package io.sluice.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once warm, an event loop allocates nothing per frame or response: measured with the JVM's per-thread
 * allocation counter over thousands of requests, answered inline and from another thread.
 */
@Timeout(60)
class SteadyStateAllocationTest
{
    private static final int BATCH = 16;
    private static final int WARM_UP_BATCHES = 1_000;
    private static final int MEASURED_BATCHES = 1_000;

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private volatile Thread loopThread;
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
    void shouldNotAllocateOnTheEventLoopWhenAnsweringInline() throws Exception
    {
        transport = new Transport(new TransportContext().eventLoopCount(1).log(logLines::add));
        final TransportTest.EchoHandler echo = new TransportTest.EchoHandler(transport.responseFramePool());
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, (connection, seq, buffer, offset, length) ->
        {
            loopThread = Thread.currentThread();
            echo.onFrame(connection, seq, buffer, offset, length);
        });
        transport.start();

        assertLoopAllocationWithinBudget(listener);
    }

    @Test
    void shouldNotAllocateOnTheEventLoopWhenAnsweredFromAnotherThread() throws Exception
    {
        transport = new Transport(new TransportContext().eventLoopCount(1).log(logLines::add));
        final CrossThreadEcho echo = new CrossThreadEcho(transport.responseFramePool());
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, echo);
        transport.start();
        final Thread answerer = new Thread(echo::answerUntilStopped, "answerer");
        answerer.start();
        try
        {
            assertLoopAllocationWithinBudget(listener);
        }
        finally
        {
            echo.running.set(false);
            answerer.join(10_000);
        }
    }

    private void assertLoopAllocationWithinBudget(final Listener listener) throws Exception
    {
        try (FrameClient client = new FrameClient(listener.port()))
        {
            final byte[] batch = batchOfFrames();
            runBatches(client, batch, WARM_UP_BATCHES);
            final long tid = loopThread.getId();

            final long before = threads.getThreadAllocatedBytes(tid);
            runBatches(client, batch, MEASURED_BATCHES);
            final long allocated = threads.getThreadAllocatedBytes(tid) - before;

            // Under a byte per request: one object per request would be 16+ bytes each. The slack absorbs the
            // odd JIT recompilation, after which a few objects that escape analysis had removed reappear.
            assertThat(allocated)
                .as("bytes allocated by the event loop over %d requests", MEASURED_BATCHES * BATCH)
                .isLessThan(MEASURED_BATCHES * BATCH);
        }
        assertThat(logLines).isEmpty();
    }

    private static void runBatches(final FrameClient client, final byte[] batch, final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            client.sendRaw(batch);
            for (int j = 0; j < BATCH; j++)
            {
                assertThat(client.receive()).hasSize(100 + j);
            }
        }
    }

    /** BATCH frames of growing size in one write, so reads see several frames and split ones. */
    private static byte[] batchOfFrames()
    {
        int total = 0;
        for (int j = 0; j < BATCH; j++)
        {
            total += 4 + 100 + j;
        }
        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(total);
        for (int j = 0; j < BATCH; j++)
        {
            bytes.putInt(100 + j);
            bytes.put(new byte[100 + j]);
        }
        return bytes.array();
    }

    /** Copies each frame into a pooled response on the event loop; another thread sends it, as a shard would. */
    private final class CrossThreadEcho implements FrameHandler
    {
        private static final int CAPACITY = 1024;

        final AtomicBoolean running = new AtomicBoolean(true);
        private final ResponseFramePool pool;
        private final OneToOneConcurrentArrayQueue<ResponseFrame> responses = new OneToOneConcurrentArrayQueue<>(CAPACITY);
        private final long[] seqs = new long[CAPACITY];
        private long produced;
        private long consumed;
        private volatile Connection connection;

        CrossThreadEcho(final ResponseFramePool pool)
        {
            this.pool = pool;
        }

        @Override
        public void onFrame(
            final Connection connection, final long requestSeq, final DirectBuffer buffer, final int offset, final int length)
        {
            loopThread = Thread.currentThread();
            this.connection = connection;
            final ResponseFrame response = pool.acquire();
            response.buffer().putBytes(0, buffer, offset, length);
            response.length(length);
            seqs[(int)(produced++ & (CAPACITY - 1))] = requestSeq;
            responses.offer(response);
        }

        void answerUntilStopped()
        {
            while (running.get())
            {
                final ResponseFrame response = responses.poll();
                if (null == response)
                {
                    LockSupport.parkNanos(10_000);
                    continue;
                }
                connection.respond(seqs[(int)(consumed++ & (CAPACITY - 1))], response);
            }
        }
    }
}
