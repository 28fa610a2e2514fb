package io.sluice.broker.shard;

import com.lmax.disruptor.EventTranslatorOneArg;
import io.sluice.broker.BrokerLog;
import io.sluice.broker.metrics.BrokerCounters;
import io.sluice.journal.CleaningScheduler;
import io.sluice.journal.LogConfig;
import io.sluice.journal.PartitionLog;
import io.sluice.transport.BlockingWait;
import io.sluice.transport.LoopCompanion;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The way into the shards from every other thread: hands produce and fetch requests to the owning shards'
 * rings, runs control work on a partition's shard through its command queue, and keeps the pools of request
 * gathers.
 *
 * <p>Thread-safe. Publishing blocks (spins) while a shard's ring or command queue is full, which stops the
 * calling event loop from reading more requests: back-pressure instead of unbounded memory. Shards never
 * publish to each other, so this cannot deadlock; a colocated shard's thread, which does publish (it is an event
 * loop too), serves its own shard while it waits for room in another's.
 *
 * <p>Shards run on threads of their own, or colocated: each as the {@link LoopCompanion} of an event loop, on
 * that loop's thread (see {@link #companion}), which then starts and stops them.
 */
public final class ShardProxy implements AutoCloseable
{
    /** Work on one partition, run on the thread of the shard that owns it. */
    @FunctionalInterface
    public interface PartitionTask
    {
        /**
         * @param index     of the partition in the array given to {@link #forEach}.
         * @param partition the partition.
         * @param log       its log, or null when the partition has none (deleted, or not opened yet).
         */
        void run(int index, Partition partition, PartitionLog log);
    }

    private static final int COMMAND_QUEUE_CAPACITY = 1024;
    private static final int POOL_CAPACITY = 1024;
    private static final EventTranslatorOneArg<ShardEvent, ProduceGather> PRODUCE =
        (event, sequence, gather) -> event.produce(gather);
    private static final EventTranslatorOneArg<ShardEvent, FetchGather> FETCH =
        (event, sequence, gather) -> event.fetch(gather);

    private final ShardAgent[] agents;
    private final AgentRunner[] runners;
    private final boolean colocated;
    private final ThreadFactory threadFactory;
    private final ManyToManyConcurrentArrayQueue<ProduceGather> producePool =
        new ManyToManyConcurrentArrayQueue<>(POOL_CAPACITY);
    private final ManyToManyConcurrentArrayQueue<FetchGather> fetchPool =
        new ManyToManyConcurrentArrayQueue<>(POOL_CAPACITY);

    /**
     * @param shardCount     number of shards (threads).
     * @param ringSize       slots per shard ring, a power of two.
     * @param flushOnAcksAll answer {@code acks=all} only after the group-commit force.
     * @param idleStrategies a new idle strategy per shard, given the shard's {@link BlockingWait} (which the
     *                       threads handing it work wake) for a strategy that blocks.
     */
    public ShardProxy(
        final int shardCount,
        final int ringSize,
        final boolean flushOnAcksAll,
        final Function<BlockingWait, IdleStrategy> idleStrategies,
        final EpochClock clock)
    {
        this(shardCount, ringSize, flushOnAcksAll, idleStrategies, clock,
            BrokerCounters.inMemory(1024, shardCount, ringSize), Thread::new, null, false);
    }

    /**
     * As above, counting into {@code counters} (which must have a set for each shard), with the shard threads made
     * by {@code threadFactory} (which may pin them to CPUs; see {@link #start()}), and every log a shard serves
     * registered with {@code cleaner} (the log cleaner, which compacts the ones whose policy says so; null for none).
     * Colocated shards get no threads here (nor idle strategies): each runs on the event loop given it as
     * {@link #companion}.
     */
    public ShardProxy(
        final int shardCount,
        final int ringSize,
        final boolean flushOnAcksAll,
        final Function<BlockingWait, IdleStrategy> idleStrategies,
        final EpochClock clock,
        final BrokerCounters counters,
        final ThreadFactory threadFactory,
        final CleaningScheduler cleaner,
        final boolean colocated)
    {
        this.threadFactory = threadFactory;
        this.colocated = colocated;
        agents = new ShardAgent[shardCount];
        runners = new AgentRunner[colocated ? 0 : shardCount];
        for (int i = 0; i < shardCount; i++)
        {
            agents[i] = new ShardAgent(i, ringSize, COMMAND_QUEUE_CAPACITY, flushOnAcksAll, clock, this, counters, cleaner);
            if (!colocated)
            {
                runners[i] = new AgentRunner(
                    idleStrategies.apply(agents[i].blockingWait()), ex -> BrokerLog.error("shard error", ex), null, agents[i]);
            }
        }
    }

    /** Colocated: shard {@code shard}, for the event loop of the same number to run on its thread. */
    public LoopCompanion companion(final int shard)
    {
        if (!colocated)
        {
            throw new IllegalStateException("shards run on threads of their own");
        }
        return agents[shard];
    }

    /**
     * Start the shard threads, made by the thread factory and named for their shard ({@code sluice-shard-N}). Logs
     * attached before this are handed over with the thread start.
     */
    public void start()
    {
        if (colocated)
        {
            return;
        }
        for (final AgentRunner runner : runners)
        {
            AgentRunner.startOnThread(runner, threadFactory);
        }
    }

    public int shardCount()
    {
        return agents.length;
    }

    /** The shard that owns partition {@code partition} of {@code topic}, fixed for the broker's lifetime. */
    public int shardOf(final String topic, final int partition)
    {
        return shardOf(topic, partition, agents.length);
    }

    /** {@code hash(topic, partition) % shards}: consecutive partitions of a topic land on consecutive shards. */
    public static int shardOf(final String topic, final int partition, final int shardCount)
    {
        int hash = topic.hashCode();
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        return Math.floorMod(hash + partition, shardCount);
    }

    /** Attach an already-open log before {@link #start()} (startup recovery runs on the main thread). */
    public void attach(final Partition partition, final PartitionLog log)
    {
        agents[partition.shard()].attach(partition, log);
    }

    public ProduceGather acquireProduce()
    {
        final ProduceGather gather = producePool.poll();
        return gather != null ? gather : new ProduceGather(agents.length);
    }

    public FetchGather acquireFetch()
    {
        final FetchGather gather = fetchPool.poll();
        return gather != null ? gather : new FetchGather(agents.length);
    }

    /**
     * Hand a filled produce request to the shards that own its partitions. When none does (every partition
     * already has its error), it completes on the calling thread.
     */
    public void publish(final ProduceGather gather)
    {
        gather.seal();
        final boolean[] involved = gather.involved;
        int shards = 0;
        for (int slot = 0, count = gather.partitionCount(); slot < count; slot++)
        {
            final Partition partition = gather.partition(slot);
            if (partition != null && !involved[partition.shard()])
            {
                involved[partition.shard()] = true;
                shards++;
            }
        }
        if (shards == 0)
        {
            complete(gather);
            return;
        }
        gather.pendingShards.set(shards);
        for (int shard = 0; shard < involved.length; shard++)
        {
            if (involved[shard])
            {
                involved[shard] = false;
                publish(agents[shard], PRODUCE, gather);
            }
        }
    }

    /** Hand a filled fetch request to the shards that own its partitions (or answer it now if none does). */
    public void publish(final FetchGather gather)
    {
        final boolean[] involved = gather.involved;
        int shards = 0;
        for (int slot = 0, count = gather.partitionCount(); slot < count; slot++)
        {
            final Partition partition = gather.partition(slot);
            if (partition != null && !involved[partition.shard()])
            {
                involved[partition.shard()] = true;
                shards++;
            }
        }
        if (shards == 0)
        {
            gather.state(FetchGather.DONE);
            complete(gather);
            return;
        }
        gather.pendingShards.set(shards);
        for (int shard = 0; shard < involved.length; shard++)
        {
            if (involved[shard])
            {
                involved[shard] = false;
                publish(agents[shard], FETCH, gather);
            }
        }
    }

    private <T> void publish(
        final ShardAgent agent, final EventTranslatorOneArg<ShardEvent, T> translator, final T gather)
    {
        while (!agent.ring().tryPublishEvent(translator, gather))
        {
            if (agent.isClosed())
            {
                return;
            }
            awaitRoom();
        }
        agent.wake();
    }

    /**
     * A ring or command queue is full: wait for its shard to make room. A thread that runs a shard (colocated)
     * serves that shard meanwhile, or two of them waiting on each other's full rings would wait for ever.
     */
    private void awaitRoom()
    {
        for (final ShardAgent agent : agents)
        {
            if (agent.isOwnThread())
            {
                try
                {
                    agent.doWork();
                }
                catch (final Exception ex)
                {
                    BrokerLog.error("shard error", ex);
                }
                return;
            }
        }
        Thread.onSpinWait();
    }

    void complete(final ProduceGather gather)
    {
        try
        {
            gather.complete();
        }
        catch (final RuntimeException ex)
        {
            // A response that cannot be written would leave the client waiting for ever: hang up instead.
            BrokerLog.error("produce completion failed", ex);
            gather.connection().close("cannot answer a produce request: " + ex);
        }
        finally
        {
            gather.clear();
            if (gather.isPoolable())
            {
                producePool.offer(gather);
            }
        }
    }

    void complete(final FetchGather gather)
    {
        try
        {
            gather.complete();
        }
        catch (final RuntimeException ex)
        {
            // A response that cannot be written would leave the client waiting for ever: hang up instead.
            BrokerLog.error("fetch completion failed", ex);
            gather.connection().close("cannot answer a fetch request: " + ex);
        }
        finally
        {
            gather.clear();
            fetchPool.offer(gather);
        }
    }

    /** Run {@code command} on shard {@code shard}'s thread, in order with the other commands sent to it. */
    public void execute(final int shard, final Runnable command)
    {
        final ShardAgent agent = agents[shard];
        while (!agent.offerCommand(command))
        {
            if (agent.isClosed())
            {
                return;
            }
            awaitRoom();
        }
    }

    /**
     * Run {@code task} for each partition on its shard, then {@code onDone} once, on the thread of the shard
     * that finished last (or on the caller when there are no partitions). A task that throws is logged and
     * counts as done.
     */
    public void forEach(final Partition[] partitions, final PartitionTask task, final Runnable onDone)
    {
        if (partitions.length == 0)
        {
            onDone.run();
            return;
        }
        final AtomicInteger remaining = new AtomicInteger(partitions.length);
        for (int i = 0; i < partitions.length; i++)
        {
            final int index = i;
            final Partition partition = partitions[i];
            execute(partition.shard(), () ->
            {
                try
                {
                    task.run(index, partition, partition.log);
                }
                catch (final RuntimeException ex)
                {
                    BrokerLog.error("task on " + partition + " failed", ex);
                }
                finally
                {
                    if (remaining.decrementAndGet() == 0)
                    {
                        onDone.run();
                    }
                }
            });
        }
    }

    /**
     * Open (creating if absent) the logs of {@code partitions} on their shards, in the directory
     * {@code dirs} gives each.
     *
     * @param onDone called once with null when all opened, or with the first failure's message.
     */
    public void openLogs(
        final Partition[] partitions,
        final Function<Partition, Path> dirs,
        final LogConfig config,
        final Consumer<String> onDone)
    {
        final AtomicReference<String> failure = new AtomicReference<>();
        forEach(partitions, (index, partition, existing) ->
        {
            if (existing != null)
            {
                return;
            }
            final Path dir = dirs.apply(partition);
            try
            {
                agents[partition.shard()].attach(partition, PartitionLog.open(dir, config));
            }
            catch (final IOException | RuntimeException ex)
            {
                failure.compareAndSet(null, "cannot open log " + dir + ": " + ex.getMessage());
            }
        }, () -> onDone.accept(failure.get()));
    }

    /** Stop serving the partitions and delete their logs from disk, then call {@code onDone}. */
    public void deleteLogs(final Partition[] partitions, final Runnable onDone)
    {
        forEach(partitions, (index, partition, log) ->
        {
            if (log != null)
            {
                agents[partition.shard()].detach(partition).delete();
            }
        }, onDone);
    }

    /** Apply changed topic settings to the partitions' logs from now on, then call {@code onDone}. */
    public void configure(final Partition[] partitions, final LogConfig config, final Runnable onDone)
    {
        forEach(partitions, (index, partition, log) ->
        {
            if (log != null)
            {
                log.config(config);
            }
        }, onDone);
    }

    /**
     * Stop the shards: parked fetches are answered, logs forced and closed. Colocated shards stop with their event
     * loops; call this after the transport has closed, and it closes any whose loop never ran.
     */
    @Override
    public void close()
    {
        for (final ShardAgent agent : agents)
        {
            agent.stopBlocking();
        }
        CloseHelper.closeAll(runners);
        if (colocated)
        {
            for (final ShardAgent agent : agents)
            {
                agent.onClose();
            }
        }
    }
}
