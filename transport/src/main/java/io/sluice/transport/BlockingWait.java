package io.sluice.transport;

/**
 * How an idle thread blocks until another thread hands it work: the last phase of a
 * {@link BlockingIdleStrategy}. A thread that blocks here costs no CPU while idle, and the thread that gives it
 * work wakes it at once, rather than the sleeper finding the work at its next timed poll.
 *
 * <p>Implementations are called by their owner thread only; each has its own way for other threads to wake it.
 */
@FunctionalInterface
public interface BlockingWait
{
    /**
     * Block until woken, until work is visible, or until {@code maxNanos} have passed, whichever comes first.
     * May return early. Called by the owner thread only.
     */
    void await(long maxNanos);
}
