package io.sluice.client;

/** A request was not answered within its timeout; the message says which request, to where, and why if known. */
public class SluiceTimeoutException extends SluiceException
{
    private static final long serialVersionUID = 1L;

    public SluiceTimeoutException(final String message)
    {
        super(CLIENT_ERROR, message);
    }
}
