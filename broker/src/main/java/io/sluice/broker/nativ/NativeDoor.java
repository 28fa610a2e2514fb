package io.sluice.broker.nativ;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.control.BrokerConductor;
import io.sluice.broker.control.ProducerIdAllocator;
import io.sluice.broker.group.GroupCoordinatorService;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.codecs.sbe.CommitOffsetsRequestDecoder;
import io.sluice.codecs.sbe.CreateTopicsRequestDecoder;
import io.sluice.codecs.sbe.DeleteTopicsRequestDecoder;
import io.sluice.codecs.sbe.FetchOffsetsRequestDecoder;
import io.sluice.codecs.sbe.FetchRequestDecoder;
import io.sluice.codecs.sbe.InitProducerIdRequestDecoder;
import io.sluice.codecs.sbe.ListOffsetsRequestDecoder;
import io.sluice.codecs.sbe.MetadataRequestDecoder;
import io.sluice.codecs.sbe.ProduceRequestDecoder;
import io.sluice.transport.FrameHandler;
import io.sluice.transport.ResponseFramePool;
import org.agrona.concurrent.EpochClock;

/**
 * Sluice's native door: the SBE protocol of {@code codecs/src/main/resources/sbe/sluice-native.xml} on the
 * NATIVE listener. Produce and fetch go through the same shards, gathers, journals, group commit, long poll and
 * {@code transferTo} as the Kafka door; the control requests reach the same topic registry, producer-id
 * allocator and group coordinator. See {@code docs/native.md}.
 *
 * <p>Built on one thread; the frame handler is then thread-safe.
 */
public final class NativeDoor
{
    private final NativeRequestAdapter adapter;

    public NativeDoor(
        final BrokerConfig config,
        final TopicRegistry topics,
        final ShardProxy shards,
        final BrokerConductor conductor,
        final ProducerIdAllocator producerIds,
        final GroupCoordinatorService groups,
        final ResponseFramePool frames,
        final EpochClock clock,
        final String clusterId)
    {
        final NativeErrors errors = new NativeErrors(frames);
        adapter = new NativeRequestAdapter(errors);
        adapter.register(ProduceRequestDecoder.TEMPLATE_ID, ProduceRequestDecoder.BLOCK_LENGTH, "ProduceRequest",
            new NativeProduceApi(shards, topics, frames));
        adapter.register(FetchRequestDecoder.TEMPLATE_ID, FetchRequestDecoder.BLOCK_LENGTH, "FetchRequest",
            new NativeFetchApi(shards, topics, frames, clock));
        adapter.register(ListOffsetsRequestDecoder.TEMPLATE_ID, ListOffsetsRequestDecoder.BLOCK_LENGTH,
            "ListOffsetsRequest", new NativeListOffsetsApi(shards, topics, frames));
        adapter.register(MetadataRequestDecoder.TEMPLATE_ID, MetadataRequestDecoder.BLOCK_LENGTH, "MetadataRequest",
            new NativeMetadataApi(topics, config, conductor, frames, clusterId));
        adapter.register(CreateTopicsRequestDecoder.TEMPLATE_ID, CreateTopicsRequestDecoder.BLOCK_LENGTH,
            "CreateTopicsRequest", new NativeCreateTopicsApi(topics, conductor, frames));
        adapter.register(DeleteTopicsRequestDecoder.TEMPLATE_ID, DeleteTopicsRequestDecoder.BLOCK_LENGTH,
            "DeleteTopicsRequest", new NativeDeleteTopicsApi(topics, conductor, frames));
        adapter.register(InitProducerIdRequestDecoder.TEMPLATE_ID, InitProducerIdRequestDecoder.BLOCK_LENGTH,
            "InitProducerIdRequest", new NativeInitProducerIdApi(producerIds, conductor, frames));
        adapter.register(CommitOffsetsRequestDecoder.TEMPLATE_ID, CommitOffsetsRequestDecoder.BLOCK_LENGTH,
            "CommitOffsetsRequest", new NativeCommitOffsetsApi(groups, topics, frames));
        adapter.register(FetchOffsetsRequestDecoder.TEMPLATE_ID, FetchOffsetsRequestDecoder.BLOCK_LENGTH,
            "FetchOffsetsRequest", new NativeFetchOffsetsApi(groups, topics, frames));
    }

    /** The handler for the NATIVE listener. */
    public FrameHandler frameHandler()
    {
        return adapter;
    }
}
