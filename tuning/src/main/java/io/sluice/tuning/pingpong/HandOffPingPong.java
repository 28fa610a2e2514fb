package io.sluice.tuning.pingpong;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

import io.sluice.transport.ParkingWait;
import io.sluice.tuning.IdleStrategySpec;
import org.agrona.BufferUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
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
    static final long PINGER_MAX_BLOCK_NS = 100_000;

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
     * @param idleStrategies the pinger's and the echo agent's idle strategy; each wakes the other after writing
     *                       the mailbox, as the broker's threads do, so that a blocking strategy is measured fairly.
     *                       A blocking pinger blocks at most {@value #PINGER_MAX_BLOCK_NS} ns at a time: it stands
     *                       in for a network thread that a client's request wakes, and must keep its send times.
     * @param pingerThreads  makes the pinger's thread (pin it through {@code ThreadPinning}, or {@code Thread::new}).
     * @param echoThreads    makes the echo agent's thread.
     */
    public PingPongResult run(
        final IdleStrategySpec idleStrategies, final ThreadFactory pingerThreads, final ThreadFactory echoThreads)
        throws InterruptedException
    {
        final UnsafeBuffer mailbox = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 128));
        final ParkingWait pingerWait = new ParkingWait(() -> false);
        final EchoAgent echoAgent = new EchoAgent(mailbox, pingerWait);
        final ParkingWait echoWait = new ParkingWait(echoAgent::hasRequest);
        final AgentRunner echo = new AgentRunner(
            idleStrategies.newIdleStrategy(echoWait), Throwable::printStackTrace, null, echoAgent);
        AgentRunner.startOnThread(echo, echoThreads);
        final AtomicReference<Object> outcome = new AtomicReference<>();
        try
        {
            final Thread pinger = pingerThreads.newThread(() ->
            {
                try
                {
                    outcome.set(schedule.run(
                        idleStrategies.newIdleStrategy(
                            maxNanos -> pingerWait.await(Math.min(maxNanos, PINGER_MAX_BLOCK_NS))),
                        seq ->
                        {
                            mailbox.putLongRelease(REQUEST_OFFSET, seq);
                            echoWait.wake();
                        },
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
        private final ParkingWait pingerWait;
        private long echoed;

        EchoAgent(final UnsafeBuffer mailbox, final ParkingWait pingerWait)
        {
            this.mailbox = mailbox;
            this.pingerWait = pingerWait;
        }

        boolean hasRequest()
        {
            return mailbox.getLongVolatile(REQUEST_OFFSET) != echoed;
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
            pingerWait.wake();
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
