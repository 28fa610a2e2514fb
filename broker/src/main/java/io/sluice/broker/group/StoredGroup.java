package io.sluice.broker.group;

import java.util.List;

/**
 * A classic group as written to {@code __consumer_offsets}: enough to resume a stable group after a restart
 * without a rebalance (members keep their ids and assignments and must heartbeat within their session).
 *
 * @param protocolType      null for a group that only has committed offsets.
 * @param protocolName      the selected protocol, or null when the group is empty.
 * @param leaderId          null when the group is empty.
 * @param stateTimestampMs  when the group last changed state.
 */
record StoredGroup(
    String protocolType,
    int generationId,
    String protocolName,
    String leaderId,
    long stateTimestampMs,
    List<Member> members)
{
    /** One member; {@code subscription} is its metadata for the selected protocol. */
    record Member(
        String memberId,
        String groupInstanceId,
        String clientId,
        String clientHost,
        int rebalanceTimeoutMs,
        int sessionTimeoutMs,
        byte[] subscription,
        byte[] assignment)
    {
    }
}
