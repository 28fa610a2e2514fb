package io.sluice.broker.group;

import java.util.PriorityQueue;

/**
 * The coordinator's delayed operations (session expiry, rebalance and sync timeouts, the initial rebalance
 * delay) as a queue ordered by deadline, polled by the coordinator's duty cycle: no thread and no sleep per group.
 *
 * <p>Moving a deadline later (every heartbeat does) only updates the {@link Deadline}; the queue notices when
 * the old key comes due and re-queues it at its new time. Moving it earlier re-queues it at once. A cancelled
 * deadline stays queued until its old key comes due and is then dropped, so the queue holds at most one entry per
 * {@code Deadline}.
 *
 * <p>Single-threaded: used only on the coordinator thread.
 */
final class DeadlineQueue
{
    private final PriorityQueue<Deadline> queue = new PriorityQueue<>((a, b) -> Long.compare(a.queuedMs, b.queuedMs));

    /** Make {@code deadline} due at {@code dueMs}, replacing any earlier schedule. */
    void schedule(final Deadline deadline, final long dueMs)
    {
        deadline.dueMs = dueMs;
        if (deadline.queuedMs == Deadline.NONE)
        {
            deadline.queuedMs = dueMs;
            queue.add(deadline);
        }
        else if (dueMs < deadline.queuedMs)
        {
            queue.remove(deadline);
            deadline.queuedMs = dueMs;
            queue.add(deadline);
        }
    }

    /** The deadline will not fire (until scheduled again). */
    void cancel(final Deadline deadline)
    {
        deadline.dueMs = Deadline.NONE;
    }

    /**
     * Run the actions of at most {@code limit} deadlines due at {@code nowMs}, in deadline order.
     *
     * @return how many actions ran.
     */
    int poll(final long nowMs, final int limit)
    {
        int fired = 0;
        Deadline head;
        while (fired < limit && (head = queue.peek()) != null && head.queuedMs <= nowMs)
        {
            queue.poll();
            head.queuedMs = Deadline.NONE;
            if (head.dueMs == Deadline.NONE)
            {
                continue;
            }
            if (head.dueMs > nowMs)
            {
                head.queuedMs = head.dueMs;
                queue.add(head);
                continue;
            }
            head.dueMs = Deadline.NONE;
            fired++;
            head.action.run();
        }
        return fired;
    }

    /** Entries queued, cancelled ones included (for tests). */
    int size()
    {
        return queue.size();
    }
}
