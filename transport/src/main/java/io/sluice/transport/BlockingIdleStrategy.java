package io.sluice.transport;

import org.agrona.concurrent.IdleStrategy;

/**
 * Spin, then yield, then block in a {@link BlockingWait} until another thread hands over work (or a bound passes,
 * so timers still fire). Under load a thread never reaches the blocking phase, so it costs what a backoff strategy
 * does; when idle it costs nothing, where a backoff strategy wakes every park period to poll. The price is the
 * waker's: a thread handing work to a blocked thread makes one system call (an unpark or a selector wake-up).
 *
 * <p>One per thread: it keeps the thread's spin and yield counts. Not thread-safe.
 */
public final class BlockingIdleStrategy implements IdleStrategy
{
    /** The name in {@code sluice.idle.strategy.*} property values. */
    public static final String ALIAS = "blocking";

    private final long maxSpins;
    private final long maxYields;
    private final long maxBlockNs;
    private final BlockingWait wait;
    private long spins;
    private long yields;

    /**
     * @param maxSpins   busy spins before yielding.
     * @param maxYields  yields before blocking.
     * @param maxBlockNs longest single block: the owner's timers are late by at most this.
     * @param wait       how the owner blocks and is woken.
     */
    public BlockingIdleStrategy(final long maxSpins, final long maxYields, final long maxBlockNs, final BlockingWait wait)
    {
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxBlockNs = maxBlockNs;
        this.wait = wait;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (spins < maxSpins)
        {
            spins++;
            Thread.onSpinWait();
        }
        else if (yields < maxYields)
        {
            yields++;
            Thread.yield();
        }
        else
        {
            wait.await(maxBlockNs);
        }
    }

    @Override
    public void reset()
    {
        spins = 0;
        yields = 0;
    }

    @Override
    public String alias()
    {
        return ALIAS;
    }

    @Override
    public String toString()
    {
        return "BlockingIdleStrategy{maxSpins=" + maxSpins + ", maxYields=" + maxYields + ", maxBlockNs=" + maxBlockNs + "}";
    }
}
