package io.sluice.broker.admin;

import io.sluice.broker.kafka.KafkaControlApi;
import io.sluice.broker.kafka.KafkaControlRequest;
import io.sluice.broker.shard.ShardAgent;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicName;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * DescribeTopicPartitions (version 0), what {@code Admin.describeTopics} sends in kafka-clients 4.x: the named
 * topics (or every topic when none is named) in name order, each with its id and partitions, this node the
 * leader (epoch 0), only replica and whole ISR of each. At most {@code min(2000, ResponsePartitionLimit)}
 * partitions are returned; when more remain, {@code NextCursor} names the first topic and partition of the next
 * page, and a request that passes it back resumes there, as Kafka pages.
 *
 * <p>Runs on the conductor thread (so a large answer is never built on an event loop); reads the published
 * topic snapshot only.
 */
final class DescribeTopicPartitionsHandler implements KafkaControlApi
{
    /** Kafka's {@code max.request.partition.size.limit} default: the most partitions one answer holds. */
    static final int MAX_PARTITIONS_PER_RESPONSE = 2000;

    private final TopicRegistry topics;
    private final int nodeId;

    DescribeTopicPartitionsHandler(final TopicRegistry topics, final int nodeId)
    {
        this.topics = topics;
        this.nodeId = nodeId;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        handle(request.data(DescribeTopicPartitionsRequestData.class), request::respond);
    }

    void handle(
        final DescribeTopicPartitionsRequestData data, final Consumer<DescribeTopicPartitionsResponseData> onResponse)
    {
        final TopicSnapshot snapshot = topics.snapshot();
        final boolean allTopics = data.topics().isEmpty();
        final DescribeTopicPartitionsRequestData.Cursor cursor = data.cursor();
        final String cursorTopic = cursor != null ? cursor.topicName() : "";
        final TreeSet<String> names = new TreeSet<>();
        if (allTopics)
        {
            snapshot.topics().forEach(topic -> addFrom(cursorTopic, topic.name(), names));
        }
        else
        {
            data.topics().forEach(topic -> addFrom(cursorTopic, topic.name(), names));
            if (cursor != null && !names.contains(cursor.topicName()))
            {
                onResponse.accept(refusal(data));
                return;
            }
        }

        final DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData()
            .setThrottleTimeMs(0)
            .setNextCursor(null);
        int remaining = Math.min(MAX_PARTITIONS_PER_RESPONSE, data.responsePartitionLimit());
        for (final String name : names)
        {
            if (remaining <= 0)
            {
                if (remaining == 0)
                {
                    response.setNextCursor(new Cursor().setTopicName(name).setPartitionIndex(0));
                }
                break;
            }
            final Topic topic = snapshot.topic(name);
            if (topic == null)
            {
                if (!allTopics)
                {
                    response.topics().add(missing(name));
                }
                continue;
            }
            final int start = name.equals(cursorTopic) ? Math.max(0, cursor.partitionIndex()) : 0;
            final int end = (int)Math.min(topic.partitionCount(), (long)start + remaining);
            response.topics().add(describe(topic, start, end));
            if (end < topic.partitionCount())
            {
                response.setNextCursor(new Cursor().setTopicName(name).setPartitionIndex(end));
                break;
            }
            remaining -= Math.max(0, end - start);
        }
        onResponse.accept(response);
    }

    private static void addFrom(final String cursorTopic, final String name, final TreeSet<String> names)
    {
        if (name.compareTo(cursorTopic) >= 0)
        {
            names.add(name);
        }
    }

    private DescribeTopicPartitionsResponseTopic describe(final Topic topic, final int start, final int end)
    {
        final List<DescribeTopicPartitionsResponsePartition> partitions = new ArrayList<>(Math.max(0, end - start));
        final List<Integer> self = List.of(nodeId);
        for (int i = start; i < end; i++)
        {
            partitions.add(new DescribeTopicPartitionsResponsePartition()
                .setErrorCode(Errors.NONE.code())
                .setPartitionIndex(i)
                .setLeaderId(nodeId)
                .setLeaderEpoch(ShardAgent.LEADER_EPOCH)
                .setReplicaNodes(self)
                .setIsrNodes(self)
                .setEligibleLeaderReplicas(List.of())
                .setLastKnownElr(List.of())
                .setOfflineReplicas(List.of()));
        }
        return new DescribeTopicPartitionsResponseTopic()
            .setErrorCode(Errors.NONE.code())
            .setName(topic.name())
            .setTopicId(TopicIds.toKafka(topic.id()))
            .setIsInternal(topic.isInternal())
            .setPartitions(partitions)
            .setTopicAuthorizedOperations(AuthorizedOperations.TOPIC);
    }

    private static DescribeTopicPartitionsResponseTopic missing(final String name)
    {
        final Errors error = TopicName.invalidReason(name) != null ?
            Errors.INVALID_TOPIC_EXCEPTION : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        return new DescribeTopicPartitionsResponseTopic()
            .setErrorCode(error.code())
            .setName(name)
            .setTopicId(Uuid.ZERO_UUID)
            .setIsInternal(TopicName.isInternal(name))
            .setTopicAuthorizedOperations(AuthorizedOperations.TOPIC);
    }

    /** Kafka refuses a cursor whose topic is not among those named: every named topic gets INVALID_REQUEST. */
    private static DescribeTopicPartitionsResponseData refusal(final DescribeTopicPartitionsRequestData data)
    {
        final DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData().setThrottleTimeMs(0);
        for (final DescribeTopicPartitionsRequestData.TopicRequest topic : data.topics())
        {
            response.topics().add(new DescribeTopicPartitionsResponseTopic()
                .setName(topic.name())
                .setErrorCode(Errors.INVALID_REQUEST.code())
                .setIsInternal(false));
        }
        return response;
    }
}
