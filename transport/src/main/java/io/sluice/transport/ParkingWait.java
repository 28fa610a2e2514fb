package io.sluice.transport;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A {@link BlockingWait} that parks its owner thread; a thread that has just made work visible to the owner calls
 * {@link #wake()}, which unparks it only if it is parked or about to park, so a busy owner costs the waker one
 * fence and one read.
 *
 * <p>No wake-up is lost: the owner announces itself, then looks for work, then parks; a waker publishes work,
 * then looks for the announcement. With a full fence between each pair of steps, either the owner sees the work
 * and does not park, or the waker sees the owner and unparks it (an unpark before the park makes the park
 * return at once).
 *
 * <p>{@link #await} on the owner thread only; {@link #wake()} from any thread.
 */
public final class ParkingWait implements BlockingWait
{
    private final BooleanSupplier hasWork;
    private volatile Thread parked;
    private volatile boolean stopped;

    /** @param hasWork true when the owner has work waiting; read by the owner just before it parks. */
    public ParkingWait(final BooleanSupplier hasWork)
    {
        this.hasWork = hasWork;
    }

    @Override
    public void await(final long maxNanos)
    {
        parked = Thread.currentThread();
        VarHandle.fullFence();
        if (!stopped && !hasWork.getAsBoolean())
        {
            LockSupport.parkNanos(this, maxNanos);
        }
        parked = null;
    }

    /**
     * Any thread, before stopping the owner's agent: from now on the owner never parks, and it is woken if it is
     * parked, so it sees that its runner is closing at once rather than after its block bound.
     */
    public void stop()
    {
        stopped = true;
        wake();
    }

    /** Any thread, after publishing work for the owner: unpark the owner if it is parked or about to park. */
    public void wake()
    {
        VarHandle.fullFence();
        final Thread owner = parked;
        if (owner != null)
        {
            LockSupport.unpark(owner);
        }
    }
}
