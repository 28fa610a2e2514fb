package io.sluice.broker.group;

/**
 * One reusable timer of a {@link DeadlineQueue}: a member's session expiry, a group's join or sync timeout.
 * Owned by what it times; rescheduling moves it rather than creating another, so a heartbeat allocates nothing.
 *
 * <p>Single-threaded: used only on the coordinator thread.
 */
final class Deadline
{
    static final long NONE = Long.MAX_VALUE;

    final Runnable action;
    /** When the action is due, or {@link #NONE} when cancelled or fired. */
    long dueMs = NONE;
    /** The key this deadline is queued under, or {@link #NONE} when not queued; never later than {@link #dueMs}. */
    long queuedMs = NONE;

    Deadline(final Runnable action)
    {
        this.action = action;
    }

    boolean isScheduled()
    {
        return dueMs != NONE;
    }
}
