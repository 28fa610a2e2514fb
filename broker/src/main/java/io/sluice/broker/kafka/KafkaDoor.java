package io.sluice.broker.kafka;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.admin.AdminApis;
import io.sluice.broker.control.BrokerConductor;
import io.sluice.broker.control.ProducerIdAllocator;
import io.sluice.broker.metrics.BrokerCounters;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.codecs.kafka.DataPlaneVersions;
import io.sluice.transport.FrameHandler;
import io.sluice.transport.ResponseFramePool;
import org.agrona.concurrent.EpochClock;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The Kafka protocol door: the APIs Sluice serves, their handlers, and the frame handler that the PLAINTEXT
 * listener feeds. More APIs are added with {@link #apis()} before the broker listens.
 *
 * <p>Built and configured on one thread; the frame handler is then thread-safe.
 */
public final class KafkaDoor
{
    private final KafkaApiTable apis = new KafkaApiTable();
    private final KafkaResponseWriter writer;
    private final ApiVersionsApi apiVersions;
    private final KafkaRequestAdapter adapter;
    private final AdvertisedNode node;

    public KafkaDoor(
        final BrokerConfig config,
        final TopicRegistry topics,
        final ShardProxy shards,
        final BrokerConductor conductor,
        final ProducerIdAllocator producerIds,
        final ResponseFramePool frames,
        final EpochClock clock,
        final String clusterId,
        final BrokerCounters counters)
    {
        node = new AdvertisedNode(config.nodeId(), clusterId);
        writer = new KafkaResponseWriter(frames, counters.errors());
        apiVersions = new ApiVersionsApi(apis, frames);
        adapter = new KafkaRequestAdapter(apis, writer, conductor, new UnsupportedApiResponder(writer), counters);

        apis.register(ApiKeys.API_VERSIONS, 0, ApiVersionsApi.MAX_VERSION, apiVersions);
        apis.register(
            ApiKeys.PRODUCE, DataPlaneVersions.PRODUCE_MIN_VERSION, DataPlaneVersions.PRODUCE_MAX_VERSION,
            new ProduceApi(shards, topics, frames, counters.errors()));
        apis.advertiseFrom(ApiKeys.PRODUCE, ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION);
        apis.register(
            ApiKeys.FETCH, DataPlaneVersions.FETCH_MIN_VERSION, DataPlaneVersions.FETCH_MAX_VERSION,
            new FetchApi(shards, topics, frames, clock, counters.errors()));
        apis.register(ApiKeys.LIST_OFFSETS, 1, 11, KafkaApiTable.Runs.EVENT_LOOP, new ListOffsetsApi(shards, topics));
        apis.register(ApiKeys.METADATA, 0, 13, KafkaApiTable.Runs.CONDUCTOR, new MetadataApi(topics, config, node));
        apis.register(
            ApiKeys.INIT_PRODUCER_ID, 0, 6, KafkaApiTable.Runs.CONDUCTOR, new InitProducerIdApi(producerIds));
        AdminApis.register(apis, topics, shards, conductor, node);
    }

    /** The dispatch table, to register more APIs before {@link #frameHandler()} serves. */
    public KafkaApiTable apis()
    {
        return apis;
    }

    /** What clients are told this broker is; set its address once the listener is bound. */
    public AdvertisedNode node()
    {
        return node;
    }

    /** Writes control-plane responses made with Kafka's classes. */
    public KafkaResponseWriter responseWriter()
    {
        return writer;
    }

    /** Freeze the table and get the handler for the PLAINTEXT listener. */
    public FrameHandler frameHandler()
    {
        apis.freeze();
        apiVersions.prepare();
        return adapter;
    }
}
