package io.sluice.transport;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threads that block when idle are woken by whoever hands them work. Every wait here is bounded by a minute, so
 * a lost wake-up shows as a test that runs into its timeout rather than as a slow pass.
 */
@Timeout(30)
class BlockingIdleStrategyTest
{
    private static final long MINUTE_NS = TimeUnit.MINUTES.toNanos(1);

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
    void shouldLoseNoWakeUpBetweenAParkingOwnerAndItsWaker() throws Exception
    {
        final int handOffs = 20_000;
        final AtomicLong published = new AtomicLong();
        final AtomicLong consumed = new AtomicLong();
        final ParkingWait wait = new ParkingWait(() -> published.get() > consumed.get());
        final BlockingIdleStrategy idle = new BlockingIdleStrategy(0, 0, MINUTE_NS, wait);
        final Thread owner = new Thread(() ->
        {
            while (consumed.get() < handOffs)
            {
                if (published.get() > consumed.get())
                {
                    consumed.incrementAndGet();
                    idle.reset();
                }
                else
                {
                    idle.idle();
                }
            }
        }, "owner");
        owner.start();
        for (int i = 1; i <= handOffs; i++)
        {
            published.set(i);
            wait.wake();
            while (i % 100 == 0 && owner.isAlive() && consumed.get() < i)
            {
                Thread.onSpinWait();
            }
        }
        owner.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(owner.isAlive()).as("owner still waiting: a wake-up was lost").isFalse();
        assertThat(consumed.get()).isEqualTo(handOffs);
    }

    @Test
    void shouldLetAStoppedOwnerCloseWithoutWaitingOutItsBlock() throws Exception
    {
        final ParkingWait wait = new ParkingWait(() -> false);
        final AgentRunner runner = new AgentRunner(
            new BlockingIdleStrategy(0, 0, MINUTE_NS, wait), Throwable::printStackTrace, null, new IdleAgent());
        AgentRunner.startOnThread(runner);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runner.thread() == null || runner.thread().getState() != Thread.State.TIMED_WAITING)
        {
            assertThat(System.nanoTime()).as("owner parked within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }

        final long start = System.nanoTime();
        wait.stop();
        runner.close();

        // Without stop() the runner waits 5 s for the parked thread before it interrupts it.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4_000);
        assertThat(runner.isClosed()).isTrue();
    }

    @Test
    void shouldWakeAnEventLoopBlockedInItsSelectorForSocketsAndForCompletionsFromOtherThreads() throws Exception
    {
        final RecordingHandler handler = new RecordingHandler();
        transport = new Transport(new TransportContext()
            .eventLoopCount(1)
            .idleStrategies(wait -> new BlockingIdleStrategy(0, 0, MINUTE_NS, wait)));
        final Listener listener = transport.listen("TEST", "127.0.0.1", 0, handler);
        transport.start();

        try (FrameClient client = new FrameClient(listener.port()))
        {
            for (int i = 0; i < 20; i++)
            {
                client.send(ByteBuffer.allocate(4).putInt(i).array());
                final RecordingHandler.Request request = awaitRequest(handler);
                // Answered from this thread, not the loop's: only a selector wake-up gets the answer written.
                RecordingHandler.respond(transport.responseFramePool(), request, request.payload());
                assertThat(ByteBuffer.wrap(client.receive()).getInt()).isEqualTo(i);
            }
        }
    }

    @Test
    void shouldRunALoopCompanionOnTheLoopThreadAndWakeTheBlockedLoopForWorkHandedToIt() throws Exception
    {
        final CountingCompanion companion = new CountingCompanion();
        transport = new Transport(new TransportContext()
            .eventLoopCount(1)
            .companions(loop -> companion)
            .idleStrategies(wait -> new BlockingIdleStrategy(0, 0, MINUTE_NS, wait)));
        transport.start();

        for (int i = 1; i <= 2_000; i++)
        {
            companion.handed.incrementAndGet();
            companion.waker.run();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (companion.done.get() < i)
            {
                assertThat(System.nanoTime()).as("hand-off %d served within 10 s", i).isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
        assertThat(companion.threads).containsExactly("companion-0");
        transport.close();
        assertThat(companion.closedOn).isEqualTo("companion-0");
    }

    /** Counts hand-offs served; other threads hand it work by incrementing {@link #handed} and waking it. */
    private static final class CountingCompanion implements LoopCompanion
    {
        final AtomicLong handed = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        volatile Runnable waker;
        volatile String closedOn;

        @Override
        public void wakeWith(final Runnable waker)
        {
            this.waker = waker;
        }

        @Override
        public boolean hasWork()
        {
            return done.get() < handed.get();
        }

        @Override
        public long blockBound(final long maxNanos)
        {
            return maxNanos;
        }

        @Override
        public int doWork()
        {
            threads.add(Thread.currentThread().getName());
            final long work = handed.get() - done.get();
            done.addAndGet(work);
            return (int)work;
        }

        @Override
        public void onClose()
        {
            closedOn = Thread.currentThread().getName();
        }

        @Override
        public String roleName()
        {
            return "companion-0";
        }
    }

    private static final class IdleAgent implements Agent
    {
        @Override
        public int doWork()
        {
            return 0;
        }

        @Override
        public String roleName()
        {
            return "idle";
        }
    }

    private static RecordingHandler.Request awaitRequest(final RecordingHandler handler)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        RecordingHandler.Request request;
        while ((request = handler.requests.poll()) == null)
        {
            assertThat(System.nanoTime()).as("request read within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
        return request;
    }
}
