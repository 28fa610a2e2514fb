package io.sluice.broker.kafka;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicConfigs;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.codecs.record.ErrorCodes;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.requests.DescribeConfigsResponse;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CreateTopics, versions 2-7, on the conductor thread: partitions (or a replica assignment naming only this
 * broker), replication factor 1, config overrides, {@code validateOnly}. The answer waits until every
 * partition's log is open, and (from version 5) carries the topic's effective configs.
 */
final class CreateTopicsApi implements KafkaControlApi
{
    static final short INVALID_REPLICA_ASSIGNMENT = 39;

    private final TopicRegistry topics;
    private final BrokerConfig config;
    private final AdvertisedNode node;

    CreateTopicsApi(final TopicRegistry topics, final BrokerConfig config, final AdvertisedNode node)
    {
        this.topics = topics;
        this.config = config;
        this.node = node;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        final CreateTopicsRequestData data = request.data(CreateTopicsRequestData.class);
        final CreateTopicsResponseData response = new CreateTopicsResponseData().setThrottleTimeMs(0);
        final Set<String> seen = new HashSet<>();
        final Set<String> duplicates = new HashSet<>();
        for (final CreateTopicsRequestData.CreatableTopic topic : data.topics())
        {
            if (!seen.add(topic.name()))
            {
                duplicates.add(topic.name());
            }
        }

        int creations = 0;
        for (final CreateTopicsRequestData.CreatableTopic topic : data.topics())
        {
            creations += duplicates.contains(topic.name()) ? 0 : 1;
        }
        final int[] remaining = {creations + 1};
        final Runnable oneDone = () ->
        {
            if (--remaining[0] == 0)
            {
                request.respond(response);
            }
        };
        for (final String duplicate : duplicates)
        {
            response.topics().add(result(duplicate).setErrorCode(BrokerErrorCodes.INVALID_REQUEST)
                .setErrorMessage("the request names topic '" + duplicate + "' more than once"));
        }
        for (final CreateTopicsRequestData.CreatableTopic topic : data.topics())
        {
            if (!duplicates.contains(topic.name()))
            {
                create(topic, data.validateOnly(), response, oneDone);
            }
        }
        oneDone.run();
    }

    private void create(
        final CreateTopicsRequestData.CreatableTopic wanted,
        final boolean validateOnly,
        final CreateTopicsResponseData response,
        final Runnable oneDone)
    {
        final String name = wanted.name();
        final Map<String, String> configs = new LinkedHashMap<>();
        for (final CreateTopicsRequestData.CreatableTopicConfig entry : wanted.configs())
        {
            configs.put(entry.name(), entry.value());
        }
        int partitions = wanted.numPartitions() == -1 ? config.numPartitions() : wanted.numPartitions();
        if (!wanted.assignments().isEmpty())
        {
            final String invalid = invalidAssignment(wanted);
            if (invalid != null)
            {
                response.topics().add(result(name).setErrorCode(INVALID_REPLICA_ASSIGNMENT).setErrorMessage(invalid));
                oneDone.run();
                return;
            }
            partitions = wanted.assignments().size();
        }
        final TopicRegistry.TopicResult invalid = topics.checkCreate(name, partitions, wanted.replicationFactor(), configs);
        if (invalid != null)
        {
            response.topics().add(result(name).setErrorCode(invalid.errorCode()).setErrorMessage(invalid.message()));
            oneDone.run();
            return;
        }
        if (validateOnly)
        {
            response.topics().add(described(result(name), partitions, configs));
            oneDone.run();
            return;
        }
        final int count = partitions;
        topics.create(name, count, configs, result ->
        {
            final CreateTopicsResponseData.CreatableTopicResult answer = result(name);
            if (result.isOk())
            {
                final Topic topic = result.topic();
                answer.setTopicId(new Uuid(topic.id().getMostSignificantBits(), topic.id().getLeastSignificantBits()));
                described(answer, count, topic.configs());
            }
            else
            {
                answer.setErrorCode(result.errorCode()).setErrorMessage(result.message());
            }
            response.topics().add(answer);
            oneDone.run();
        });
    }

    /** A manual assignment is fine when it numbers partitions 0..n-1 and puts each on this broker alone. */
    private String invalidAssignment(final CreateTopicsRequestData.CreatableTopic wanted)
    {
        if (wanted.numPartitions() != -1 || wanted.replicationFactor() != -1)
        {
            return "give either a replica assignment or a partition count and replication factor, not both";
        }
        final Map<Integer, Boolean> indexes = new HashMap<>();
        for (final CreateTopicsRequestData.CreatableReplicaAssignment assignment : wanted.assignments())
        {
            indexes.put(assignment.partitionIndex(), true);
            if (!assignment.brokerIds().equals(List.of(node.nodeId())))
            {
                return "partition " + assignment.partitionIndex() + " is assigned to " + assignment.brokerIds() +
                    "; this cluster has only broker " + node.nodeId();
            }
        }
        for (int i = 0; i < wanted.assignments().size(); i++)
        {
            if (!indexes.containsKey(i))
            {
                return "partition indexes must run from 0 without gaps";
            }
        }
        return null;
    }

    private static CreateTopicsResponseData.CreatableTopicResult result(final String name)
    {
        return new CreateTopicsResponseData.CreatableTopicResult()
            .setName(name)
            .setTopicId(Uuid.ZERO_UUID)
            .setErrorCode(ErrorCodes.NONE);
    }

    private CreateTopicsResponseData.CreatableTopicResult described(
        final CreateTopicsResponseData.CreatableTopicResult result, final int partitions, final Map<String, String> overrides)
    {
        result.setNumPartitions(partitions).setReplicationFactor((short)1);
        for (final String name : TopicConfigs.names())
        {
            final boolean overridden = overrides.containsKey(name);
            final DescribeConfigsResponse.ConfigSource source = overridden ?
                DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG :
                config.isSet(TopicConfigs.brokerKey(name)) ?
                    DescribeConfigsResponse.ConfigSource.STATIC_BROKER_CONFIG :
                    DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG;
            result.configs().add(new CreateTopicsResponseData.CreatableTopicConfigs()
                .setName(name)
                .setValue(TopicConfigs.value(name, overrides, config))
                .setReadOnly(false)
                .setConfigSource(source.id())
                .setIsSensitive(false));
        }
        return result;
    }
}
