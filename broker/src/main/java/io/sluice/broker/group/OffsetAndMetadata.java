package io.sluice.broker.group;

/**
 * A committed offset as the coordinator keeps it.
 *
 * @param offset            the next offset the group will read.
 * @param leaderEpoch       the leader epoch of the last record read, or -1.
 * @param metadata          the client's free-form string (never null: Kafka answers "" for none).
 * @param commitTimestampMs when it was committed.
 * @param expireTimestampMs when an old client asked it to expire (OffsetCommit v2-4 retention), or -1.
 */
record OffsetAndMetadata(long offset, int leaderEpoch, String metadata, long commitTimestampMs, long expireTimestampMs)
{
}
