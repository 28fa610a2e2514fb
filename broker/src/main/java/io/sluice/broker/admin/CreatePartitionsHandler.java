package io.sluice.broker.admin;

import io.sluice.broker.kafka.KafkaControlApi;
import io.sluice.broker.kafka.KafkaControlRequest;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * CreatePartitions (versions 0-3): grow a topic to a larger partition count; existing partitions keep their
 * data. A count that is not an increase is INVALID_PARTITIONS, a manual assignment must name this node once for
 * each new partition (INVALID_REPLICA_ASSIGNMENT otherwise), a topic named twice is INVALID_REQUEST; messages
 * are Kafka's. {@code validateOnly} checks without changing anything.
 *
 * <p>Runs on the conductor thread (it changes the topic registry); answers from there once the new
 * partitions' logs are open.
 */
final class CreatePartitionsHandler implements KafkaControlApi
{
    private final TopicRegistry topics;
    private final int nodeId;

    CreatePartitionsHandler(final TopicRegistry topics, final int nodeId)
    {
        this.topics = topics;
        this.nodeId = nodeId;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        handle(request.data(CreatePartitionsRequestData.class), request::respond);
    }

    void handle(final CreatePartitionsRequestData data, final Consumer<CreatePartitionsResponseData> onResponse)
    {
        final Set<String> seen = new HashSet<>();
        final Set<String> duplicates = new LinkedHashSet<>();
        for (final CreatePartitionsTopic topic : data.topics())
        {
            if (!seen.add(topic.name()))
            {
                duplicates.add(topic.name());
            }
        }
        final CreatePartitionsResponseData response = new CreatePartitionsResponseData().setThrottleTimeMs(0);
        final List<CreatePartitionsTopicResult> results = new ArrayList<>();
        final Countdown countdown = new Countdown(() ->
        {
            response.setResults(results);
            onResponse.accept(response);
        });
        for (final String duplicate : duplicates)
        {
            results.add(fill(result(duplicate), Outcome.error(Errors.INVALID_REQUEST, "Duplicate topic name.")));
        }
        for (final CreatePartitionsTopic wanted : data.topics())
        {
            if (duplicates.contains(wanted.name()))
            {
                continue;
            }
            final CreatePartitionsTopicResult result = result(wanted.name());
            results.add(result);
            final Outcome invalid = check(wanted);
            if (invalid != null)
            {
                fill(result, invalid);
            }
            else if (!data.validateOnly())
            {
                countdown.add();
                topics.createPartitions(wanted.name(), wanted.count(), grown ->
                {
                    fill(result, Outcome.of(grown));
                    countdown.countDown();
                });
            }
        }
        countdown.countDown();
    }

    private Outcome check(final CreatePartitionsTopic wanted)
    {
        final Topic topic = topics.snapshot().topic(wanted.name());
        if (topic == null)
        {
            return Outcome.error(Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
        }
        final int current = topic.partitionCount();
        if (wanted.count() == current)
        {
            return Outcome.error(Errors.INVALID_PARTITIONS, "Topic already has " + current + " partition(s).");
        }
        if (wanted.count() < current)
        {
            return Outcome.error(Errors.INVALID_PARTITIONS, "The topic " + wanted.name() + " currently has " +
                current + " partition(s); " + wanted.count() + " would not be an increase.");
        }
        if (wanted.count() > TopicRegistry.MAX_PARTITIONS)
        {
            return Outcome.error(Errors.INVALID_PARTITIONS, "The topic " + wanted.name() + " may have at most " +
                TopicRegistry.MAX_PARTITIONS + " partitions on this broker; " + wanted.count() + " were requested.");
        }
        final int additional = wanted.count() - current;
        if (wanted.assignments() != null)
        {
            if (wanted.assignments().size() != additional)
            {
                return Outcome.error(Errors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add " + additional +
                    " additional partition(s), but only " + wanted.assignments().size() + " assignment(s) were specified.");
            }
            for (final CreatePartitionsAssignment assignment : wanted.assignments())
            {
                final String invalid = ReplicaAssignments.invalidReason(assignment.brokerIds(), nodeId);
                if (invalid != null)
                {
                    return Outcome.error(Errors.INVALID_REPLICA_ASSIGNMENT, invalid);
                }
            }
        }
        return null;
    }

    private static CreatePartitionsTopicResult result(final String name)
    {
        return new CreatePartitionsTopicResult().setName(name).setErrorCode(Errors.NONE.code()).setErrorMessage(null);
    }

    private static CreatePartitionsTopicResult fill(final CreatePartitionsTopicResult result, final Outcome outcome)
    {
        return result.setErrorCode(outcome.errorCode()).setErrorMessage(outcome.message());
    }
}
