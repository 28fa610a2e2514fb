package io.sluice.broker.nativ;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.kafka.TopicLookup;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ProduceGather;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.codecs.sbe.ProduceRequestDecoder;
import io.sluice.codecs.sbe.ProduceResponseEncoder;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;

import java.util.UUID;

/**
 * Native produce on the same shard path as Kafka's: the request is read in place on the event loop, each
 * partition's record batches are copied into a pooled {@link ProduceGather} and appended by the owning shards
 * (validation, group commit, idempotence and long-poll wake-ups are theirs); the shard that finishes last writes
 * the {@code ProduceResponse}. {@code acks=0} gets no response, and a failed {@code acks=0} produce closes the
 * connection, as in Kafka, so the client notices.
 *
 * <p>Thread-safe: per-thread flyweights.
 */
final class NativeProduceApi implements NativeApi, ProduceGather.Completion
{

    private final ShardProxy shards;
    private final TopicRegistry topics;
    private final ResponseFramePool frames;
    private final ThreadLocal<TopicLookup> lookups = ThreadLocal.withInitial(TopicLookup::new);

    NativeProduceApi(final ShardProxy shards, final TopicRegistry topics, final ResponseFramePool frames)
    {
        this.shards = shards;
        this.topics = topics;
        this.frames = frames;
    }

    @Override
    public void onRequest(
        final Connection connection, final long requestSeq, final DirectBuffer frame, final int blockLength, final int version)
    {
        final ProduceRequestDecoder request = NativeCodecs.get().produceRequest;
        check(request.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version), frame);
        request.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);

        final short acks = request.acks();
        final boolean badAcks = acks != 0 && acks != 1 && acks != -1;
        final ProduceGather gather = shards.acquireProduce()
            .reset(this, connection, requestSeq, request.correlationId(), (short)version, acks);
        final TopicSnapshot snapshot = topics.snapshot();
        final TopicLookup lookup = lookups.get();
        Topic topic = null;
        for (final ProduceRequestDecoder.PartitionsDecoder entry : request.partitions())
        {
            final long high = entry.topicId().high();
            final long low = entry.topicId().low();
            if (!gather.continuesTopic(high, low))
            {
                topic = lookup.byId(snapshot, high, low);
                gather.addTopic(topic != null ? topic.name() : null, topic != null ? topic.id() : new UUID(high, low));
            }
            final int index = entry.partition();
            final int recordsOffset = request.limit() + ProduceRequestDecoder.PartitionsDecoder.recordsHeaderLength();
            final int recordsLength = entry.skipRecords();
            final Partition partition = topic != null ? topic.partition(index) : null;
            if (badAcks)
            {
                gather.addError(index, BrokerErrorCodes.INVALID_REQUIRED_ACKS, "acks must be 0, 1 or -1");
            }
            else if (partition == null)
            {
                gather.addError(index, topic == null ? BrokerErrorCodes.UNKNOWN_TOPIC_ID :
                    BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, null);
            }
            else if (acks == -1 && topic.minInsyncReplicas() > 1)
            {
                gather.addError(index, BrokerErrorCodes.NOT_ENOUGH_REPLICAS,
                    "min.insync.replicas is " + topic.minInsyncReplicas() + " but this cluster has 1 broker");
            }
            else
            {
                gather.addAppend(partition, frame, recordsOffset, recordsLength);
            }
        }
        if (acks == 0)
        {
            connection.skip(requestSeq);
        }
        shards.publish(gather);
    }

    /** Walk the whole request once so that a malformed one is refused before a gather is taken. */
    private static void check(final ProduceRequestDecoder request, final DirectBuffer frame)
    {
        NativeFrames.checkGroup(
            frame, request.limit(), ProduceRequestDecoder.PartitionsDecoder.sbeBlockLength(), "ProduceRequest.partitions");
        for (final ProduceRequestDecoder.PartitionsDecoder entry : request.partitions())
        {
            final int length = entry.skipRecords();
            NativeFrames.checkData(frame, length, request.limit());
        }
    }

    @Override
    public void onComplete(final ProduceGather gather)
    {
        final Connection connection = gather.connection();
        if (gather.acks() == 0)
        {
            closeOnFailure(gather);
            return;
        }
        final NativeCodecs codecs = NativeCodecs.get();
        final ResponseFrame frame = frames.acquire();
        final ProduceResponseEncoder response = codecs.produceResponse
            .wrapAndApplyHeader(frame.buffer(), 0, codecs.headerEncoder)
            .correlationId(gather.correlationId());
        final ProduceResponseEncoder.PartitionsEncoder entries = response.partitionsCount(gather.partitionCount());
        int slot = 0;
        for (int topic = 0, topicCount = gather.topicCount(); topic < topicCount; topic++)
        {
            final UUID id = gather.topicId(topic);
            for (final int end = gather.topicEnd(topic); slot < end; slot++)
            {
                entries.next();
                entries.topicId().high(id.getMostSignificantBits()).low(id.getLeastSignificantBits());
                entries.partition(gather.partitionIndex(slot))
                    .errorCode(gather.errorCode(slot))
                    .baseOffset(gather.baseOffset(slot))
                    .logAppendTime(gather.logAppendTime(slot))
                    .logStartOffset(gather.logStartOffset(slot))
                    .errorMessage(gather.errorMessage(slot));
            }
        }
        connection.respond(gather.requestSeq(), NativeCodecs.finish(frame, response.encodedLength()));
    }

    private static void closeOnFailure(final ProduceGather gather)
    {
        for (int slot = 0, count = gather.partitionCount(); slot < count; slot++)
        {
            if (gather.errorCode(slot) != ErrorCodes.NONE)
            {
                gather.connection().close("native acks=0 produce failed with error " + gather.errorCode(slot));
                return;
            }
        }
    }
}
