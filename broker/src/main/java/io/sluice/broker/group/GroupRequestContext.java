package io.sluice.broker.group;

/**
 * Who sent a group request and at which version: what the coordinator records about a member and what changes
 * with the version (MEMBER_ID_REQUIRED from JoinGroup v4, skipping the assignment from v9, error codes).
 *
 * @param clientHost the client's address as Kafka shows it ("/127.0.0.1").
 */
record GroupRequestContext(short apiVersion, String clientId, String clientHost)
{
}
