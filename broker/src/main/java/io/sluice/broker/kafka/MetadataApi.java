package io.sluice.broker.kafka;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.shard.ShardAgent;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicName;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import io.sluice.codecs.record.ErrorCodes;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Metadata, versions 0-13, on the conductor thread: this broker as the one node, leader (epoch 0) and only
 * replica of every partition; topics by name or by id. A topic that does not exist is created first when
 * {@code auto.create.topics.enable} and the request allow it (with {@code num.partitions}), and the answer
 * waits for it, so the client sees a ready topic rather than a retriable error.
 */
final class MetadataApi implements KafkaControlApi
{
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;
    /**
     * No ACLs: every topic operation is allowed. Kafka's bit field of AclOperation codes: READ 3, WRITE 4,
     * CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11.
     */
    static final int ALL_TOPIC_OPERATIONS =
        (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 10) | (1 << 11);

    private final TopicRegistry topics;
    private final BrokerConfig config;
    private final AdvertisedNode node;

    MetadataApi(final TopicRegistry topics, final BrokerConfig config, final AdvertisedNode node)
    {
        this.topics = topics;
        this.config = config;
        this.node = node;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        final MetadataRequestData data = request.data(MetadataRequestData.class);
        final short version = request.apiVersion();
        final boolean allTopics = data.topics() == null || (version == 0 && data.topics().isEmpty());
        final boolean autoCreate = config.autoCreateTopics() && (version < 4 || data.allowAutoTopicCreation());
        final TopicSnapshot snapshot = topics.snapshot();
        final List<String> toCreate = new ArrayList<>();
        if (!allTopics && autoCreate)
        {
            for (final MetadataRequestData.MetadataRequestTopic wanted : data.topics())
            {
                final String name = wanted.name();
                if (name != null && snapshot.topic(name) == null && TopicName.invalidReason(name) == null &&
                    !TopicName.isInternal(name) && !toCreate.contains(name))
                {
                    toCreate.add(name);
                }
            }
        }
        if (toCreate.isEmpty())
        {
            request.respond(response(data, allTopics, Map.of()));
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
                    request.respond(response(data, false, failures));
                }
            });
        }
    }

    private MetadataResponseData response(
        final MetadataRequestData data, final boolean allTopics, final Map<String, Short> failures)
    {
        final TopicSnapshot snapshot = topics.snapshot();
        final MetadataResponseData response = new MetadataResponseData()
            .setThrottleTimeMs(0)
            .setClusterId(node.clusterId())
            .setControllerId(node.nodeId())
            .setClusterAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
            .setNodeId(node.nodeId())
            .setHost(node.host())
            .setPort(node.port())
            .setRack(null));
        final boolean includeOperations = data.includeTopicAuthorizedOperations();
        if (allTopics)
        {
            for (final Topic topic : snapshot.topics())
            {
                response.topics().add(describe(topic, includeOperations));
            }
            return response;
        }
        for (final MetadataRequestData.MetadataRequestTopic wanted : data.topics())
        {
            final String name = wanted.name();
            final Topic topic;
            // kafka-clients names a topic wanted by id with "" rather than null; Kafka resolves by any non-zero id
            if (name == null || (wanted.topicId() != null && !Uuid.ZERO_UUID.equals(wanted.topicId())))
            {
                final Uuid id = wanted.topicId();
                topic = id == null ? null :
                    snapshot.topic(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()));
                if (topic == null)
                {
                    response.topics().add(new MetadataResponseData.MetadataResponseTopic()
                        .setErrorCode(BrokerErrorCodes.UNKNOWN_TOPIC_ID)
                        .setName(null)
                        .setTopicId(id == null ? Uuid.ZERO_UUID : id));
                    continue;
                }
            }
            else
            {
                topic = snapshot.topic(name);
            }
            if (topic != null)
            {
                if (response.topics().find(topic.name()) == null)
                {
                    response.topics().add(describe(topic, includeOperations));
                }
                continue;
            }
            if (response.topics().find(name) != null)
            {
                continue;
            }
            final short error;
            if (TopicName.invalidReason(name) != null)
            {
                error = BrokerErrorCodes.INVALID_TOPIC_EXCEPTION;
            }
            else
            {
                error = failures.getOrDefault(name, BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
            }
            response.topics().add(new MetadataResponseData.MetadataResponseTopic()
                .setErrorCode(error)
                .setName(name)
                .setTopicId(Uuid.ZERO_UUID)
                .setIsInternal(TopicName.isInternal(name)));
        }
        return response;
    }

    private MetadataResponseData.MetadataResponseTopic describe(final Topic topic, final boolean includeOperations)
    {
        final MetadataResponseData.MetadataResponseTopic described = new MetadataResponseData.MetadataResponseTopic()
            .setErrorCode(ErrorCodes.NONE)
            .setName(topic.name())
            .setTopicId(new Uuid(topic.id().getMostSignificantBits(), topic.id().getLeastSignificantBits()))
            .setIsInternal(topic.isInternal())
            .setTopicAuthorizedOperations(includeOperations ? ALL_TOPIC_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED);
        final List<Integer> self = List.of(node.nodeId());
        for (int i = 0; i < topic.partitionCount(); i++)
        {
            described.partitions().add(new MetadataResponseData.MetadataResponsePartition()
                .setErrorCode(ErrorCodes.NONE)
                .setPartitionIndex(i)
                .setLeaderId(node.nodeId())
                .setLeaderEpoch(ShardAgent.LEADER_EPOCH)
                .setReplicaNodes(self)
                .setIsrNodes(self)
                .setOfflineReplicas(List.of()));
        }
        return described;
    }
}
