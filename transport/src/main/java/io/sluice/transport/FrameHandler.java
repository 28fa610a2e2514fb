package io.sluice.transport;

import org.agrona.DirectBuffer;

/**
 * What a listener does with the frames it reads. One handler per listener (the Kafka door, the native door).
 *
 * <p>Called on the event-loop thread that owns the connection; must not block. The frame bytes are valid
 * only for the duration of the call: a handler that needs them later copies them (into a pre-allocated ring
 * event, say).
 */
public interface FrameHandler
{
    /**
     * A complete request frame arrived.
     *
     * @param connection it came from.
     * @param requestSeq its position in the connection's request order, starting at 0; the response (or
     *                   {@link Connection#skip}) must name it so responses leave in request order.
     * @param buffer     holding the frame, without its 4-byte length prefix.
     * @param offset     of the first byte after the prefix.
     * @param length     of the frame after the prefix.
     */
    void onFrame(Connection connection, long requestSeq, DirectBuffer buffer, int offset, int length);

    /** The connection closed (by the peer, an error, or {@link Connection#close}). Pending responses are dropped. */
    default void onClose(final Connection connection)
    {
    }
}
