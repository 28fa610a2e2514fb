package io.sluice.client;

/**
 * The Kafka error codes the client acts on, beyond the storage ones in {@link io.sluice.codecs.record.ErrorCodes}.
 * Values are Kafka's (see the protocol guide): the native door answers with Kafka's codes.
 */
final class ClientErrorCodes
{
    static final short UNKNOWN_TOPIC_OR_PARTITION = 3;
    static final short OFFSET_METADATA_TOO_LARGE = 12;
    static final short COORDINATOR_LOAD_IN_PROGRESS = 14;
    static final short COORDINATOR_NOT_AVAILABLE = 15;
    static final short NOT_COORDINATOR = 16;
    static final short INVALID_GROUP_ID = 24;
    static final short UNKNOWN_MEMBER_ID = 25;
    static final short UNKNOWN_TOPIC_ID = 100;

    private ClientErrorCodes()
    {
    }
}
