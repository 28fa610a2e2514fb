package io.sluice.broker.control;

import io.sluice.broker.BrokerLog;
import io.sluice.transport.BlockingWait;
import io.sluice.transport.ParkingWait;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.ArrayDeque;

/**
 * The control-plane thread: metadata, topic changes, producer id allocation. Work arrives as tasks on a
 * bounded queue, drained with a limit per duty cycle, so bursts of control requests never touch the shards'
 * threads and the shards never wait for it. The topic registry and the producer id allocator are only
 * changed here, so they need no locks.
 *
 * <p>{@link #submit} is thread-safe; everything else runs on the conductor's agent thread.
 */
public final class BrokerConductor implements Agent
{
    private static final int QUEUE_CAPACITY = 4096;
    private static final int TASK_LIMIT = 32;

    private final ManyToOneConcurrentArrayQueue<Runnable> tasks = new ManyToOneConcurrentArrayQueue<>(QUEUE_CAPACITY);
    private final ArrayDeque<Runnable> ownTasks = new ArrayDeque<>();
    private final ParkingWait wait = new ParkingWait(() -> !tasks.isEmpty());
    private volatile Thread thread;

    @Override
    public String roleName()
    {
        return "sluice-conductor";
    }

    @Override
    public void onStart()
    {
        thread = Thread.currentThread();
    }

    /**
     * Run {@code task} on the conductor thread, after the tasks submitted before it. Spins while the queue is
     * full (a flood of control requests slows the event loop that sends them, nothing else). A task the
     * conductor submits to itself goes on a private queue, so it can never wait for itself.
     */
    public void submit(final Runnable task)
    {
        if (Thread.currentThread() == thread)
        {
            ownTasks.add(task);
            return;
        }
        while (!tasks.offer(task))
        {
            Thread.onSpinWait();
        }
        wait.wake();
    }

    /** Any thread, before stopping the conductor's agent: it never blocks again and is woken if blocked. */
    public void stopBlocking()
    {
        wait.stop();
    }

    /** How the idle conductor blocks until a submitted task wakes it. */
    public BlockingWait blockingWait()
    {
        return wait;
    }

    /** Whether the caller is the conductor thread (for assertions in code that must run there). */
    public boolean isConductorThread()
    {
        return Thread.currentThread() == thread;
    }

    @Override
    public int doWork()
    {
        int work = 0;
        Runnable task;
        while (work < TASK_LIMIT && ((task = ownTasks.poll()) != null || (task = tasks.poll()) != null))
        {
            work++;
            try
            {
                task.run();
            }
            catch (final RuntimeException ex)
            {
                BrokerLog.error("conductor task failed", ex);
            }
        }
        return work;
    }
}
