package io.sluice.journal.compaction;

import io.sluice.journal.CleaningScheduler;
import io.sluice.journal.CleaningTask;
import io.sluice.journal.PartitionLog;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * The log cleaner: compacts every registered {@link PartitionLog} whose {@code cleanup.policy} includes
 * {@code compact}, on threads of its own, so that appends never wait for it.
 *
 * <p><b>How it fits together.</b> A log decides on its owner thread, from {@link PartitionLog#onTimer}, when it
 * needs cleaning, and offers a {@link CleaningTask} (a snapshot of its inactive segments) to this cleaner's
 * bounded queue. A {@link LogCleanerAgent} per thread takes tasks off the queue, reads the segments through its own
 * file channels, deduplicates keys in a bounded off-heap map and writes {@code .cleaned} files; the log, again on
 * its owner thread, finds the task done at a later {@code onTimer} and swaps the files in. The cleaner never calls
 * the log, and the log never waits for the cleaner (except {@link PartitionLog#delete()}, briefly).
 *
 * <p><b>Use:</b>
 * <pre>{@code
 * LogCleaner cleaner = new LogCleaner(new CleanerContext()).start();
 * cleaner.register(log);       // on the log's owner thread, any log: only compacted ones are cleaned
 * ...                          // log.onTimer(now) as usual drives the rest
 * cleaner.unregister(log);     // optional before log.close() / log.delete(), which abandon a cleaning themselves
 * cleaner.close();             // after the logs are closed
 * }</pre>
 *
 * <p><b>Threading:</b> {@link #register}, {@link #unregister} from the log's owner thread; {@link #offer} from any
 * thread; {@link #start}, {@link #invoke} and {@link #close} from one controlling thread.
 */
public final class LogCleaner implements CleaningScheduler, AutoCloseable
{
    private final CleanerContext context;
    private final ManyToManyConcurrentArrayQueue<CleaningTask> queue;
    private final LogCleanerAgent[] agents;
    private final AgentRunner[] runners;
    private boolean started;
    private volatile boolean closed;

    /** A cleaner with its agents built (and their dedupe buffers allocated) but no thread started. */
    public LogCleaner(final CleanerContext context)
    {
        this.context = context.conclude();
        queue = new ManyToManyConcurrentArrayQueue<>(context.queueCapacity());
        agents = new LogCleanerAgent[context.threads()];
        runners = new AgentRunner[context.threads()];
        for (int i = 0; i < agents.length; i++)
        {
            agents[i] = new LogCleanerAgent(context, queue, i);
        }
    }

    /** Start one thread per agent, each idling with a sleeping idle strategy. */
    public LogCleaner start()
    {
        if (started || closed)
        {
            throw new IllegalStateException("cleaner already started or closed");
        }
        started = true;
        for (int i = 0; i < agents.length; i++)
        {
            runners[i] = new AgentRunner(
                new SleepingMillisIdleStrategy(context.idleSleepMs()), context.errorHandler(), null, agents[i]);
            if (context.threadFactory() == null)
            {
                AgentRunner.startOnThread(runners[i]);
            }
            else
            {
                AgentRunner.startOnThread(runners[i], context.threadFactory());
            }
        }
        return this;
    }

    /**
     * Run one duty cycle of every agent on the calling thread, for a cleaner that was not {@link #start}ed (tests,
     * tools). The calling thread must not be a log's owner thread in the middle of a call into that log.
     *
     * @return work done, 0 when idle.
     */
    public int invoke()
    {
        if (started || closed)
        {
            throw new IllegalStateException("invoke() is for a cleaner that was not started");
        }
        int work = 0;
        for (final LogCleanerAgent agent : agents)
        {
            work += agent.doWork();
        }
        return work;
    }

    /** Clean {@code log} whenever its policy includes {@code compact}. Call on the log's owner thread. */
    public void register(final PartitionLog log)
    {
        log.cleaner(this);
    }

    /** Stop cleaning {@code log}, abandoning a cleaning in flight. Call on the log's owner thread. */
    public void unregister(final PartitionLog log)
    {
        log.cleaner(null);
    }

    @Override
    public boolean offer(final CleaningTask task)
    {
        return !closed && queue.offer(task);
    }

    @Override
    public long backoffMs()
    {
        return context.backoffMs();
    }

    /** Stop the threads; a cleaning in progress is abandoned (its files removed) and its log retries later. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (started)
        {
            CloseHelper.closeAll(runners);
        }
        else
        {
            for (final LogCleanerAgent agent : agents)
            {
                agent.onClose();
            }
        }
        CleaningTask task;
        while ((task = queue.poll()) != null)
        {
            if (task.start())
            {
                task.aborted();
            }
        }
    }
}
