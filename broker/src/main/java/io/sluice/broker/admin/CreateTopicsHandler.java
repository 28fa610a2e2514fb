package io.sluice.broker.admin;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.kafka.KafkaControlApi;
import io.sluice.broker.kafka.KafkaControlRequest;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicConfigs;
import io.sluice.broker.topic.TopicName;
import io.sluice.broker.topic.TopicRegistry;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * CreateTopics (versions 2-7), checked in the order and answered with the codes and messages of Kafka's
 * controller: a name used twice in one request, an illegal or colliding name, an existing topic, null, unknown
 * or invalid configs, then the partition count and replication factor (or a manual assignment, valid only when
 * it puts every partition on this one node). {@code validateOnly} checks everything and creates nothing. A
 * created topic is answered once every partition's log is open, with its id and, from version 5, its partition
 * count, replication factor and effective configs.
 *
 * <p>Runs on the conductor thread (it changes the topic registry); answers from there.
 */
final class CreateTopicsHandler implements KafkaControlApi
{
    static final String CLUSTER_METADATA_TOPIC = "__cluster_metadata";

    private final TopicRegistry topics;
    private final BrokerConfig config;
    private final ConfigDescriber describer;
    private final int nodeId;

    CreateTopicsHandler(final TopicRegistry topics, final ConfigDescriber describer, final int nodeId)
    {
        this.topics = topics;
        this.config = topics.brokerConfig();
        this.describer = describer;
        this.nodeId = nodeId;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        handle(request.data(CreateTopicsRequestData.class), request::respond);
    }

    void handle(final CreateTopicsRequestData data, final Consumer<CreateTopicsResponseData> onResponse)
    {
        final Set<String> seen = new HashSet<>();
        final Set<String> duplicates = new LinkedHashSet<>();
        for (final CreatableTopic topic : data.topics())
        {
            if (!seen.add(topic.name()))
            {
                duplicates.add(topic.name());
            }
        }
        final CreateTopicsResponseData response = new CreateTopicsResponseData().setThrottleTimeMs(0);
        final List<CreatableTopicResult> results = new ArrayList<>();
        final Countdown countdown = new Countdown(() ->
        {
            results.forEach(response.topics()::add);
            onResponse.accept(response);
        });
        for (final CreatableTopic topic : data.topics())
        {
            if (duplicates.contains(topic.name()))
            {
                continue;
            }
            final CreatableTopicResult result = new CreatableTopicResult().setName(topic.name());
            results.add(result);
            if (CLUSTER_METADATA_TOPIC.equals(topic.name()))
            {
                fail(result, Outcome.error(Errors.INVALID_REQUEST,
                    "Creation of internal topic " + CLUSTER_METADATA_TOPIC + " is prohibited."));
                continue;
            }
            create(topic, data.validateOnly(), result, countdown);
        }
        for (final String duplicate : duplicates)
        {
            results.add(fail(new CreatableTopicResult().setName(duplicate),
                Outcome.error(Errors.INVALID_REQUEST, "Duplicate topic name.")));
        }
        countdown.countDown();
    }

    private void create(
        final CreatableTopic wanted, final boolean validateOnly, final CreatableTopicResult result, final Countdown countdown)
    {
        final String name = wanted.name();
        final Map<String, String> configs = new TreeMap<>();
        final Outcome refused = refusal(name);
        final Outcome rejected = refused != null ? refused : configs(wanted, configs);
        if (rejected != null)
        {
            fail(result, rejected);
            return;
        }
        final Layout layout = wanted.assignments().isEmpty() ? partitionCount(wanted) : assignment(wanted);
        if (layout.refusal() != null)
        {
            fail(result, layout.refusal());
            return;
        }
        if (validateOnly)
        {
            // Kafka's controller names the topic it would create, though it never exists.
            describe(result, Uuid.randomUuid(), layout.partitions(), configs);
            return;
        }
        // The registry checks again: a creation of the same name may be under way (TOPIC_ALREADY_EXISTS), or a
        // deletion, which it lets finish first.
        countdown.add();
        topics.create(name, layout.partitions(), configs, created ->
        {
            if (created.isOk())
            {
                final Topic topic = created.topic();
                describe(result, TopicIds.toKafka(topic.id()), topic.partitionCount(), topic.configs());
            }
            else
            {
                fail(result, Outcome.of(created));
            }
            countdown.countDown();
        });
    }

    /** The name checks Kafka makes before it looks at configs or partitions, or null when they pass. */
    private Outcome refusal(final String name)
    {
        final String invalidName = TopicName.invalidReason(name);
        if (invalidName != null)
        {
            return Outcome.error(Errors.INVALID_TOPIC_EXCEPTION, invalidName);
        }
        if (topics.snapshot().topic(name) != null)
        {
            return Outcome.error(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        final String colliding = collidingTopic(name);
        if (colliding != null)
        {
            return Outcome.error(Errors.INVALID_TOPIC_EXCEPTION,
                "Topic '" + name + "' collides with existing topic: " + colliding);
        }
        return null;
    }

    /**
     * Kafka refuses a name that differs from an existing one only by '.' against '_', because both become the
     * same metric name.
     */
    private String collidingTopic(final String name)
    {
        if (name.indexOf('.') < 0 && name.indexOf('_') < 0)
        {
            return null;
        }
        final String unified = name.replace('.', '_');
        for (final Topic existing : topics.snapshot().topics())
        {
            if (!existing.name().equals(name) && existing.name().replace('.', '_').equals(unified))
            {
                return existing.name();
            }
        }
        return null;
    }

    /** Collect the requested overrides into {@code configs}; the error when one is null, unknown or invalid. */
    private static Outcome configs(final CreatableTopic wanted, final Map<String, String> configs)
    {
        final List<String> nulls = new ArrayList<>();
        for (final CreatableTopicConfig entry : wanted.configs())
        {
            if (entry.value() == null)
            {
                nulls.add(entry.name());
            }
            else
            {
                configs.put(entry.name(), entry.value());
            }
        }
        if (!nulls.isEmpty())
        {
            return Outcome.error(Errors.INVALID_CONFIG,
                "Null value not supported for topic configs: " + String.join(",", nulls));
        }
        for (final Map.Entry<String, String> entry : configs.entrySet())
        {
            if (!TopicConfigs.isKnown(entry.getKey()))
            {
                return Outcome.error(Errors.INVALID_CONFIG, "Unknown topic config name: " + entry.getKey());
            }
            final String invalid = TopicConfigs.invalidReason(entry.getKey(), entry.getValue());
            if (invalid != null)
            {
                return Outcome.error(Errors.INVALID_CONFIG, invalid);
            }
        }
        return null;
    }

    private Layout partitionCount(final CreatableTopic wanted)
    {
        if (wanted.replicationFactor() < -1 || wanted.replicationFactor() == 0)
        {
            return Layout.refused(Errors.INVALID_REPLICATION_FACTOR,
                "Replication factor must be larger than 0, or -1 to use the default value.");
        }
        if (wanted.numPartitions() < -1 || wanted.numPartitions() == 0)
        {
            return Layout.refused(Errors.INVALID_PARTITIONS,
                "Number of partitions was set to an invalid non-positive value.");
        }
        final int replicationFactor = wanted.replicationFactor() == -1 ?
            config.defaultReplicationFactor() : wanted.replicationFactor();
        if (replicationFactor > 1)
        {
            return Layout.refused(Errors.INVALID_REPLICATION_FACTOR,
                "Unable to replicate the partition " + replicationFactor + " time(s): The target replication factor of " +
                replicationFactor + " cannot be reached because only 1 broker(s) are registered.");
        }
        return checked(wanted.numPartitions() == -1 ? config.numPartitions() : wanted.numPartitions());
    }

    private Layout assignment(final CreatableTopic wanted)
    {
        if (wanted.replicationFactor() != -1)
        {
            return Layout.refused(Errors.INVALID_REQUEST,
                "A manual partition assignment was specified, but replication factor was not set to -1.");
        }
        if (wanted.numPartitions() != -1)
        {
            return Layout.refused(Errors.INVALID_REQUEST,
                "A manual partition assignment was specified, but numPartitions was not set to -1.");
        }
        final Set<Integer> indexes = new HashSet<>();
        for (final CreatableReplicaAssignment assignment : wanted.assignments())
        {
            if (!indexes.add(assignment.partitionIndex()))
            {
                return Layout.refused(Errors.INVALID_REPLICA_ASSIGNMENT,
                    "Found multiple manual partition assignments for partition " + assignment.partitionIndex());
            }
            final String invalid = ReplicaAssignments.invalidReason(assignment.brokerIds(), nodeId);
            if (invalid != null)
            {
                return Layout.refused(Errors.INVALID_REPLICA_ASSIGNMENT, invalid);
            }
        }
        for (int i = 0; i < indexes.size(); i++)
        {
            if (!indexes.contains(i))
            {
                return Layout.refused(Errors.INVALID_REPLICA_ASSIGNMENT,
                    "partitions should be a consecutive 0-based integer sequence");
            }
        }
        return checked(indexes.size());
    }

    private static Layout checked(final int partitions)
    {
        if (partitions > TopicRegistry.MAX_PARTITIONS)
        {
            return Layout.refused(Errors.INVALID_PARTITIONS, "Number of partitions " + partitions +
                " is more than the " + TopicRegistry.MAX_PARTITIONS + " one topic may have on this broker.");
        }
        return new Layout(partitions, null);
    }

    private void describe(
        final CreatableTopicResult result, final Uuid id, final int partitions, final Map<String, String> overrides)
    {
        result.setTopicId(id)
            .setErrorCode(Errors.NONE.code())
            .setErrorMessage(null)
            .setNumPartitions(partitions)
            .setReplicationFactor((short)1)
            .setTopicConfigErrorCode(Errors.NONE.code());
        for (final String name : TopicConfigs.names())
        {
            result.configs().add(new CreatableTopicConfigs()
                .setName(name)
                .setValue(TopicConfigs.value(name, overrides, config))
                .setReadOnly(false)
                .setConfigSource(describer.topicConfigSource(name, overrides))
                .setIsSensitive(false));
        }
    }

    private static CreatableTopicResult fail(final CreatableTopicResult result, final Outcome error)
    {
        return result.setErrorCode(error.errorCode()).setErrorMessage(error.message());
    }

    /** How many partitions a new topic gets, or why it gets none. */
    private record Layout(int partitions, Outcome refusal)
    {
        static Layout refused(final Errors error, final String message)
        {
            return new Layout(0, Outcome.error(error, message));
        }
    }
}
