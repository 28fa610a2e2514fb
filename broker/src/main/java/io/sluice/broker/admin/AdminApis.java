package io.sluice.broker.admin;

import io.sluice.broker.control.BrokerConductor;
import io.sluice.broker.kafka.AdvertisedNode;
import io.sluice.broker.kafka.KafkaApiTable;
import io.sluice.broker.kafka.KafkaApiTable.Runs;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.TopicRegistry;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The Kafka admin (control-plane) APIs and the versions advertised for each: every version kafka-clients 4.3
 * can decode, which also covers what librdkafka 2.x and kafkajs 2.x send (they negotiate down to the highest
 * version both sides speak). Those that change topics run on the conductor thread, where the topic registry
 * lives; DescribeCluster, which only reads the advertised node, runs on the event loop.
 */
public final class AdminApis
{
    private AdminApis()
    {
    }

    /** Register every admin API in {@code apis}, before the broker listens. */
    public static void register(
        final KafkaApiTable apis,
        final TopicRegistry topics,
        final ShardProxy shards,
        final BrokerConductor conductor,
        final AdvertisedNode node)
    {
        final ConfigDescriber describer = new ConfigDescriber(topics.brokerConfig());
        final int nodeId = node.nodeId();
        apis.register(ApiKeys.CREATE_TOPICS, 2, 7, Runs.CONDUCTOR, new CreateTopicsHandler(topics, describer, nodeId));
        apis.register(ApiKeys.DELETE_TOPICS, 1, 6, Runs.CONDUCTOR, new DeleteTopicsHandler(topics));
        apis.register(ApiKeys.CREATE_PARTITIONS, 0, 3, Runs.CONDUCTOR, new CreatePartitionsHandler(topics, nodeId));
        apis.register(
            ApiKeys.DESCRIBE_TOPIC_PARTITIONS, 0, 0, Runs.CONDUCTOR, new DescribeTopicPartitionsHandler(topics, nodeId));
        apis.register(ApiKeys.DESCRIBE_CONFIGS, 1, 4, Runs.CONDUCTOR, new DescribeConfigsHandler(topics, describer, nodeId));
        final ConfigAlterations alterations = new ConfigAlterations(topics, nodeId);
        apis.register(
            ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1, Runs.CONDUCTOR, new IncrementalAlterConfigsHandler(alterations));
        apis.register(ApiKeys.ALTER_CONFIGS, 0, 2, Runs.CONDUCTOR, new AlterConfigsHandler(alterations));
        apis.register(ApiKeys.DESCRIBE_CLUSTER, 0, 2, Runs.EVENT_LOOP, new DescribeClusterHandler(node));
        apis.register(ApiKeys.DELETE_RECORDS, 0, 2, Runs.CONDUCTOR, new DeleteRecordsHandler(topics, shards));
        apis.register(
            ApiKeys.DESCRIBE_LOG_DIRS, 1, 5, Runs.CONDUCTOR, new DescribeLogDirsHandler(topics, shards, conductor::submit));
    }
}
