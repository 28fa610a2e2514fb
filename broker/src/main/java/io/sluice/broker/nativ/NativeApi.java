package io.sluice.broker.nativ;

import io.sluice.transport.Connection;
import org.agrona.DirectBuffer;

/**
 * One native request type, served on the event loop that read it (and handed on from there to shards or the
 * conductor as the request needs).
 */
@FunctionalInterface
interface NativeApi
{
    /**
     * A request of this API's template arrived. The body starts after the message header
     * ({@code MessageHeaderDecoder.ENCODED_LENGTH}); reads past the end of the frame throw
     * {@link IndexOutOfBoundsException}, which the adapter answers as a malformed request, so an implementation
     * must read everything it needs before it changes any state.
     *
     * @param frame       exactly the frame's bytes (bounds-checked), valid only during this call.
     * @param blockLength the body's root block length from the message header.
     * @param version     the schema version the client encoded with, at most the broker's.
     */
    void onRequest(Connection connection, long requestSeq, DirectBuffer frame, int blockLength, int version);
}
