package io.sluice.broker.nativ;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.kafka.TopicLookup;
import io.sluice.broker.shard.FetchGather;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.FetchRequestDecoder;
import io.sluice.codecs.sbe.FetchResponseEncoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.UUID;

/**
 * Native fetch on the same shard path as Kafka's: the request is read in place into a pooled
 * {@link FetchGather}; the owning shards find each partition's file region, parking the fetch until
 * {@code minBytes} arrive or {@code maxWaitMs} passes; the response carries each region as the partition's
 * {@code records} data, spliced in with {@link ResponseFrame#addRegion} so the transport sends it with
 * {@code transferTo}. Whole batches only, fitted into {@code maxBytes} as the Kafka door does.
 *
 * <p>Thread-safe: per-thread flyweights.
 */
final class NativeFetchApi implements NativeApi, FetchGather.Completion
{
    private static final DirectBuffer NO_BYTES = new UnsafeBuffer(new byte[0]);

    private final ShardProxy shards;
    private final TopicRegistry topics;
    private final ResponseFramePool frames;
    private final EpochClock clock;
    private final ThreadLocal<TopicLookup> lookups = ThreadLocal.withInitial(TopicLookup::new);

    NativeFetchApi(final ShardProxy shards, final TopicRegistry topics, final ResponseFramePool frames, final EpochClock clock)
    {
        this.shards = shards;
        this.topics = topics;
        this.frames = frames;
        this.clock = clock;
    }

    @Override
    public void onRequest(
        final Connection connection, final long requestSeq, final DirectBuffer frame, final int blockLength, final int version)
    {
        final FetchRequestDecoder request = NativeCodecs.get().fetchRequest
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final int count = NativeFrames.checkGroup(
            frame, request.limit(), FetchRequestDecoder.PartitionsDecoder.sbeBlockLength(), "FetchRequest.partitions");
        // The fixed-size entries must all lie inside the frame before the gather is taken.
        final int end = request.limit() + FetchRequestDecoder.PartitionsDecoder.sbeHeaderSize() +
            count * (frame.getShort(request.limit(), ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
        NativeFrames.checkEnd(frame, end);

        final FetchGather gather = shards.acquireFetch().reset(
            this, connection, requestSeq, request.correlationId(), (short)version,
            request.maxWaitMs(), request.minBytes(), request.maxBytes(), clock.time());
        final TopicSnapshot snapshot = topics.snapshot();
        final TopicLookup lookup = lookups.get();
        Topic topic = null;
        for (final FetchRequestDecoder.PartitionsDecoder entry : request.partitions())
        {
            final long high = entry.topicId().high();
            final long low = entry.topicId().low();
            if (!gather.continuesTopic(high, low))
            {
                topic = lookup.byId(snapshot, high, low);
                gather.addTopic(topic != null ? topic.name() : null, topic != null ? topic.id() : new UUID(high, low));
            }
            final int index = entry.partition();
            final Partition partition = topic != null ? topic.partition(index) : null;
            if (partition == null)
            {
                gather.addError(index, topic == null ? BrokerErrorCodes.UNKNOWN_TOPIC_ID :
                    BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
            }
            else
            {
                gather.addRead(partition, entry.fetchOffset(), entry.partitionMaxBytes());
            }
        }
        shards.publish(gather);
    }

    @Override
    public void onComplete(final FetchGather gather)
    {
        final NativeCodecs codecs = NativeCodecs.get();
        final ResponseFrame frame = frames.acquire();
        final MutableDirectBuffer buffer = frame.buffer();
        final FetchResponseEncoder response = codecs.fetchResponse
            .wrapAndApplyHeader(buffer, 0, codecs.headerEncoder)
            .correlationId(gather.correlationId());
        final FetchResponseEncoder.PartitionsEncoder entries = response.partitionsCount(gather.partitionCount());
        int slot = 0;
        for (int topic = 0, topicCount = gather.topicCount(); topic < topicCount; topic++)
        {
            final UUID id = gather.topicId(topic);
            for (final int end = gather.topicEnd(topic); slot < end; slot++)
            {
                entries.next();
                entries.topicId().high(id.getMostSignificantBits()).low(id.getLeastSignificantBits());
                final short error = gather.errorCode(slot);
                entries.partition(gather.partitionIndex(slot))
                    .errorCode(error)
                    .highWatermark(gather.highWatermark(slot))
                    .logStartOffset(gather.logStartOffset(slot))
                    .putRecords(NO_BYTES, 0, 0);
                final int length = error == ErrorCodes.NONE ? gather.length(slot) : 0;
                if (length > 0)
                {
                    // The data's length says what follows; the bytes themselves come from the file, not the buffer.
                    final int regionAt = response.limit();
                    buffer.putInt(regionAt - Integer.BYTES, length, ByteOrder.LITTLE_ENDIAN);
                    frame.addRegion(regionAt, gather.channel(slot), gather.position(slot), length);
                }
            }
        }
        gather.connection().respond(gather.requestSeq(), NativeCodecs.finish(frame, response.encodedLength()));
    }
}
