package io.sluice.broker.nativ;

/**
 * A native request whose bytes are inside its frame but make no sense (a group entry shorter than its fields,
 * a negative length). Thrown while a request is read, before anything changes; answered with an
 * {@code ErrorResponse}. Carries no stack trace: it reports the peer's mistake, not the broker's.
 */
final class MalformedRequestException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    MalformedRequestException(final String reason)
    {
        super(reason, null, false, false);
    }
}
