package io.sluice.broker.kafka;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.metrics.ErrorCounters;
import io.sluice.broker.shard.FetchGather;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ShardAgent;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import io.sluice.codecs.kafka.FetchRequestDecoder;
import io.sluice.codecs.kafka.FetchResponseEncoder;
import io.sluice.codecs.kafka.ProtocolErrorCodes;
import io.sluice.codecs.kafka.RequestHeaderDecoder;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;

import java.util.UUID;

/**
 * Fetch, versions 4-18, on Sluice's flyweights: the request is read in place on the event loop into a pooled
 * {@link FetchGather}, the partitions' shards find each one's file region (waiting for data when the client
 * asked for {@code min.bytes} within {@code max.wait.ms}), and the response is written with every region
 * spliced in, to go out with {@code transferTo}.
 *
 * <p>Fetch sessions (KIP-227) are not kept: every response carries session id 0, which tells clients to send
 * full fetch requests; a request naming a session gets FETCH_SESSION_ID_NOT_FOUND.
 *
 * <p>Thread-safe: per-thread decoders and encoders.
 */
final class FetchApi implements KafkaFrameApi, FetchGather.Completion
{
    static final short FETCH_SESSION_ID_NOT_FOUND = 70;
    static final short INVALID_FETCH_SESSION_EPOCH = 71;
    static final short UNKNOWN_LEADER_EPOCH = 75;
    static final short FENCED_LEADER_EPOCH = 74;

    private final ShardProxy shards;
    private final TopicRegistry topics;
    private final ResponseFramePool frames;
    private final EpochClock clock;
    private final ErrorCounters errors;
    private final ThreadLocal<FetchRequestDecoder> decoders = ThreadLocal.withInitial(FetchRequestDecoder::new);
    private final ThreadLocal<FetchResponseEncoder> encoders = ThreadLocal.withInitial(FetchResponseEncoder::new);
    private final ThreadLocal<TopicLookup> lookups = ThreadLocal.withInitial(TopicLookup::new);

    FetchApi(
        final ShardProxy shards,
        final TopicRegistry topics,
        final ResponseFramePool frames,
        final EpochClock clock,
        final ErrorCounters errors)
    {
        this.shards = shards;
        this.topics = topics;
        this.frames = frames;
        this.clock = clock;
        this.errors = errors;
    }

    @Override
    public void onRequest(
        final Connection connection,
        final long requestSeq,
        final RequestHeaderDecoder header,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyLength)
    {
        final short version = header.apiVersion();
        final FetchRequestDecoder request = decoders.get();
        if (request.wrap(buffer, bodyOffset, bodyLength, version) != ProtocolErrorCodes.NONE)
        {
            connection.close("malformed Fetch v" + version + " request: " + request.malformedReason());
            return;
        }
        if (request.sessionId() != 0)
        {
            respondError(connection, requestSeq, header, FETCH_SESSION_ID_NOT_FOUND);
            return;
        }
        if (request.sessionEpoch() > 0)
        {
            respondError(connection, requestSeq, header, INVALID_FETCH_SESSION_EPOCH);
            return;
        }

        final FetchGather gather = shards.acquireFetch().reset(
            this, connection, requestSeq, header.correlationId(), version,
            request.maxWaitMs(), request.minBytes(), request.maxBytes(), clock.time());
        final TopicSnapshot snapshot = topics.snapshot();
        final TopicLookup lookup = lookups.get();
        while (request.nextTopic())
        {
            final Topic topic;
            if (request.usesTopicIds())
            {
                topic = lookup.byId(snapshot, request.topicIdMostSignificantBits(), request.topicIdLeastSignificantBits());
                gather.addTopic(null, topic != null ? topic.id() :
                    new UUID(request.topicIdMostSignificantBits(), request.topicIdLeastSignificantBits()));
            }
            else
            {
                topic = lookup.byName(snapshot, buffer, request.topicNameOffset(), request.topicNameLength());
                gather.addTopic(topic != null ? topic.name() :
                    buffer.getStringWithoutLengthAscii(request.topicNameOffset(), request.topicNameLength()), null);
            }
            while (request.nextPartition())
            {
                final int index = request.partitionIndex();
                final Partition partition = topic != null ? topic.partition(index) : null;
                final int leaderEpoch = request.currentLeaderEpoch();
                if (partition == null)
                {
                    gather.addError(index, topic == null && request.usesTopicIds() ?
                        BrokerErrorCodes.UNKNOWN_TOPIC_ID : BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
                }
                else if (leaderEpoch > ShardAgent.LEADER_EPOCH)
                {
                    gather.addError(index, UNKNOWN_LEADER_EPOCH);
                }
                else if (leaderEpoch >= 0 && leaderEpoch < ShardAgent.LEADER_EPOCH)
                {
                    gather.addError(index, FENCED_LEADER_EPOCH);
                }
                else
                {
                    gather.addRead(partition, request.fetchOffset(), request.partitionMaxBytes());
                }
            }
        }
        shards.publish(gather);
    }

    @Override
    public void onComplete(final FetchGather gather)
    {
        final ResponseFrame frame = frames.acquire();
        final FetchResponseEncoder encoder = encoders.get().wrap(
            frame.buffer(), 0, gather.apiVersion(), gather.correlationId(), 0, ErrorCodes.NONE, 0, gather.topicCount());
        final boolean ids = gather.apiVersion() >= 13;
        int slot = 0;
        for (int topic = 0, topicCount = gather.topicCount(); topic < topicCount; topic++)
        {
            final int end = gather.topicEnd(topic);
            if (ids)
            {
                final UUID id = gather.topicId(topic);
                encoder.topic(id.getMostSignificantBits(), id.getLeastSignificantBits(), end - slot);
            }
            else
            {
                encoder.topic(gather.topicName(topic), end - slot);
            }
            for (; slot < end; slot++)
            {
                final short error = gather.errorCode(slot);
                if (error != ErrorCodes.NONE)
                {
                    errors.onError(error);
                }
                final long highWatermark = gather.highWatermark(slot);
                encoder.partition(
                    gather.partitionIndex(slot), error, highWatermark, highWatermark, gather.logStartOffset(slot),
                    FetchResponseEncoder.NO_PREFERRED_READ_REPLICA, -1);
                final int length = error == ErrorCodes.NONE ? gather.length(slot) : -1;
                final int regionIndex = encoder.records(length);
                if (length > 0)
                {
                    frame.addRegion(regionIndex, gather.channel(slot), gather.position(slot), length);
                }
            }
        }
        frame.length(encoder.finish());
        gather.connection().respond(gather.requestSeq(), frame);
    }

    private void respondError(
        final Connection connection, final long requestSeq, final RequestHeaderDecoder header, final short errorCode)
    {
        errors.onError(errorCode);
        final ResponseFrame frame = frames.acquire();
        final FetchResponseEncoder encoder = encoders.get().wrap(
            frame.buffer(), 0, header.apiVersion(), header.correlationId(), 0, errorCode, 0, 0);
        frame.length(encoder.finish());
        connection.respond(requestSeq, frame);
    }
}
