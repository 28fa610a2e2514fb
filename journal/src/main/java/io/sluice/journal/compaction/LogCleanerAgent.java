package io.sluice.journal.compaction;

import io.sluice.journal.CleaningTask;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * One cleaner thread's duty cycle: take a {@link CleaningTask} from the shared queue, then work through it one
 * bounded step per {@link #doWork()} ({@link CleaningRound}). Never touches a log's own objects; results go back
 * through the task.
 *
 * <p>Not thread-safe: run by one {@link org.agrona.concurrent.AgentRunner} (or invoked by one thread). Owns its
 * share of the dedupe buffer, freed on {@link #onClose()}.
 */
final class LogCleanerAgent implements Agent
{
    private final ManyToManyConcurrentArrayQueue<CleaningTask> queue;
    private final CleaningRound round;
    private final String roleName;

    LogCleanerAgent(final CleanerContext context, final ManyToManyConcurrentArrayQueue<CleaningTask> queue, final int id)
    {
        this.queue = queue;
        round = new CleaningRound(context);
        roleName = "log-cleaner-" + id;
    }

    @Override
    public int doWork()
    {
        if (round.isActive())
        {
            return round.doWork();
        }
        final CleaningTask task = queue.poll();
        if (task == null)
        {
            return 0;
        }
        if (task.start())
        {
            round.begin(task);
        }
        return 1;
    }

    @Override
    public void onClose()
    {
        round.close();
    }

    @Override
    public String roleName()
    {
        return roleName;
    }
}
