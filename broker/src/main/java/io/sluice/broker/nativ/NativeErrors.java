package io.sluice.broker.nativ;

import io.sluice.codecs.sbe.ErrorResponseEncoder;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;

/**
 * Answers a native request that cannot be served at all (an unknown template, a newer schema version, a body
 * that does not decode) with an {@code ErrorResponse}: the connection stays open, because the length prefix
 * keeps the stream in step whatever the body held. Thread-safe.
 */
final class NativeErrors
{
    /** A message is one line; this keeps a hostile name quoted in it from outgrowing the field. */
    private static final int MAX_MESSAGE_LENGTH = 1024;

    private final ResponseFramePool frames;

    NativeErrors(final ResponseFramePool frames)
    {
        this.frames = frames;
    }

    /**
     * @param correlationId     of the request, -1 when it could not be read.
     * @param requestTemplateId of the request, 0 when it could not be read.
     * @param errorCode         a Kafka error code.
     * @param message           one line saying what was wrong.
     */
    void respond(
        final Connection connection,
        final long requestSeq,
        final int correlationId,
        final int requestTemplateId,
        final short errorCode,
        final String message)
    {
        final NativeCodecs codecs = NativeCodecs.get();
        final ResponseFrame frame = frames.acquire();
        final ErrorResponseEncoder encoder = codecs.errorResponse
            .wrapAndApplyHeader(frame.buffer(), 0, codecs.headerEncoder)
            .correlationId(correlationId)
            .errorCode(errorCode)
            .requestTemplateId(requestTemplateId)
            .message(message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) : message);
        connection.respond(requestSeq, NativeCodecs.finish(frame, encoder.encodedLength()));
    }
}
