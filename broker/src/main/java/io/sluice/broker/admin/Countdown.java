package io.sluice.broker.admin;

/**
 * Runs an action once a known number of asynchronous parts have finished: how a handler that starts several
 * registry changes answers once, after the last. One extra count is held by the handler itself until it has
 * started every part, so parts that finish at once cannot answer early.
 *
 * <p>Not thread-safe: every {@link #countDown()} must come from one thread (the conductor).
 */
final class Countdown
{
    private final Runnable onZero;
    private int remaining = 1;

    Countdown(final Runnable onZero)
    {
        this.onZero = onZero;
    }

    /** One more part to wait for. */
    void add()
    {
        remaining++;
    }

    /** One part (or, the last time, the handler's own count) is done. */
    void countDown()
    {
        if (--remaining == 0)
        {
            onZero.run();
        }
    }
}
