package io.sluice.broker.kafka;

import io.sluice.codecs.kafka.RequestHeaderDecoder;
import io.sluice.transport.Connection;
import org.agrona.DirectBuffer;

/**
 * A Kafka API served straight from the request frame, on the event-loop thread: the data plane (Produce,
 * Fetch) and anything cheap enough to answer in place (ApiVersions). Must not block; the frame is valid only
 * during the call, so what is needed later is copied out.
 */
@FunctionalInterface
public interface KafkaFrameApi
{
    /**
     * @param connection the request came on.
     * @param requestSeq to answer with ({@link Connection#respond}) or skip.
     * @param header     decoded request header, wrapping the frame.
     * @param buffer     holding the frame.
     * @param bodyOffset index of the request body in {@code buffer}.
     * @param bodyLength bytes of the request body.
     */
    void onRequest(
        Connection connection, long requestSeq, RequestHeaderDecoder header, DirectBuffer buffer, int bodyOffset, int bodyLength);
}
