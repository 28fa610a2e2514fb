package io.sluice.broker.nativ;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.control.BrokerConductor;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicConfigs;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicRegistry.TopicResult;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.BooleanType;
import io.sluice.codecs.sbe.CreateTopicsRequestDecoder;
import io.sluice.codecs.sbe.CreateTopicsResponseEncoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Native topic creation, on the conductor thread, through the same {@link TopicRegistry} checks and steps as
 * the Kafka door: a name given twice in one request, an unknown or invalid config, a bad partition count or a
 * replication factor above 1 are refused per topic; {@code validateOnly} checks and creates nothing. A created
 * topic is answered once all its logs are open, with its id and partition count.
 *
 * <p>Thread-safe: the request is read on the event loop, served on the conductor.
 */
final class NativeCreateTopicsApi implements NativeApi
{
    private final TopicRegistry topics;
    private final BrokerConductor conductor;
    private final ResponseFramePool frames;

    NativeCreateTopicsApi(final TopicRegistry topics, final BrokerConductor conductor, final ResponseFramePool frames)
    {
        this.topics = topics;
        this.conductor = conductor;
        this.frames = frames;
    }

    /** One topic of the request and, once known, its result. */
    private static final class Wanted
    {
        String name;
        int partitionCount;
        short replicationFactor;
        final Map<String, String> configs = new TreeMap<>();
        short errorCode;
        String errorMessage;
        Topic topic;
    }

    @Override
    public void onRequest(
        final Connection connection, final long requestSeq, final DirectBuffer frame, final int blockLength, final int version)
    {
        final CreateTopicsRequestDecoder request = NativeCodecs.get().createTopicsRequest
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final int correlationId = request.correlationId();
        final boolean validateOnly = request.validateOnly() == BooleanType.TRUE;
        NativeFrames.checkGroup(frame, request.limit(), CreateTopicsRequestDecoder.TopicsDecoder.sbeBlockLength(),
            "CreateTopicsRequest.topics");
        final List<Wanted> wanted = new ArrayList<>();
        for (final CreateTopicsRequestDecoder.TopicsDecoder entry : request.topics())
        {
            final Wanted topic = new Wanted();
            topic.partitionCount = entry.partitionCount();
            topic.replicationFactor = entry.replicationFactor();
            NativeFrames.checkGroup(frame, request.limit(), 0, "CreateTopicsRequest.topics.configs");
            for (final CreateTopicsRequestDecoder.TopicsDecoder.ConfigsDecoder config : entry.configs())
            {
                topic.configs.put(config.configName(), config.configValue());
            }
            topic.name = entry.name();
            wanted.add(topic);
        }
        conductor.submit(() -> serve(connection, requestSeq, correlationId, validateOnly, wanted));
    }

    private void serve(
        final Connection connection,
        final long requestSeq,
        final int correlationId,
        final boolean validateOnly,
        final List<Wanted> wanted)
    {
        final Set<String> seen = new HashSet<>();
        final Set<String> duplicates = new HashSet<>();
        for (final Wanted topic : wanted)
        {
            if (!seen.add(topic.name))
            {
                duplicates.add(topic.name);
            }
        }
        final int[] remaining = {1};
        final Runnable countDown = () ->
        {
            if (--remaining[0] == 0)
            {
                respond(connection, requestSeq, correlationId, wanted);
            }
        };
        for (final Wanted topic : wanted)
        {
            final TopicResult refused = duplicates.contains(topic.name) ?
                TopicResult.error(BrokerErrorCodes.INVALID_REQUEST, "topic '" + topic.name + "' is named twice") :
                check(topic);
            if (refused != null)
            {
                topic.errorCode = refused.errorCode();
                topic.errorMessage = refused.message();
                continue;
            }
            if (validateOnly)
            {
                continue;
            }
            remaining[0]++;
            topics.create(topic.name, topic.partitionCount, topic.configs, result ->
            {
                topic.errorCode = result.errorCode();
                topic.errorMessage = result.message();
                topic.topic = result.topic();
                countDown.run();
            });
        }
        countDown.run();
    }

    private TopicResult check(final Wanted topic)
    {
        for (final Map.Entry<String, String> config : topic.configs.entrySet())
        {
            if (!TopicConfigs.isKnown(config.getKey()))
            {
                return TopicResult.error(BrokerErrorCodes.INVALID_CONFIG, "unknown topic config " + config.getKey());
            }
        }
        if (topic.partitionCount == -1)
        {
            topic.partitionCount = topics.brokerConfig().numPartitions();
        }
        return topics.checkCreate(topic.name, topic.partitionCount, topic.replicationFactor, topic.configs);
    }

    private void respond(
        final Connection connection, final long requestSeq, final int correlationId, final List<Wanted> wanted)
    {
        final NativeCodecs codecs = NativeCodecs.get();
        final ResponseFrame frame = frames.acquire();
        final CreateTopicsResponseEncoder response = codecs.createTopicsResponse
            .wrapAndApplyHeader(frame.buffer(), 0, codecs.headerEncoder)
            .correlationId(correlationId);
        final CreateTopicsResponseEncoder.TopicsEncoder entries = response.topicsCount(wanted.size());
        for (final Wanted topic : wanted)
        {
            entries.next().errorCode(topic.errorCode)
                .partitionCount(topic.errorCode == ErrorCodes.NONE ? topic.partitionCount : -1);
            entries.topicId()
                .high(topic.topic != null ? topic.topic.id().getMostSignificantBits() : 0)
                .low(topic.topic != null ? topic.topic.id().getLeastSignificantBits() : 0);
            entries.name(topic.name).errorMessage(topic.errorMessage);
        }
        connection.respond(requestSeq, NativeCodecs.finish(frame, response.encodedLength()));
    }
}
