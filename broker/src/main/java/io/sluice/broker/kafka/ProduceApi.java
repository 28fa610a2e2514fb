package io.sluice.broker.kafka;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.metrics.ErrorCounters;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ProduceGather;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import io.sluice.codecs.kafka.ProduceRequestDecoder;
import io.sluice.codecs.kafka.ProduceResponseEncoder;
import io.sluice.codecs.kafka.ProtocolErrorCodes;
import io.sluice.codecs.kafka.RequestHeaderDecoder;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;

import java.util.UUID;

/**
 * Produce, versions 3-13, on Sluice's flyweights: the request is read in place on the event loop, each
 * partition's record batches are copied into a pooled {@link ProduceGather} and handed to the partitions'
 * shards; the shard that finishes last writes the response. {@code acks=0} gets no response (the request
 * slot is skipped at once), and, as in Kafka, a failed {@code acks=0} produce closes the connection so the
 * client notices.
 *
 * <p>Thread-safe: per-thread decoders and encoders.
 */
final class ProduceApi implements KafkaFrameApi, ProduceGather.Completion
{
    static final short INVALID_TXN_STATE = 48;

    private final ShardProxy shards;
    private final TopicRegistry topics;
    private final ResponseFramePool frames;
    private final ErrorCounters errors;
    private final ThreadLocal<ProduceRequestDecoder> decoders = ThreadLocal.withInitial(ProduceRequestDecoder::new);
    private final ThreadLocal<ProduceResponseEncoder> encoders = ThreadLocal.withInitial(ProduceResponseEncoder::new);
    private final ThreadLocal<TopicLookup> lookups = ThreadLocal.withInitial(TopicLookup::new);

    ProduceApi(
        final ShardProxy shards, final TopicRegistry topics, final ResponseFramePool frames, final ErrorCounters errors)
    {
        this.shards = shards;
        this.topics = topics;
        this.frames = frames;
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
        final ProduceRequestDecoder request = decoders.get();
        if (request.wrap(buffer, bodyOffset, bodyLength, version) != ProtocolErrorCodes.NONE)
        {
            connection.close("malformed Produce v" + version + " request: " + request.malformedReason());
            return;
        }
        final short acks = request.acks();
        final short requestError;
        if (acks != 0 && acks != 1 && acks != -1)
        {
            requestError = BrokerErrorCodes.INVALID_REQUIRED_ACKS;
        }
        else if (request.transactionalIdLength() >= 0)
        {
            requestError = INVALID_TXN_STATE;
        }
        else
        {
            requestError = ErrorCodes.NONE;
        }

        final ProduceGather gather = shards.acquireProduce()
            .reset(this, connection, requestSeq, header.correlationId(), version, acks);
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
                if (requestError != ErrorCodes.NONE)
                {
                    gather.addError(index, requestError, requestError == INVALID_TXN_STATE ?
                        "transactions are not supported yet" : "acks must be 0, 1 or -1");
                }
                else if (partition == null)
                {
                    gather.addError(index, topic == null && request.usesTopicIds() ?
                        BrokerErrorCodes.UNKNOWN_TOPIC_ID : BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, null);
                }
                else if (acks == -1 && topic.minInsyncReplicas() > 1)
                {
                    gather.addError(index, BrokerErrorCodes.NOT_ENOUGH_REPLICAS,
                        "min.insync.replicas is " + topic.minInsyncReplicas() + " but this cluster has 1 broker");
                }
                else
                {
                    gather.addAppend(partition, buffer, request.recordsOffset(), Math.max(0, request.recordsLength()));
                }
            }
        }
        if (acks == 0)
        {
            connection.skip(requestSeq);
        }
        shards.publish(gather);
    }

    @Override
    public void onComplete(final ProduceGather gather)
    {
        for (int slot = 0, count = gather.partitionCount(); slot < count; slot++)
        {
            final short error = gather.errorCode(slot);
            if (error != ErrorCodes.NONE)
            {
                errors.onError(error);
            }
        }
        final Connection connection = gather.connection();
        if (gather.acks() == 0)
        {
            closeOnFailure(gather);
            return;
        }
        final ResponseFrame frame = frames.acquire();
        final ProduceResponseEncoder encoder = encoders.get()
            .wrap(frame.buffer(), 0, gather.apiVersion(), gather.correlationId(), gather.topicCount());
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
                encoder.partition(
                    gather.partitionIndex(slot), gather.errorCode(slot), gather.baseOffset(slot),
                    gather.logAppendTime(slot), gather.logStartOffset(slot), gather.errorMessage(slot));
            }
        }
        frame.length(encoder.finish(0));
        connection.respond(gather.requestSeq(), frame);
    }

    private static void closeOnFailure(final ProduceGather gather)
    {
        for (int slot = 0, count = gather.partitionCount(); slot < count; slot++)
        {
            if (gather.errorCode(slot) != ErrorCodes.NONE)
            {
                gather.connection().close("acks=0 produce failed with error " + gather.errorCode(slot));
                return;
            }
        }
    }
}
