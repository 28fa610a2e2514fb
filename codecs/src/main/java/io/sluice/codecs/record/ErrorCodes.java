package io.sluice.codecs.record;

/**
 * The Kafka protocol error codes that storage-level checks can produce, so that a result travels from the
 * journal to a Kafka or native response without translation. Values are Kafka's (see the protocol guide).
 */
public final class ErrorCodes
{
    public static final short NONE = 0;
    public static final short OFFSET_OUT_OF_RANGE = 1;
    public static final short CORRUPT_MESSAGE = 2;
    public static final short MESSAGE_TOO_LARGE = 10;
    public static final short KAFKA_STORAGE_ERROR = 56;
    public static final short OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
    public static final short DUPLICATE_SEQUENCE_NUMBER = 46;
    public static final short INVALID_PRODUCER_EPOCH = 47;
    public static final short UNKNOWN_PRODUCER_ID = 59;
    public static final short INVALID_TIMESTAMP = 32;
    public static final short RECORD_LIST_TOO_LARGE = 18;
    public static final short UNSUPPORTED_FOR_MESSAGE_FORMAT = 43;
    public static final short INVALID_RECORD = 87;
    public static final short POLICY_VIOLATION = 44;

    private ErrorCodes()
    {
    }
}
