package io.sluice.journal;

/**
 * Where a compacted {@link PartitionLog} sends its cleaning work: implemented by the log cleaner, given to a log
 * with {@link PartitionLog#cleaner(CleaningScheduler)}. A log offers at most one {@link CleaningTask} at a time and
 * polls for its outcome from {@link PartitionLog#onTimer}; nothing flows the other way.
 */
public interface CleaningScheduler
{
    /**
     * Queue a task for a cleaner thread. Called from the log's owner thread; must not block.
     *
     * @return false when the queue is full; the log tries again after {@link #backoffMs()}.
     */
    boolean offer(CleaningTask task);

    /** How long a log waits between looks at whether it needs cleaning ({@code log.cleaner.backoff.ms}). */
    long backoffMs();
}
