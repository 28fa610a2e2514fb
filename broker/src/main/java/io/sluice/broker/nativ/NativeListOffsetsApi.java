package io.sluice.broker.nativ;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.kafka.TopicLookup;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.ListOffsetsRequestDecoder;
import io.sluice.codecs.sbe.ListOffsetsResponseEncoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.journal.PartitionLog;
import io.sluice.journal.TimestampOffset;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Native list offsets: latest (-1), earliest (-2), max timestamp (-3), or the first offset whose record's
 * timestamp is at or after the given one. Read on the event loop; each partition is looked up on its shard,
 * and the shard that finishes last answers. A control-plane request: it allocates a little per request.
 *
 * <p>Thread-safe.
 */
final class NativeListOffsetsApi implements NativeApi
{
    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;

    private final ShardProxy shards;
    private final TopicRegistry topics;
    private final ResponseFramePool frames;
    private final ThreadLocal<TopicLookup> lookups = ThreadLocal.withInitial(TopicLookup::new);

    NativeListOffsetsApi(final ShardProxy shards, final TopicRegistry topics, final ResponseFramePool frames)
    {
        this.shards = shards;
        this.topics = topics;
        this.frames = frames;
    }

    /** One partition's question and answer. */
    private static final class Lookup
    {
        long topicIdHigh;
        long topicIdLow;
        int partitionIndex;
        long timestamp;
        Partition partition;
        short errorCode;
        long offset = -1;
        long foundTimestamp = -1;
    }

    @Override
    public void onRequest(
        final Connection connection, final long requestSeq, final DirectBuffer frame, final int blockLength, final int version)
    {
        final ListOffsetsRequestDecoder request = NativeCodecs.get().listOffsetsRequest
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        NativeFrames.checkGroup(frame, request.limit(), ListOffsetsRequestDecoder.PartitionsDecoder.sbeBlockLength(),
            "ListOffsetsRequest.partitions");
        final int correlationId = request.correlationId();
        final TopicSnapshot snapshot = topics.snapshot();
        final TopicLookup lookup = lookups.get();
        final List<Lookup> lookups = new ArrayList<>();
        final List<Partition> partitions = new ArrayList<>();
        final List<Lookup> onShards = new ArrayList<>();
        for (final ListOffsetsRequestDecoder.PartitionsDecoder entry : request.partitions())
        {
            final Lookup wanted = new Lookup();
            wanted.topicIdHigh = entry.topicId().high();
            wanted.topicIdLow = entry.topicId().low();
            wanted.partitionIndex = entry.partition();
            wanted.timestamp = entry.timestamp();
            lookups.add(wanted);
            final Topic topic = lookup.byId(snapshot, wanted.topicIdHigh, wanted.topicIdLow);
            wanted.partition = topic != null ? topic.partition(wanted.partitionIndex) : null;
            if (topic == null)
            {
                wanted.errorCode = BrokerErrorCodes.UNKNOWN_TOPIC_ID;
            }
            else if (wanted.partition == null)
            {
                wanted.errorCode = BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION;
            }
            else
            {
                partitions.add(wanted.partition);
                onShards.add(wanted);
            }
        }
        shards.forEach(
            partitions.toArray(new Partition[0]),
            (index, partition, log) -> lookUp(log, onShards.get(index)),
            () -> respond(connection, requestSeq, correlationId, lookups));
    }

    /** Runs on the partition's shard. */
    private static void lookUp(final PartitionLog log, final Lookup wanted)
    {
        if (log == null)
        {
            wanted.errorCode = BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION;
            return;
        }
        final long timestamp = wanted.timestamp;
        if (timestamp == EARLIEST)
        {
            wanted.offset = log.logStartOffset();
        }
        else if (timestamp == LATEST)
        {
            wanted.offset = log.highWatermark();
        }
        else if (timestamp == MAX_TIMESTAMP || timestamp >= 0)
        {
            final TimestampOffset found = timestamp == MAX_TIMESTAMP ?
                log.maxTimestamp(new TimestampOffset()) : log.offsetForTimestamp(timestamp, new TimestampOffset());
            wanted.offset = found.offset;
            wanted.foundTimestamp = found.offset < 0 ? -1 : found.timestamp;
        }
        else
        {
            wanted.errorCode = BrokerErrorCodes.INVALID_REQUEST;
        }
    }

    private void respond(
        final Connection connection, final long requestSeq, final int correlationId, final List<Lookup> lookups)
    {
        final NativeCodecs codecs = NativeCodecs.get();
        final ResponseFrame frame = frames.acquire();
        final ListOffsetsResponseEncoder response = codecs.listOffsetsResponse
            .wrapAndApplyHeader(frame.buffer(), 0, codecs.headerEncoder)
            .correlationId(correlationId);
        final ListOffsetsResponseEncoder.PartitionsEncoder entries = response.partitionsCount(lookups.size());
        for (final Lookup answer : lookups)
        {
            entries.next();
            entries.topicId().high(answer.topicIdHigh).low(answer.topicIdLow);
            entries.partition(answer.partitionIndex)
                .errorCode(answer.errorCode)
                .offset(answer.errorCode == ErrorCodes.NONE ? answer.offset : -1)
                .timestamp(answer.foundTimestamp);
        }
        connection.respond(requestSeq, NativeCodecs.finish(frame, response.encodedLength()));
    }
}
