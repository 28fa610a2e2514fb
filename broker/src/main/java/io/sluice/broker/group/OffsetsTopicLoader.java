package io.sluice.broker.group;

import io.sluice.broker.BrokerLog;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.PartitionLog;
import io.sluice.journal.ReadResult;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Reads each partition of {@code __consumer_offsets} back from its start and replays its records into the
 * {@link GroupCoordinator}, a chunk of at most {@link #CHUNK_BYTES} per shard command so that a long log never
 * holds up a shard: the shard copies the chunk's bytes, the coordinator thread decodes them and asks for the next.
 * Until a partition is loaded its groups are answered COORDINATOR_LOAD_IN_PROGRESS.
 *
 * <p>Threading: started and called back on the coordinator thread; the reads run on the shards.
 */
final class OffsetsTopicLoader
{
    static final int CHUNK_BYTES = 1024 * 1024;

    private final ShardProxy shards;
    private final Consumer<Runnable> coordinatorThread;
    private final GroupCoordinator coordinator;
    private final CoordinatorRecordDecoder.Listener replay;
    private long[] startNs;
    private long[] records;

    /** A chunk as read on the shard: its bytes, or the error, and where the log ended. */
    private record Chunk(short code, ByteBuffer bytes, long logEndOffset, long startOffset)
    {
    }

    OffsetsTopicLoader(final ShardProxy shards, final Consumer<Runnable> coordinatorThread, final GroupCoordinator coordinator)
    {
        this.shards = shards;
        this.coordinatorThread = coordinatorThread;
        this.coordinator = coordinator;
        this.replay = new CoordinatorRecordDecoder.Listener()
        {
            @Override
            public void onOffset(final String groupId, final String topic, final int partition, final OffsetAndMetadata offset)
            {
                coordinator.replayOffset(groupId, topic, partition, offset);
            }

            @Override
            public void onGroup(final String groupId, final StoredGroup group)
            {
                coordinator.replayGroup(groupId, group);
            }
        };
    }

    /** Load every partition; each reports to the coordinator when done. */
    void load(final Partition[] partitions)
    {
        startNs = new long[partitions.length];
        records = new long[partitions.length];
        for (int i = 0; i < partitions.length; i++)
        {
            startNs[i] = System.nanoTime();
            read(i, partitions[i], -1);
        }
    }

    /** Ask the shard for the chunk at {@code offset} (-1: the log start). */
    private void read(final int index, final Partition partition, final long offset)
    {
        shards.execute(partition.shard(), () ->
        {
            final Chunk chunk = readOnShard(partition, offset);
            coordinatorThread.accept(() -> onChunk(index, partition, chunk));
        });
    }

    private static Chunk readOnShard(final Partition partition, final long offset)
    {
        final PartitionLog log = partition.log();
        if (log == null)
        {
            return new Chunk(ErrorCodes.KAFKA_STORAGE_ERROR, null, -1, offset);
        }
        final long start = offset < 0 ? log.logStartOffset() : offset;
        final ReadResult result = new ReadResult();
        final short code = log.read(start, CHUNK_BYTES, true, result);
        if (code != ErrorCodes.NONE)
        {
            return new Chunk(code, null, result.logEndOffset, start);
        }
        final ByteBuffer bytes = ByteBuffer.allocate(result.length);
        try
        {
            while (bytes.hasRemaining())
            {
                if (result.channel.read(bytes, result.position + bytes.position()) < 0)
                {
                    return new Chunk(ErrorCodes.KAFKA_STORAGE_ERROR, null, result.logEndOffset, start);
                }
            }
        }
        catch (final IOException ex)
        {
            return new Chunk(ErrorCodes.KAFKA_STORAGE_ERROR, null, result.logEndOffset, start);
        }
        bytes.flip();
        return new Chunk(code, bytes, result.logEndOffset, start);
    }

    private void onChunk(final int index, final Partition partition, final Chunk chunk)
    {
        if (chunk.code() != ErrorCodes.NONE)
        {
            BrokerLog.warn("cannot load " + partition + " from offset " + chunk.startOffset() + ": error " + chunk.code() +
                "; its groups answer COORDINATOR_NOT_AVAILABLE");
            coordinator.onPartitionLoadFailed(index);
            return;
        }
        long next = chunk.startOffset();
        for (final RecordBatch batch : MemoryRecords.readableRecords(chunk.bytes()).batches())
        {
            next = batch.lastOffset() + 1;
            if (batch.isControlBatch())
            {
                continue;
            }
            for (final Record record : batch)
            {
                if (!record.hasKey())
                {
                    continue;
                }
                final String skipped = CoordinatorRecordDecoder.decode(
                    record.key(), record.hasValue() ? record.value() : null, replay);
                if (skipped != null)
                {
                    BrokerLog.warn(partition + " offset " + record.offset() + " skipped: " + skipped);
                }
                records[index]++;
            }
        }
        if (chunk.bytes().limit() == 0 || next >= chunk.logEndOffset())
        {
            coordinator.onPartitionLoaded(index);
            if (records[index] > 0)
            {
                BrokerLog.info("loaded " + partition + ": " + records[index] + " records in " +
                    (System.nanoTime() - startNs[index]) / 1_000_000 + " ms");
            }
            return;
        }
        read(index, partition, next);
    }
}
