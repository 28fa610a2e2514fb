package io.sluice.broker.kafka;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ShardAgent;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.PartitionLog;
import io.sluice.journal.TimestampOffset;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;

import java.util.ArrayList;
import java.util.List;

/**
 * ListOffsets, versions 1-11: earliest (-2), latest (-1), max timestamp (-3), earliest local (-4), or the
 * first offset at or after a timestamp. Decoded on the event loop; each partition is looked up on its own
 * shard, and the shard that finishes last sends the answer.
 */
final class ListOffsetsApi implements KafkaControlApi
{
    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;
    static final long EARLIEST_LOCAL = -4;
    private static final short FIRST_LEADER_EPOCH_VERSION = 4;

    private final ShardProxy shards;
    private final TopicRegistry topics;

    ListOffsetsApi(final ShardProxy shards, final TopicRegistry topics)
    {
        this.shards = shards;
        this.topics = topics;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        final ListOffsetsRequestData data = request.data(ListOffsetsRequestData.class);
        final TopicSnapshot snapshot = topics.snapshot();
        final ListOffsetsResponseData response = new ListOffsetsResponseData().setThrottleTimeMs(0);
        final List<Partition> partitions = new ArrayList<>();
        final List<ListOffsetsResponseData.ListOffsetsPartitionResponse> answers = new ArrayList<>();
        final List<Long> timestamps = new ArrayList<>();
        for (final ListOffsetsRequestData.ListOffsetsTopic wanted : data.topics())
        {
            final Topic topic = snapshot.topic(wanted.name());
            final ListOffsetsResponseData.ListOffsetsTopicResponse topicAnswer =
                new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(wanted.name());
            response.topics().add(topicAnswer);
            for (final ListOffsetsRequestData.ListOffsetsPartition wantedPartition : wanted.partitions())
            {
                final ListOffsetsResponseData.ListOffsetsPartitionResponse answer =
                    new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                        .setPartitionIndex(wantedPartition.partitionIndex())
                        .setErrorCode(ErrorCodes.NONE)
                        .setTimestamp(-1)
                        .setOffset(-1)
                        .setLeaderEpoch(-1);
                topicAnswer.partitions().add(answer);
                final Partition partition = topic != null ? topic.partition(wantedPartition.partitionIndex()) : null;
                if (partition == null)
                {
                    answer.setErrorCode(BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
                }
                else if (wantedPartition.currentLeaderEpoch() > ShardAgent.LEADER_EPOCH)
                {
                    answer.setErrorCode(FetchApi.UNKNOWN_LEADER_EPOCH);
                }
                else
                {
                    partitions.add(partition);
                    answers.add(answer);
                    timestamps.add(wantedPartition.timestamp());
                }
            }
        }
        shards.forEach(
            partitions.toArray(new Partition[0]),
            (index, partition, log) -> lookUp(log, timestamps.get(index), answers.get(index), request.apiVersion()),
            () -> request.respond(response));
    }

    /** Runs on the partition's shard. */
    private static void lookUp(
        final PartitionLog log,
        final long timestamp,
        final ListOffsetsResponseData.ListOffsetsPartitionResponse answer,
        final short version)
    {
        if (log == null)
        {
            answer.setErrorCode(BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
            return;
        }
        if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL)
        {
            answer.setOffset(log.logStartOffset());
        }
        else if (timestamp == LATEST)
        {
            answer.setOffset(log.highWatermark());
        }
        else if (timestamp == MAX_TIMESTAMP)
        {
            final TimestampOffset found = log.maxTimestamp(new TimestampOffset());
            answer.setOffset(found.offset).setTimestamp(found.offset < 0 ? -1 : found.timestamp);
        }
        else if (timestamp >= 0)
        {
            final TimestampOffset found = log.offsetForTimestamp(timestamp, new TimestampOffset());
            answer.setOffset(found.offset).setTimestamp(found.offset < 0 ? -1 : found.timestamp);
        }
        if (answer.offset() >= 0 && version >= FIRST_LEADER_EPOCH_VERSION)
        {
            answer.setLeaderEpoch(ShardAgent.LEADER_EPOCH);
        }
    }
}
