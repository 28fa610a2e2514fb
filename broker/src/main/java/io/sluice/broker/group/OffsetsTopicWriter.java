package io.sluice.broker.group;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.BrokerLog;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ShardAgent;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.AppendResult;
import io.sluice.journal.PartitionLog;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.EpochClock;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Writes the coordinator's records to {@code __consumer_offsets} through the shard that owns each partition.
 * Everything appended to one partition during a coordinator duty cycle goes out as one command: a few
 * RecordBatch v2 (each request's records in one batch, so they are stored all or none), appended, then forced once
 * when the broker answers {@code acks=all} only after a force. The result comes back to the coordinator thread,
 * where the callbacks run in append order.
 *
 * <p>Threading: {@link #append}, {@link #afterPendingWrites} and {@link #flush} on the coordinator thread; the
 * appends themselves on the shards.
 */
final class OffsetsTopicWriter implements CoordinatorLog
{
    /** RecordBatch v2 header, and a generous bound on a record's own framing (lengths, attributes, deltas). */
    private static final int BATCH_OVERHEAD = 61;
    private static final int RECORD_OVERHEAD = 24;

    /** One request's records and its callback. */
    private record Write(List<CoordinatorRecord> records, IntConsumer onDone, long sequence)
    {
    }

    /** An action waiting for every write up to {@code sequence} to complete. */
    private record Waiter(long sequence, Runnable action)
    {
    }

    private final ShardProxy shards;
    private final Consumer<Runnable> coordinatorThread;
    private final EpochClock clock;
    private final boolean force;
    private final IntArrayList dirty = new IntArrayList();
    private Partition[] partitions = new Partition[0];
    private int maxBatchBytes;
    private List<Write>[] open;
    private long[] appended;
    private long[] completed;
    private ArrayDeque<Waiter>[] waiters;

    /**
     * @param coordinatorThread runs a task on the coordinator thread; callable from any thread, never blocking.
     */
    OffsetsTopicWriter(
        final ShardProxy shards, final Consumer<Runnable> coordinatorThread, final EpochClock clock, final boolean force)
    {
        this.shards = shards;
        this.coordinatorThread = coordinatorThread;
        this.clock = clock;
        this.force = force;
    }

    /** Write to these partitions from now on; batches stay within {@code maxBatchBytes} (the topic's message limit). */
    @SuppressWarnings("unchecked")
    void partitions(final Partition[] partitions, final int maxBatchBytes)
    {
        this.partitions = partitions;
        this.maxBatchBytes = maxBatchBytes;
        open = new List[partitions.length];
        waiters = new ArrayDeque[partitions.length];
        for (int i = 0; i < partitions.length; i++)
        {
            open[i] = new ArrayList<>();
            waiters[i] = new ArrayDeque<>();
        }
        appended = new long[partitions.length];
        completed = new long[partitions.length];
    }

    @Override
    public void append(final String groupId, final List<CoordinatorRecord> records, final IntConsumer onDone)
    {
        if (partitions.length == 0)
        {
            onDone.accept(BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
            return;
        }
        final int partition = GroupCoordinator.partitionFor(groupId, partitions.length);
        if (open[partition].isEmpty())
        {
            dirty.addInt(partition);
        }
        open[partition].add(new Write(records, onDone, ++appended[partition]));
    }

    @Override
    public void afterPendingWrites(final String groupId, final Runnable action)
    {
        if (partitions.length == 0)
        {
            action.run();
            return;
        }
        final int partition = GroupCoordinator.partitionFor(groupId, partitions.length);
        if (completed[partition] == appended[partition])
        {
            action.run();
            return;
        }
        waiters[partition].add(new Waiter(appended[partition], action));
    }

    /** Send what this duty cycle appended to the shards; returns the number of partitions written. */
    int flush()
    {
        final int count = dirty.size();
        for (int i = 0; i < count; i++)
        {
            final int partition = dirty.getInt(i);
            final List<Write> writes = new ArrayList<>(open[partition]);
            open[partition].clear();
            dispatch(partition, writes);
        }
        dirty.clear();
        return count;
    }

    private void dispatch(final int index, final List<Write> writes)
    {
        final List<ByteBuffer> batches = new ArrayList<>();
        final List<List<Write>> batchWrites = new ArrayList<>();
        final List<SimpleRecord> records = new ArrayList<>();
        List<Write> current = new ArrayList<>();
        int bytes = BATCH_OVERHEAD;
        final long now = clock.time();
        for (final Write write : writes)
        {
            int writeBytes = 0;
            for (final CoordinatorRecord record : write.records())
            {
                writeBytes += record.sizeInBytes() + RECORD_OVERHEAD;
            }
            if (!current.isEmpty() && bytes + writeBytes > maxBatchBytes)
            {
                batches.add(batch(records));
                batchWrites.add(current);
                records.clear();
                current = new ArrayList<>();
                bytes = BATCH_OVERHEAD;
            }
            for (final CoordinatorRecord record : write.records())
            {
                records.add(new SimpleRecord(now, record.key(), record.value()));
            }
            current.add(write);
            bytes += writeBytes;
        }
        batches.add(batch(records));
        batchWrites.add(current);

        final Partition partition = partitions[index];
        shards.execute(partition.shard(), () ->
        {
            final short[] codes = appendOnShard(partition, batches);
            coordinatorThread.accept(() -> onWritten(index, batchWrites, codes));
        });
    }

    private static ByteBuffer batch(final List<SimpleRecord> records)
    {
        return MemoryRecords.withRecords(Compression.NONE, records.toArray(new SimpleRecord[0])).buffer();
    }

    /** On the partition's shard: append each batch, then force once if the broker's policy asks. */
    private short[] appendOnShard(final Partition partition, final List<ByteBuffer> batches)
    {
        final short[] codes = new short[batches.size()];
        final PartitionLog log = partition.log();
        if (log == null)
        {
            Arrays.fill(codes, BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
            return codes;
        }
        final AppendResult result = new AppendResult();
        boolean stored = false;
        for (int i = 0; i < codes.length; i++)
        {
            try
            {
                codes[i] = log.append(batches.get(i), ShardAgent.LEADER_EPOCH, result);
            }
            catch (final RuntimeException ex)
            {
                BrokerLog.error("append to " + partition + " failed", ex);
                codes[i] = ErrorCodes.KAFKA_STORAGE_ERROR;
            }
            if (codes[i] == ErrorCodes.NONE)
            {
                log.highWatermark(log.logEndOffset());
                stored = true;
            }
        }
        if (stored && force && log.force() != ErrorCodes.NONE)
        {
            BrokerLog.warn("force of " + partition + " failed; its coordinator writes fail with KAFKA_STORAGE_ERROR");
            for (int i = 0; i < codes.length; i++)
            {
                if (codes[i] == ErrorCodes.NONE)
                {
                    codes[i] = ErrorCodes.KAFKA_STORAGE_ERROR;
                }
            }
        }
        return codes;
    }

    private void onWritten(final int partition, final List<List<Write>> batchWrites, final short[] codes)
    {
        for (int i = 0; i < codes.length; i++)
        {
            for (final Write write : batchWrites.get(i))
            {
                completed[partition] = write.sequence();
                try
                {
                    write.onDone().accept(codes[i]);
                }
                catch (final RuntimeException ex)
                {
                    BrokerLog.error("coordinator write callback failed", ex);
                }
                runWaiters(partition);
            }
        }
    }

    private void runWaiters(final int partition)
    {
        final ArrayDeque<Waiter> queue = waiters[partition];
        Waiter waiter;
        while ((waiter = queue.peek()) != null && waiter.sequence() <= completed[partition])
        {
            queue.poll();
            waiter.action().run();
        }
    }
}
