package io.sluice.broker.admin;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.kafka.KafkaControlApi;
import io.sluice.broker.kafka.KafkaControlRequest;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicConfigs;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import io.sluice.journal.PartitionLog;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * DeleteRecords (versions 0-2): move each partition's log start offset up to the requested offset (-1: the high
 * watermark), deleting whole segments below it, and answer with the new low watermark. Each partition is
 * changed by the shard that owns its log, through that shard's command queue; the shard that finishes last
 * sends the answer. An offset above the high watermark is OFFSET_OUT_OF_RANGE, a topic whose
 * {@code cleanup.policy} lacks {@code delete} is POLICY_VIOLATION, an unknown partition
 * UNKNOWN_TOPIC_OR_PARTITION; each of those has low watermark -1, as in Kafka.
 *
 * <p>Runs on the conductor thread, so waiting for room in a shard's command queue never stalls an event loop.
 */
final class DeleteRecordsHandler implements KafkaControlApi
{
    private static final long INVALID_LOW_WATERMARK = -1;

    private final TopicRegistry topics;
    private final ShardProxy shards;
    private final BrokerConfig config;

    DeleteRecordsHandler(final TopicRegistry topics, final ShardProxy shards)
    {
        this.topics = topics;
        this.shards = shards;
        this.config = topics.brokerConfig();
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        handle(request.data(DeleteRecordsRequestData.class), request::respond);
    }

    void handle(final DeleteRecordsRequestData data, final Consumer<DeleteRecordsResponseData> onResponse)
    {
        final TopicSnapshot snapshot = topics.snapshot();
        final DeleteRecordsResponseData response = new DeleteRecordsResponseData().setThrottleTimeMs(0);
        final List<Partition> partitions = new ArrayList<>();
        final List<DeleteRecordsPartitionResult> answers = new ArrayList<>();
        long[] offsets = new long[8];
        for (final DeleteRecordsTopic wanted : data.topics())
        {
            DeleteRecordsTopicResult topicResult = response.topics().find(wanted.name());
            if (topicResult == null)
            {
                topicResult = new DeleteRecordsTopicResult().setName(wanted.name());
                response.topics().add(topicResult);
            }
            final Topic topic = snapshot.topic(wanted.name());
            for (final DeleteRecordsPartition wantedPartition : wanted.partitions())
            {
                final DeleteRecordsPartitionResult answer = new DeleteRecordsPartitionResult()
                    .setPartitionIndex(wantedPartition.partitionIndex())
                    .setLowWatermark(INVALID_LOW_WATERMARK);
                topicResult.partitions().add(answer);
                final Partition partition = topic != null ? topic.partition(wantedPartition.partitionIndex()) : null;
                if (partition == null)
                {
                    answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                }
                else if (!deletesRecords(topic))
                {
                    answer.setErrorCode(Errors.POLICY_VIOLATION.code());
                }
                else
                {
                    // Stays only if the shard's task fails before it answers.
                    answer.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code());
                    if (partitions.size() == offsets.length)
                    {
                        offsets = Arrays.copyOf(offsets, offsets.length * 2);
                    }
                    offsets[partitions.size()] = wantedPartition.offset();
                    partitions.add(partition);
                    answers.add(answer);
                }
            }
        }
        final long[] requested = offsets;
        shards.forEach(
            partitions.toArray(new Partition[0]),
            (index, partition, log) -> deleteRecords(log, requested[index], answers.get(index)),
            () -> onResponse.accept(response));
    }

    /** Kafka lets DeleteRecords move the start of a log only when its cleanup policy includes deletion. */
    private boolean deletesRecords(final Topic topic)
    {
        final String policy = TopicConfigs.value(TopicConfigs.CLEANUP_POLICY, topic.configs(), config);
        return Arrays.asList(policy.split(",")).contains("delete");
    }

    /** Runs on the partition's shard. */
    private static void deleteRecords(final PartitionLog log, final long offset, final DeleteRecordsPartitionResult answer)
    {
        if (log == null)
        {
            answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            return;
        }
        final short code = log.deleteRecords(offset);
        answer.setErrorCode(code);
        if (code == Errors.NONE.code())
        {
            answer.setLowWatermark(log.logStartOffset());
        }
    }
}
