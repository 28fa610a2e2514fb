package io.sluice.transport;

/**
 * A listener could not bind its address: the port is in use, the host does not resolve to a local address,
 * or the process may not bind it. The message is one line naming the listener and {@code host:port}, fit to
 * print as the reason the broker stops.
 */
public final class ListenerBindException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;

    public ListenerBindException(final String listenerName, final String host, final int port, final Throwable cause)
    {
        super("cannot bind listener " + listenerName + " to " + host + ":" + port + ": " + describe(cause), cause);
        this.host = host;
        this.port = port;
    }

    public String host()
    {
        return host;
    }

    public int port()
    {
        return port;
    }

    private static String describe(final Throwable cause)
    {
        final String message = cause.getMessage();
        return null == message ? cause.getClass().getSimpleName() : message;
    }
}
