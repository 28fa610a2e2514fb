package io.sluice.transport;

import org.agrona.concurrent.Agent;

/**
 * Work that shares an event loop's thread: the loop runs it after its own in every duty cycle, starts and closes it
 * with itself, and blocks in its selector only when the companion has nothing to do either. A broker colocates a
 * shard with each loop this way, so a request read on a shard's own thread is appended and answered without
 * handing it to another thread and waking that thread.
 *
 * <p>Other threads that hand the companion work must wake the shared thread with the waker given to
 * {@link #wakeWith}: it may be blocked in the selector.
 */
public interface LoopCompanion extends Agent
{
    /**
     * Called once, before the loop's thread starts, with what wakes the shared thread if it is blocked; from then
     * on the companion wakes its thread with it instead of its own means.
     */
    void wakeWith(Runnable waker);

    /** Read on the shared thread just before it blocks: true when work is waiting, so it must not block. */
    boolean hasWork();

    /** The longest the shared thread may block, given the idle strategy's bound: less while timers are due. */
    long blockBound(long maxNanos);
}
