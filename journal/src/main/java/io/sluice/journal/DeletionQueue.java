package io.sluice.journal;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Segments taken out of a log but not yet removed from disk. A segment's files are renamed with the
 * {@code .deleted} suffix at once, so a crash cannot bring it back, while its log channel stays open until
 * {@code file.delete.delay.ms} has passed: a network thread still transferring a region of it must not meet a
 * closed channel. Not thread-safe; allocates per deletion, which is rare.
 */
final class DeletionQueue
{
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    /** Rename the segment's files now; close and remove them at {@code dueMs}. */
    void add(final LogSegment segment, final long dueMs) throws IOException
    {
        segment.markDeleted();
        pending.addLast(new Pending(segment, dueMs));
    }

    /** @return how many segments were removed because they were due at {@code nowMs}. */
    int removeDue(final long nowMs) throws IOException
    {
        int removed = 0;
        while (!pending.isEmpty() && pending.peekFirst().dueMs <= nowMs)
        {
            pending.pollFirst().segment.closeDeleted();
            removed++;
        }
        return removed;
    }

    /** Remove every pending segment now (close or delete of the log). */
    void removeAll() throws IOException
    {
        removeDue(Long.MAX_VALUE);
    }

    private static final class Pending
    {
        final LogSegment segment;
        final long dueMs;

        Pending(final LogSegment segment, final long dueMs)
        {
            this.segment = segment;
            this.dueMs = dueMs;
        }
    }
}
