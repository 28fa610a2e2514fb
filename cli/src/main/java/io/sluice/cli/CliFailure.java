package io.sluice.cli;

/**
 * A command cannot do what it was asked; the message is the one line shown on standard error (exit status 1).
 */
public final class CliFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public CliFailure(final String message)
    {
        super(message, null, false, false);
    }
}
