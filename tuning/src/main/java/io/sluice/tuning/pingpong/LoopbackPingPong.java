package io.sluice.tuning.pingpong;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

import io.sluice.transport.Connection;
import io.sluice.transport.FrameHandler;
import io.sluice.transport.Listener;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import io.sluice.transport.Transport;
import io.sluice.transport.TransportContext;
import io.sluice.tuning.IdleStrategySpec;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.SleepingIdleStrategy;

/**
 * Ping-pong over loopback TCP through Sluice's own {@link Transport}: one event loop, running the idle strategy
 * under test, echoes each frame; the pinger is a plain blocking socket on the calling thread, so the kernel wakes it
 * and only the broker side's idle strategy differs between runs. This is the network-thread half of a request's
 * path, kernel and syscalls included.
 *
 * <p>Not thread-safe: one run at a time.
 */
public final class LoopbackPingPong
{
    private static final long CLIENT_PARK_NS = 10_000;

    private final PingPongSchedule schedule;
    private final int payloadBytes;

    /**
     * @param ratePerSecond pings per second.
     * @param warmupNs      unmeasured time first.
     * @param measureNs     measured time after.
     * @param payloadBytes  bytes after the 4-byte size prefix, at least 8 (the sequence number).
     */
    public LoopbackPingPong(final int ratePerSecond, final long warmupNs, final long measureNs, final int payloadBytes)
    {
        if (payloadBytes < 8)
        {
            throw new IllegalArgumentException("payload must be at least 8 bytes: " + payloadBytes);
        }
        this.schedule = new PingPongSchedule(ratePerSecond, warmupNs, measureNs);
        this.payloadBytes = payloadBytes;
    }

    /** @param idleStrategies the event loop's idle strategy. */
    public PingPongResult run(final IdleStrategySpec idleStrategies) throws Exception
    {
        try (Transport transport = new Transport(new TransportContext()
            .eventLoopCount(1)
            .idleStrategies(idleStrategies::newIdleStrategy)
            .log(line -> System.err.println("pingpong transport: " + line))))
        {
            final Listener listener =
                transport.listen("PINGPONG", "127.0.0.1", 0, new EchoHandler(transport.responseFramePool()));
            transport.start();
            try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", listener.port())))
            {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final ByteBuffer out = ByteBuffer.allocateDirect(4 + payloadBytes).order(ByteOrder.BIG_ENDIAN);
                final ByteBuffer in = ByteBuffer.allocateDirect(4 + payloadBytes).order(ByteOrder.BIG_ENDIAN);
                // The client blocks in read(), so the kernel wakes it for the echo; until the next send time it
                // parks, leaving the CPUs to the event loop under test.
                return schedule.run(
                    new SleepingIdleStrategy(CLIENT_PARK_NS),
                    seq ->
                    {
                        out.clear();
                        out.putInt(payloadBytes).putLong(seq);
                        out.position(4 + payloadBytes).flip();
                        while (out.hasRemaining())
                        {
                            channel.write(out);
                        }
                    },
                    () -> readEcho(channel, in));
            }
        }
    }

    private long readEcho(final SocketChannel channel, final ByteBuffer in) throws IOException
    {
        in.clear();
        while (in.hasRemaining())
        {
            if (channel.read(in) < 0)
            {
                throw new UncheckedIOException(new IOException("the echo server closed the connection"));
            }
        }
        return in.getLong(4);
    }

    private static final class EchoHandler implements FrameHandler
    {
        private final ResponseFramePool pool;

        EchoHandler(final ResponseFramePool pool)
        {
            this.pool = pool;
        }

        @Override
        public void onFrame(
            final Connection connection,
            final long requestSeq,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            final ResponseFrame frame = pool.acquire();
            frame.buffer().putBytes(0, buffer, offset, length);
            connection.respond(requestSeq, frame.length(length));
        }
    }
}
