package io.sluice.broker;

import io.sluice.transport.Connection;
import io.sluice.transport.FrameHandler;
import org.agrona.DirectBuffer;

/**
 * The NATIVE listener until Sluice's own protocol exists: the port is bound (so the documented default
 * listeners are what a user sees), and each connection is closed at its first frame with one log line
 * saying why. Stateless and thread-safe.
 */
final class NativeDoor implements FrameHandler
{
    @Override
    public void onFrame(
        final Connection connection, final long requestSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        connection.close("native protocol not implemented yet; use the PLAINTEXT (Kafka) listener");
    }
}
