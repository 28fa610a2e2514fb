package io.sluice.broker.admin;

import java.util.List;

/**
 * Kafka's checks of a manual replica assignment, on a cluster of one node: a partition's replica list is valid
 * only when it is exactly this node. Messages are Kafka's, so tools show what they would against Kafka.
 * Stateless.
 */
final class ReplicaAssignments
{
    private ReplicaAssignments()
    {
    }

    /** Why {@code brokerIds} is not a valid replica list on node {@code nodeId}, or null when it is. */
    static String invalidReason(final List<Integer> brokerIds, final int nodeId)
    {
        if (brokerIds.isEmpty())
        {
            return "The manual partition assignment includes an empty replica list.";
        }
        boolean seen = false;
        for (final int brokerId : brokerIds.stream().sorted().toList())
        {
            if (brokerId != nodeId)
            {
                return "The manual partition assignment includes broker " + brokerId +
                    ", but no such broker is registered.";
            }
            if (seen)
            {
                return "The manual partition assignment includes the broker " + brokerId + " more than once.";
            }
            seen = true;
        }
        return null;
    }
}
