package io.sluice.broker.nativ;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.control.BrokerConductor;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicName;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.BooleanType;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.codecs.sbe.MetadataRequestDecoder;
import io.sluice.codecs.sbe.MetadataResponseEncoder;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Native metadata, on the conductor thread: each topic's id and partition count (this broker leads every
 * partition), and its config overrides when asked. No names means every topic. A missing topic is created
 * first when {@code auto.create.topics.enable} and the request allow it (internal {@code __} names never), and
 * the answer waits for it, as the Kafka door's Metadata does.
 *
 * <p>Thread-safe: the request is read on the event loop, served on the conductor.
 */
final class NativeMetadataApi implements NativeApi
{
    private final TopicRegistry topics;
    private final BrokerConfig config;
    private final BrokerConductor conductor;
    private final ResponseFramePool frames;
    private final String clusterId;

    NativeMetadataApi(
        final TopicRegistry topics,
        final BrokerConfig config,
        final BrokerConductor conductor,
        final ResponseFramePool frames,
        final String clusterId)
    {
        this.topics = topics;
        this.config = config;
        this.conductor = conductor;
        this.frames = frames;
        this.clusterId = clusterId;
    }

    @Override
    public void onRequest(
        final Connection connection, final long requestSeq, final DirectBuffer frame, final int blockLength, final int version)
    {
        final MetadataRequestDecoder request = NativeCodecs.get().metadataRequest
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final int correlationId = request.correlationId();
        final boolean autoCreate = config.autoCreateTopics() && request.allowAutoCreate() == BooleanType.TRUE;
        final boolean includeConfigs = request.includeConfigs() == BooleanType.TRUE;
        NativeFrames.checkGroup(frame, request.limit(), 0, "MetadataRequest.topics");
        final Set<String> names = new LinkedHashSet<>();
        for (final MetadataRequestDecoder.TopicsDecoder entry : request.topics())
        {
            names.add(entry.name());
        }
        conductor.submit(() -> serve(connection, requestSeq, correlationId, names, autoCreate, includeConfigs));
    }

    private void serve(
        final Connection connection,
        final long requestSeq,
        final int correlationId,
        final Set<String> names,
        final boolean autoCreate,
        final boolean includeConfigs)
    {
        final TopicSnapshot snapshot = topics.snapshot();
        final List<String> toCreate = new ArrayList<>();
        if (autoCreate)
        {
            for (final String name : names)
            {
                if (snapshot.topic(name) == null && TopicName.invalidReason(name) == null && !TopicName.isInternal(name))
                {
                    toCreate.add(name);
                }
            }
        }
        if (toCreate.isEmpty())
        {
            respond(connection, requestSeq, correlationId, names, includeConfigs, Map.of());
            return;
        }
        final Map<String, Short> failures = new HashMap<>();
        final int[] remaining = {toCreate.size()};
        for (final String name : toCreate)
        {
            topics.create(name, -1, Map.of(), result ->
            {
                if (!result.isOk() && result.errorCode() != BrokerErrorCodes.TOPIC_ALREADY_EXISTS)
                {
                    failures.put(name, result.errorCode());
                }
                if (--remaining[0] == 0)
                {
                    respond(connection, requestSeq, correlationId, names, includeConfigs, failures);
                }
            });
        }
    }

    private void respond(
        final Connection connection,
        final long requestSeq,
        final int correlationId,
        final Set<String> names,
        final boolean includeConfigs,
        final Map<String, Short> failures)
    {
        final TopicSnapshot snapshot = topics.snapshot();
        final NativeCodecs codecs = NativeCodecs.get();
        final ResponseFrame frame = frames.acquire();
        final MetadataResponseEncoder response = codecs.metadataResponse
            .wrapAndApplyHeader(frame.buffer(), 0, codecs.headerEncoder)
            .correlationId(correlationId)
            .nodeId(config.nodeId());
        if (names.isEmpty())
        {
            final MetadataResponseEncoder.TopicsEncoder entries = response.topicsCount(snapshot.topics().size());
            for (final Topic topic : snapshot.topics())
            {
                describe(entries.next(), topic, includeConfigs);
            }
        }
        else
        {
            final MetadataResponseEncoder.TopicsEncoder entries = response.topicsCount(names.size());
            for (final String name : names)
            {
                final Topic topic = snapshot.topic(name);
                entries.next();
                if (topic != null)
                {
                    describe(entries, topic, includeConfigs);
                    continue;
                }
                final short error = TopicName.invalidReason(name) != null ? BrokerErrorCodes.INVALID_TOPIC_EXCEPTION :
                    failures.getOrDefault(name, BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
                entries.errorCode(error).partitionCount(0);
                entries.topicId().high(0).low(0);
                entries.configsCount(0);
                entries.name(name);
            }
        }
        response.clusterId(clusterId);
        connection.respond(requestSeq, NativeCodecs.finish(frame, response.encodedLength()));
    }

    private static void describe(
        final MetadataResponseEncoder.TopicsEncoder entry, final Topic topic, final boolean includeConfigs)
    {
        entry.errorCode(ErrorCodes.NONE).partitionCount(topic.partitionCount());
        entry.topicId().high(topic.id().getMostSignificantBits()).low(topic.id().getLeastSignificantBits());
        final Map<String, String> configs = includeConfigs ? topic.configs() : Map.of();
        final MetadataResponseEncoder.TopicsEncoder.ConfigsEncoder configEntries = entry.configsCount(configs.size());
        for (final Map.Entry<String, String> config : configs.entrySet())
        {
            configEntries.next().configName(config.getKey()).configValue(config.getValue());
        }
        entry.name(topic.name());
    }
}
