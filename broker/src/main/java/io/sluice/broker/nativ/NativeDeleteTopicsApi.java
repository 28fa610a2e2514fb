package io.sluice.broker.nativ;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.control.BrokerConductor;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.codecs.sbe.DeleteTopicsRequestDecoder;
import io.sluice.codecs.sbe.DeleteTopicsResponseEncoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Native topic deletion by name, on the conductor thread through the {@link TopicRegistry}: a topic leaves
 * metadata at once and is answered once its logs are deleted. Unknown names get UNKNOWN_TOPIC_OR_PARTITION,
 * {@code __consumer_offsets} INVALID_REQUEST, and {@code delete.topic.enable=false} TOPIC_DELETION_DISABLED.
 *
 * <p>Thread-safe: the request is read on the event loop, served on the conductor.
 */
final class NativeDeleteTopicsApi implements NativeApi
{
    private final TopicRegistry topics;
    private final BrokerConductor conductor;
    private final ResponseFramePool frames;

    NativeDeleteTopicsApi(final TopicRegistry topics, final BrokerConductor conductor, final ResponseFramePool frames)
    {
        this.topics = topics;
        this.conductor = conductor;
        this.frames = frames;
    }

    @Override
    public void onRequest(
        final Connection connection, final long requestSeq, final DirectBuffer frame, final int blockLength, final int version)
    {
        final DeleteTopicsRequestDecoder request = NativeCodecs.get().deleteTopicsRequest
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final int correlationId = request.correlationId();
        NativeFrames.checkGroup(frame, request.limit(), 0, "DeleteTopicsRequest.topics");
        final List<String> names = new ArrayList<>();
        for (final DeleteTopicsRequestDecoder.TopicsDecoder entry : request.topics())
        {
            names.add(entry.name());
        }
        conductor.submit(() -> serve(connection, requestSeq, correlationId, names));
    }

    private void serve(final Connection connection, final long requestSeq, final int correlationId, final List<String> names)
    {
        final short[] codes = new short[names.size()];
        final String[] messages = new String[names.size()];
        final int[] remaining = {names.size() + 1};
        final Runnable countDown = () ->
        {
            if (--remaining[0] == 0)
            {
                respond(connection, requestSeq, correlationId, names, codes, messages);
            }
        };
        for (int i = 0; i < names.size(); i++)
        {
            final int index = i;
            if (names.indexOf(names.get(i)) != i)
            {
                codes[i] = BrokerErrorCodes.INVALID_REQUEST;
                messages[i] = "topic '" + names.get(i) + "' is named twice";
                countDown.run();
                continue;
            }
            topics.delete(names.get(i), result ->
            {
                codes[index] = result.errorCode();
                messages[index] = result.message();
                countDown.run();
            });
        }
        countDown.run();
    }

    private void respond(
        final Connection connection,
        final long requestSeq,
        final int correlationId,
        final List<String> names,
        final short[] codes,
        final String[] messages)
    {
        final NativeCodecs codecs = NativeCodecs.get();
        final ResponseFrame frame = frames.acquire();
        final DeleteTopicsResponseEncoder response = codecs.deleteTopicsResponse
            .wrapAndApplyHeader(frame.buffer(), 0, codecs.headerEncoder)
            .correlationId(correlationId);
        final DeleteTopicsResponseEncoder.TopicsEncoder entries = response.topicsCount(names.size());
        for (int i = 0; i < names.size(); i++)
        {
            entries.next().errorCode(codes[i]).name(names.get(i)).errorMessage(messages[i]);
        }
        connection.respond(requestSeq, NativeCodecs.finish(frame, response.encodedLength()));
    }
}
