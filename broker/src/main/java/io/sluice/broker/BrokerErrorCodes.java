package io.sluice.broker;

/**
 * Kafka error codes the broker core answers with, beyond the storage ones in
 * {@link io.sluice.codecs.record.ErrorCodes}. Values are Kafka's (see the protocol guide), so a result travels
 * to a Kafka response unchanged.
 */
public final class BrokerErrorCodes
{
    public static final short UNKNOWN_SERVER_ERROR = -1;
    public static final short UNKNOWN_TOPIC_OR_PARTITION = 3;
    public static final short LEADER_NOT_AVAILABLE = 5;
    public static final short OFFSET_METADATA_TOO_LARGE = 12;
    public static final short INVALID_TOPIC_EXCEPTION = 17;
    public static final short NOT_ENOUGH_REPLICAS = 19;
    public static final short INVALID_REQUIRED_ACKS = 21;
    public static final short UNSUPPORTED_VERSION = 35;
    public static final short TOPIC_ALREADY_EXISTS = 36;
    public static final short INVALID_PARTITIONS = 37;
    public static final short INVALID_REPLICATION_FACTOR = 38;
    public static final short INVALID_CONFIG = 40;
    public static final short INVALID_REQUEST = 42;
    public static final short POLICY_VIOLATION = 44;
    public static final short TOPIC_DELETION_DISABLED = 73;
    public static final short UNKNOWN_TOPIC_ID = 100;

    private BrokerErrorCodes()
    {
    }
}
