package io.sluice.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/**
 * One bound listening socket (the Kafka door, the native door) and the {@link FrameHandler} that serves its
 * connections. Made by {@link Transport#listen}, which binds at once so a taken port fails there; accepting
 * happens on the transport's first event loop, and accepted connections are spread over all of them.
 *
 * <p>Immutable once made; safe to read from any thread.
 */
public final class Listener
{
    private final String name;
    private final String host;
    private final int port;
    private final FrameHandler handler;
    private final ServerSocketChannel channel;

    Listener(final String name, final String host, final int port, final FrameHandler handler, final TransportContext ctx)
    {
        this.name = name;
        this.host = host;
        this.handler = handler;
        ServerSocketChannel serverChannel = null;
        try
        {
            serverChannel = ServerSocketChannel.open();
            serverChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (ctx.socketReceiveBufferBytes() != -1)
            {
                // Set before bind so that accepted sockets inherit it and the window scale is negotiated for it.
                serverChannel.setOption(StandardSocketOptions.SO_RCVBUF, ctx.socketReceiveBufferBytes());
            }
            serverChannel.bind(address(host, port), ctx.socketListenBacklogSize());
            serverChannel.configureBlocking(false);
            this.port = ((InetSocketAddress)serverChannel.getLocalAddress()).getPort();
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(serverChannel);
            throw new ListenerBindException(name, host, port, ex);
        }
        this.channel = serverChannel;
    }

    /** The listener's name, as in the {@code listeners} property ({@code PLAINTEXT}, {@code NATIVE}). */
    public String name()
    {
        return name;
    }

    /** The host it was asked to bind; empty or {@code 0.0.0.0} means every interface. */
    public String host()
    {
        return host;
    }

    /** The bound port: the one asked for, or the one the OS chose when asked for port 0. */
    public int port()
    {
        return port;
    }

    public FrameHandler handler()
    {
        return handler;
    }

    ServerSocketChannel channel()
    {
        return channel;
    }

    void close()
    {
        closeQuietly(channel);
    }

    @Override
    public String toString()
    {
        return name + "://" + host + ":" + port;
    }

    private static InetSocketAddress address(final String host, final int port)
    {
        if (null == host || host.isEmpty())
        {
            return new InetSocketAddress(port);
        }
        final InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved())
        {
            throw new IllegalArgumentException("host does not resolve");
        }
        return address;
    }

    private static void closeQuietly(final ServerSocketChannel channel)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // Nothing left to do for a socket we are abandoning.
            }
        }
    }
}
