package io.sluice.client;

/**
 * A native request failed: the broker answered with an error code (Kafka's codes, see
 * {@code io.sluice.codecs.record.ErrorCodes} and the Kafka protocol guide), or the client could not complete it.
 */
public class SluiceException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Error code of a failure the broker did not report (the client's own, or a lost connection). */
    public static final short CLIENT_ERROR = -1;

    private final short errorCode;

    public SluiceException(final short errorCode, final String message)
    {
        super(message);
        this.errorCode = errorCode;
    }

    public SluiceException(final String message, final Throwable cause)
    {
        super(message, cause);
        this.errorCode = CLIENT_ERROR;
    }

    /** The broker's error code, or {@link #CLIENT_ERROR}. */
    public short errorCode()
    {
        return errorCode;
    }
}
