package io.sluice.broker.group;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a classic group, under the names Kafka reports in DescribeGroups and ListGroups, and the
 * transitions Kafka allows between them.
 */
enum GroupState
{
    /** No members; offsets may still be committed (by standalone consumers or admin tools). */
    EMPTY("Empty"),
    /** A rebalance has begun: members must rejoin before the rebalance timeout. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** Every member has rejoined; waiting for the leader's assignment in SyncGroup. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** The assignment is stored and handed out; members heartbeat. */
    STABLE("Stable"),
    /** Deleted, or being deleted: the group answers as if it did not exist. */
    DEAD("Dead");

    private final String text;
    private Set<GroupState> validPrevious;

    static
    {
        EMPTY.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        PREPARING_REBALANCE.validPrevious = EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
        COMPLETING_REBALANCE.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        STABLE.validPrevious = EnumSet.of(COMPLETING_REBALANCE);
        DEAD.validPrevious = EnumSet.of(STABLE, PREPARING_REBALANCE, COMPLETING_REBALANCE, EMPTY, DEAD);
    }

    GroupState(final String text)
    {
        this.text = text;
    }

    /** Whether a group in {@code previous} may move to this state. */
    boolean canFollow(final GroupState previous)
    {
        return validPrevious.contains(previous);
    }

    /** Kafka's name, e.g. "PreparingRebalance". */
    @Override
    public String toString()
    {
        return text;
    }
}
