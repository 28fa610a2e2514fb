package io.sluice.codecs.kafka;

/**
 * The Kafka error codes a request decoder can return: the request is fine, names a version Sluice does not
 * decode, or does not follow its schema. Values are Kafka's (see the protocol guide); storage-level codes
 * live in {@link io.sluice.codecs.record.ErrorCodes}. Constants only; safe from any thread.
 */
public final class ProtocolErrorCodes
{
    public static final short NONE = 0;
    public static final short UNSUPPORTED_VERSION = 35;
    public static final short INVALID_REQUEST = 42;

    private ProtocolErrorCodes()
    {
    }
}
