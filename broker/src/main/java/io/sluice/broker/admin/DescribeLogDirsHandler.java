package io.sluice.broker.admin;

import io.sluice.broker.kafka.KafkaControlApi;
import io.sluice.broker.kafka.KafkaControlRequest;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import io.sluice.journal.PartitionLog;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.Errors;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * DescribeLogDirs (versions 1-5), which Kafka's log-dirs and reassignment tools use: for each log directory, the
 * partitions it holds with their size on disk and how far the log end runs past the high watermark, and the
 * volume's total and usable bytes. Sizes are read by each partition's shard; the answer is assembled back on
 * the conductor.
 *
 * <p>Runs on the conductor thread.
 */
final class DescribeLogDirsHandler implements KafkaControlApi
{
    private final TopicRegistry topics;
    private final ShardProxy shards;
    private final Consumer<Runnable> conductor;
    private final List<Path> logDirs = new ArrayList<>();

    /**
     * @param conductor runs a task on the conductor thread.
     */
    DescribeLogDirsHandler(final TopicRegistry topics, final ShardProxy shards, final Consumer<Runnable> conductor)
    {
        this.topics = topics;
        this.shards = shards;
        this.conductor = conductor;
        for (final Path dir : topics.brokerConfig().logDirs())
        {
            logDirs.add(dir.toAbsolutePath().normalize());
        }
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        handle(request.data(DescribeLogDirsRequestData.class), request::respond);
    }

    void handle(final DescribeLogDirsRequestData data, final Consumer<DescribeLogDirsResponseData> onResponse)
    {
        final List<Partition> partitions = wanted(data, topics.snapshot());
        final int count = partitions.size();
        final int[] dirIndexes = new int[count];
        final long[] sizes = new long[count];
        final long[] lags = new long[count];
        shards.forEach(partitions.toArray(new Partition[0]), (index, partition, log) ->
        {
            dirIndexes[index] = dirIndex(log);
            if (log != null)
            {
                sizes[index] = log.sizeInBytes();
                lags[index] = Math.max(0, log.logEndOffset() - log.highWatermark());
            }
        }, () -> conductor.accept(() -> onResponse.accept(response(partitions, dirIndexes, sizes, lags))));
    }

    private static List<Partition> wanted(final DescribeLogDirsRequestData data, final TopicSnapshot snapshot)
    {
        final List<Partition> partitions = new ArrayList<>();
        if (data.topics() == null)
        {
            for (final Topic topic : snapshot.topics())
            {
                partitions.addAll(List.of(topic.partitions()));
            }
            return partitions;
        }
        for (final DescribableLogDirTopic wanted : data.topics())
        {
            final Topic topic = snapshot.topic(wanted.topic());
            if (topic != null)
            {
                for (final int index : wanted.partitions())
                {
                    final Partition partition = topic.partition(index);
                    if (partition != null)
                    {
                        partitions.add(partition);
                    }
                }
            }
        }
        return partitions;
    }

    /** Which log directory holds {@code log}, or -1 when it is gone. Runs on the partition's shard. */
    private int dirIndex(final PartitionLog log)
    {
        return log == null ? -1 : logDirs.indexOf(log.directory().toAbsolutePath().normalize().getParent());
    }

    private DescribeLogDirsResponseData response(
        final List<Partition> partitions, final int[] dirIndexes, final long[] sizes, final long[] lags)
    {
        final DescribeLogDirsResponseData response = new DescribeLogDirsResponseData()
            .setThrottleTimeMs(0)
            .setErrorCode(Errors.NONE.code());
        final List<Map<String, DescribeLogDirsTopic>> byDir = new ArrayList<>();
        for (final Path dir : logDirs)
        {
            final DescribeLogDirsResult result = new DescribeLogDirsResult()
                .setErrorCode(Errors.NONE.code())
                .setLogDir(dir.toString());
            try
            {
                final FileStore store = Files.getFileStore(dir);
                result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
            }
            catch (final IOException ex)
            {
                result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
            }
            response.results().add(result);
            byDir.add(new LinkedHashMap<>());
        }
        for (int i = 0; i < partitions.size(); i++)
        {
            if (dirIndexes[i] < 0)
            {
                continue;
            }
            final Partition partition = partitions.get(i);
            final DescribeLogDirsResult dir = response.results().get(dirIndexes[i]);
            final DescribeLogDirsTopic topic = byDir.get(dirIndexes[i]).computeIfAbsent(partition.topic(), name ->
            {
                final DescribeLogDirsTopic created = new DescribeLogDirsTopic().setName(name);
                dir.topics().add(created);
                return created;
            });
            topic.partitions().add(new DescribeLogDirsPartition()
                .setPartitionIndex(partition.index())
                .setPartitionSize(sizes[i])
                .setOffsetLag(lags[i])
                .setIsFutureKey(false));
        }
        return response;
    }
}
