package io.sluice.tuning.pingpong;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.agrona.BufferUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Ping-pong between two threads through shared memory, the way a network thread hands a request to a shard and
 * the shard hands the answer back: the pinger writes a sequence number, an echo {@link Agent} on its own
 * {@link AgentRunner} copies it back. Both sides wait with the idle strategy under test, so a round trip costs two
 * wake-ups. Nothing crosses the kernel; what is measured is the idle strategies and the cache-line transfer.
 *
 * <p>Not thread-safe: one run at a time.
 */
public final class HandOffPingPong
{
    private static final int REQUEST_OFFSET = 0;
    // A cache line pair apart, so the two sides never write the same line (adjacent-line prefetch included).
    private static final int RESPONSE_OFFSET = 128;

    private final PingPongSchedule schedule;

    /**
     * @param ratePerSecond pings per second.
     * @param warmupNs      unmeasured time first.
     * @param measureNs     measured time after.
     */
    public HandOffPingPong(final int ratePerSecond, final long warmupNs, final long measureNs)
    {
        schedule = new PingPongSchedule(ratePerSecond, warmupNs, measureNs);
    }

    /**
     * @param idleStrategies one strategy each for the pinger and the echo agent.
     * @param pingerThreads  makes the pinger's thread (pin it through {@code ThreadPinning}, or {@code Thread::new}).
     * @param echoThreads    makes the echo agent's thread.
     */
    public PingPongResult run(
        final Supplier<IdleStrategy> idleStrategies, final ThreadFactory pingerThreads, final ThreadFactory echoThreads)
        throws InterruptedException
    {
        final UnsafeBuffer mailbox = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 128));
        final AgentRunner echo = new AgentRunner(
            idleStrategies.get(), Throwable::printStackTrace, null, new EchoAgent(mailbox));
        AgentRunner.startOnThread(echo, echoThreads);
        final AtomicReference<Object> outcome = new AtomicReference<>();
        try
        {
            final Thread pinger = pingerThreads.newThread(() ->
            {
                try
                {
                    outcome.set(schedule.run(
                        idleStrategies.get(),
                        seq -> mailbox.putLongRelease(REQUEST_OFFSET, seq),
                        () -> mailbox.getLongVolatile(RESPONSE_OFFSET)));
                }
                catch (final Exception ex)
                {
                    outcome.set(ex);
                }
            });
            pinger.setName("pingpong-pinger");
            pinger.start();
            pinger.join();
        }
        finally
        {
            echo.close();
        }
        if (outcome.get() instanceof PingPongResult result)
        {
            return result;
        }
        throw new IllegalStateException("ping-pong failed", (Throwable)outcome.get());
    }

    private static final class EchoAgent implements Agent
    {
        private final UnsafeBuffer mailbox;
        private long echoed;

        EchoAgent(final UnsafeBuffer mailbox)
        {
            this.mailbox = mailbox;
        }

        @Override
        public int doWork()
        {
            final long request = mailbox.getLongVolatile(REQUEST_OFFSET);
            if (request == echoed)
            {
                return 0;
            }
            mailbox.putLongRelease(RESPONSE_OFFSET, request);
            echoed = request;
            return 1;
        }

        @Override
        public String roleName()
        {
            return "pingpong-echo";
        }
    }
}
