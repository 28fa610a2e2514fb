package io.sluice.broker.shard;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.BrokerLog;
import io.sluice.broker.metrics.BrokerCounters;
import io.sluice.broker.metrics.ShardCounters;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.AppendResult;
import io.sluice.journal.CleaningScheduler;
import io.sluice.journal.PartitionLog;
import io.sluice.journal.ReadResult;
import io.sluice.transport.BlockingWait;
import io.sluice.transport.LoopCompanion;
import io.sluice.transport.ParkingWait;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A shard: the one thread that owns a fixed set of partitions and their logs. Requests arrive on a Disruptor
 * ring (produce and fetch, from the event loops) and on a bounded command queue (control work: open or delete
 * a log, list offsets, change configs), both drained with a limit per duty cycle.
 *
 * <p>Group commit: every produce of one ring poll is appended first; then, if any {@code acks=all} request
 * among them waits for durability, each log touched in the poll is forced once; only then are those requests
 * completed and the fetches parked on the touched partitions woken.
 *
 * <p>Long poll: a fetch that finds fewer than {@code minBytes} registers on its partitions and on the shard's
 * deadline wheel; an append re-reads it, the deadline answers it with what there is.
 *
 * <p>Threading: everything here runs on the shard's agent thread; other threads reach it only through
 * {@link #ring()} and {@link #offerCommand}. That thread is the shard's own, or (colocated) an event loop's, which
 * runs the shard as its {@link LoopCompanion} and is then woken through the loop's selector.
 */
public final class ShardAgent implements LoopCompanion
{
    /** Single node: the leader epoch never changes. */
    public static final int LEADER_EPOCH = 0;

    private static final int EVENT_LIMIT = 256;
    private static final int COMMAND_LIMIT = 16;
    private static final int TIMER_LIMIT = 64;
    private static final int LOG_DUTY_LIMIT = 8;
    private static final long LOG_DUTY_INTERVAL_MS = 100;
    private static final long TIMER_TICK_MS = 1;
    private static final long TIMER_TICK_NS = TimeUnit.MILLISECONDS.toNanos(TIMER_TICK_MS);

    private final int id;
    private final boolean flushOnAcksAll;
    private final EpochClock clock;
    private final ShardProxy proxy;
    private final RingBuffer<ShardEvent> ring;
    private final EventPoller<ShardEvent> poller;
    private final EventPoller.Handler<ShardEvent> eventHandler = this::onEvent;
    private final ManyToOneConcurrentArrayQueue<Runnable> commands;
    private final AppendResult appendResult = new AppendResult();
    private final ReadResult readResult = new ReadResult();
    private final BrokerCounters brokerCounters;
    private final CleaningScheduler cleaner;
    private final ParkingWait wait = new ParkingWait(this::hasWork);
    private final BlockingWait timerBoundWait = this::awaitWork;
    private final ShardCounters counters;
    private Runnable waker = wait::wake;
    private volatile Thread thread;
    private volatile boolean closed;

    private final ArrayList<Partition> owned = new ArrayList<>();
    private final ArrayList<Partition> touched = new ArrayList<>();
    private final ArrayList<ProduceGather> awaitingForce = new ArrayList<>();
    private final FetchWaiters retryWakes = new FetchWaiters();
    private final FetchWaiters.Attempt updateAttempt = this::update;
    private final DeadlineTimerWheel deadlines;
    private final DeadlineTimerWheel.TimerHandler deadlineHandler = this::onDeadline;
    private final Long2ObjectHashMap<FetchGather> timerGathers = new Long2ObjectHashMap<>();
    private final Long2LongHashMap timerGenerations = new Long2LongHashMap(-1);

    private long nowMs;
    private int eventsThisPoll;
    private int dutyCursor;
    private long nextDutyMs;

    ShardAgent(
        final int id,
        final int ringSize,
        final int commandCapacity,
        final boolean flushOnAcksAll,
        final EpochClock clock,
        final ShardProxy proxy,
        final BrokerCounters counters,
        final CleaningScheduler cleaner)
    {
        this.cleaner = cleaner;
        this.id = id;
        this.brokerCounters = counters;
        this.counters = counters.shard(id);
        this.flushOnAcksAll = flushOnAcksAll;
        this.clock = clock;
        this.proxy = proxy;
        this.ring = RingBuffer.createMultiProducer(ShardEvent::new, ringSize, new BusySpinWaitStrategy());
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        this.commands = new ManyToOneConcurrentArrayQueue<>(commandCapacity);
        this.nowMs = clock.time();
        this.deadlines = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, nowMs, TIMER_TICK_MS, 512);
    }

    @Override
    public String roleName()
    {
        return "sluice-shard-" + id;
    }

    public int id()
    {
        return id;
    }

    RingBuffer<ShardEvent> ring()
    {
        return ring;
    }

    boolean offerCommand(final Runnable command)
    {
        if (commands.offer(command))
        {
            waker.run();
            return true;
        }
        return false;
    }

    /** Any thread, after publishing to {@link #ring()}: wake the shard if it is blocked waiting for work. */
    void wake()
    {
        waker.run();
    }

    @Override
    public void wakeWith(final Runnable waker)
    {
        this.waker = waker;
    }

    /** True on the thread that runs this shard. */
    boolean isOwnThread()
    {
        return Thread.currentThread() == thread;
    }

    /** True once the shard has stopped: nothing published to it from then on is served. */
    boolean isClosed()
    {
        return closed;
    }

    /** Any thread, before stopping the shard's agent: it never blocks again and is woken if blocked. */
    void stopBlocking()
    {
        wait.stop();
    }

    /** How the shard blocks when idle (with a blocking idle strategy) until a publisher wakes it. */
    BlockingWait blockingWait()
    {
        return timerBoundWait;
    }

    private void awaitWork(final long maxNanos)
    {
        wait.await(blockBound(maxNanos));
    }

    /** Blocks no longer than one timer tick while parked fetches have deadlines, so they expire on time. */
    @Override
    public long blockBound(final long maxNanos)
    {
        return deadlines.timerCount() > 0 ? Math.min(maxNanos, TIMER_TICK_NS) : maxNanos;
    }

    /** Read by the shard thread just before it blocks: anything published, queued or due for a retry. */
    @Override
    public boolean hasWork()
    {
        return ring.getCursor() > poller.getSequence().get() || !commands.isEmpty() || retryWakes.size() > 0;
    }

    @Override
    public void onStart()
    {
        thread = Thread.currentThread();
    }

    @Override
    public int doWork() throws Exception
    {
        nowMs = clock.time();
        eventsThisPoll = 0;
        counters.ringOccupancy(ring.getCursor() - poller.getSequence().get());
        poller.poll(eventHandler);
        int work = eventsThisPoll;
        if (!touched.isEmpty())
        {
            endOfBatch();
        }
        work += drainCommands();
        if (retryWakes.size() > 0)
        {
            work += retryWakes();
        }
        work += deadlines.poll(nowMs, deadlineHandler, TIMER_LIMIT);
        work += logDuties();
        return work;
    }

    /** Answer every parked fetch with what it has, then force and close every log: a clean stop. */
    @Override
    public void onClose()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        timerGathers.forEach((timerId, gather) -> expire(gather, timerGenerations.get(timerId)));
        timerGathers.clear();
        timerGenerations.clear();
        for (final Partition partition : owned)
        {
            closeLog(partition);
        }
        owned.clear();
    }

    /**
     * Take ownership of {@code partition}'s open log. Call on the shard thread (a command), or before the
     * shard starts. On a single node every stored record is committed, so the high watermark is the log end.
     */
    void attach(final Partition partition, final PartitionLog log)
    {
        log.highWatermark(log.logEndOffset());
        if (cleaner != null)
        {
            log.cleaner(cleaner);
        }
        partition.log = log;
        if (partition.endOffsetCounter == null)
        {
            partition.endOffsetCounter = brokerCounters.partitionEndOffset(partition.topic(), partition.index());
        }
        partition.endOffsetCounter.setRelease(log.logEndOffset());
        owned.add(partition);
    }

    /** Stop serving {@code partition}: parked fetches see it gone on their next read. */
    PartitionLog detach(final Partition partition)
    {
        final PartitionLog log = partition.log;
        partition.log = null;
        owned.remove(partition);
        if (partition.endOffsetCounter != null)
        {
            partition.endOffsetCounter.close();
            partition.endOffsetCounter = null;
        }
        return log;
    }

    private boolean onEvent(final ShardEvent event, final long sequence, final boolean endOfBatch)
    {
        try
        {
            switch (event.type)
            {
                case ShardEvent.PRODUCE -> onProduce(event.produce);
                case ShardEvent.FETCH -> onFetch(event.fetch);
                default -> BrokerLog.warn("shard " + id + ": unknown event type " + event.type);
            }
        }
        finally
        {
            event.clear();
        }
        return ++eventsThisPoll < EVENT_LIMIT;
    }

    private void onProduce(final ProduceGather gather)
    {
        boolean stored = false;
        final int count = gather.partitionCount();
        for (int slot = 0; slot < count; slot++)
        {
            final Partition partition = gather.partition(slot);
            if (partition == null || partition.shard() != id)
            {
                continue;
            }
            final PartitionLog log = partition.log;
            if (log == null)
            {
                gather.result(slot, BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, -1);
                continue;
            }
            short code;
            try
            {
                code = log.append(gather.records(id, slot), LEADER_EPOCH, appendResult);
            }
            catch (final RuntimeException ex)
            {
                BrokerLog.error("append to " + partition + " failed", ex);
                code = ErrorCodes.KAFKA_STORAGE_ERROR;
            }
            if (code == ErrorCodes.NONE)
            {
                gather.result(
                    slot, code, appendResult.firstOffset, appendResult.logAppendTime, appendResult.logStartOffset);
                if (!appendResult.duplicate)
                {
                    log.highWatermark(log.logEndOffset());
                    counters.onAppend(appendResult.batchCount, appendResult.recordCount, appendResult.bytesWritten);
                    partition.endOffsetCounter.setRelease(log.logEndOffset());
                }
                // A duplicate's original may still be waiting for this very batch's force: touch it too, so
                // the retry is not acknowledged before the original is durable (the force is free otherwise).
                touch(partition);
                stored = true;
                if (partition.appendsFailing)
                {
                    partition.appendsFailing = false;
                    BrokerLog.info("appends to " + partition + " succeed again");
                }
            }
            else
            {
                if (code == ErrorCodes.KAFKA_STORAGE_ERROR && !partition.appendsFailing)
                {
                    // Once per outage, not per request: producers retry this error, often many times a second.
                    partition.appendsFailing = true;
                    BrokerLog.warn("append to " + partition + " failed, answering KAFKA_STORAGE_ERROR until one " +
                        "succeeds: " + (log.storageFailure() != null ? log.storageFailure() : "the log is closed"));
                }
                gather.result(slot, code, -1, -1, log.logStartOffset());
            }
        }

        if (stored && gather.acks() == -1 && flushOnAcksAll)
        {
            awaitingForce.add(gather);
        }
        else
        {
            partDone(gather);
        }
    }

    private void touch(final Partition partition)
    {
        if (!partition.touched)
        {
            partition.touched = true;
            touched.add(partition);
        }
    }

    /** The group commit: one force per touched log, then the acks that waited for it, then the woken fetches. */
    private void endOfBatch()
    {
        final int touchedCount = touched.size();
        if (!awaitingForce.isEmpty())
        {
            for (int i = 0; i < touchedCount; i++)
            {
                final Partition partition = touched.get(i);
                final PartitionLog log = partition.log;
                if (log == null)
                {
                    continue;
                }
                final long startNs = System.nanoTime();
                final short forced = log.force();
                counters.onForce(System.nanoTime() - startNs);
                if (forced != ErrorCodes.NONE)
                {
                    failUnforced(partition);
                }
            }
            for (int i = 0, size = awaitingForce.size(); i < size; i++)
            {
                partDone(awaitingForce.get(i));
            }
            awaitingForce.clear();
        }
        for (int i = 0; i < touchedCount; i++)
        {
            final Partition partition = touched.get(i);
            partition.touched = false;
            wake(partition);
        }
        touched.clear();
    }

    /** The batches are written but not durable: acks=all must not report success for them. */
    private void failUnforced(final Partition partition)
    {
        BrokerLog.warn("force of " + partition + " failed; answering its acks=all requests with KAFKA_STORAGE_ERROR");
        for (int i = 0, size = awaitingForce.size(); i < size; i++)
        {
            final ProduceGather gather = awaitingForce.get(i);
            for (int slot = 0, count = gather.partitionCount(); slot < count; slot++)
            {
                if (gather.partition(slot) == partition && gather.errorCode(slot) == ErrorCodes.NONE)
                {
                    gather.result(slot, ErrorCodes.KAFKA_STORAGE_ERROR, -1, -1, -1);
                }
            }
        }
    }

    private void partDone(final ProduceGather gather)
    {
        if (gather.pendingShards.decrementAndGet() == 0)
        {
            proxy.complete(gather);
        }
    }

    private void onFetch(final FetchGather gather)
    {
        final long generation = gather.generation();
        final long bytes = readFetch(gather);
        gather.shardBytes(id, bytes);
        if (gather.maxWaitMs() > 0 && bytes < gather.minBytes())
        {
            park(gather, generation);
        }
        if (gather.pendingShards.decrementAndGet() == 0)
        {
            if (gather.isSatisfied(nowMs))
            {
                finish(gather);
            }
            else
            {
                gather.state(FetchGather.PARKED);
            }
        }
    }

    /** Read every partition of {@code gather} this shard owns into its slots; returns the bytes found. */
    private long readFetch(final FetchGather gather)
    {
        long bytes = 0;
        for (int slot = 0, count = gather.partitionCount(); slot < count; slot++)
        {
            final Partition partition = gather.partition(slot);
            if (partition == null || partition.shard() != id)
            {
                continue;
            }
            final PartitionLog log = partition.log;
            if (log == null)
            {
                gather.result(slot, BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, null, 0, 0, 0);
                continue;
            }
            short code;
            try
            {
                code = log.read(gather.fetchOffset(slot), gather.readLimit(slot), true, readResult);
            }
            catch (final RuntimeException ex)
            {
                BrokerLog.error("read of " + partition + " failed", ex);
                code = ErrorCodes.KAFKA_STORAGE_ERROR;
            }
            if (code == ErrorCodes.NONE)
            {
                gather.result(
                    slot, code, readResult.highWatermark, readResult.logStartOffset,
                    readResult.length > 0 ? readResult.channel : null, readResult.position, readResult.length,
                    readResult.nextOffset);
                bytes += readResult.length;
            }
            else
            {
                gather.result(slot, code, log.highWatermark(), log.logStartOffset(), null, 0, 0, 0);
            }
        }
        return bytes;
    }

    private void park(final FetchGather gather, final long generation)
    {
        for (int slot = 0, count = gather.partitionCount(); slot < count; slot++)
        {
            final Partition partition = gather.partition(slot);
            if (partition != null && partition.shard() == id)
            {
                partition.waiters.add(gather, generation);
            }
        }
        scheduleDeadline(gather, generation, gather.deadlineMs());
    }

    private void scheduleDeadline(final FetchGather gather, final long generation, final long deadlineMs)
    {
        final long timerId = deadlines.scheduleTimer(deadlineMs);
        timerGathers.put(timerId, gather);
        timerGenerations.put(timerId, generation);
    }

    private void wake(final Partition partition)
    {
        final FetchWaiters waiters = partition.waiters;
        for (int i = 0, size = waiters.size(); i < size; i++)
        {
            final FetchGather gather = waiters.gather(i);
            final long generation = waiters.generation(i);
            if (!update(gather, generation))
            {
                retryWakes.add(gather, generation);
            }
        }
        waiters.purgeDone();
    }

    /**
     * Re-read this shard's part of a parked fetch and answer it if it now has enough.
     *
     * @return false when another shard holds the gather (or its first round is still running): retry later.
     */
    private boolean update(final FetchGather gather, final long generation)
    {
        if (gather.transition(generation, FetchGather.PARKED, FetchGather.UPDATING))
        {
            gather.shardBytes(id, readFetch(gather));
            if (gather.isSatisfied(nowMs))
            {
                finish(gather);
            }
            else
            {
                gather.state(FetchGather.PARKED);
            }
            return true;
        }
        return gather.state(generation) == FetchGather.DONE;
    }

    private int retryWakes()
    {
        return retryWakes.retryAll(updateAttempt);
    }

    private boolean onDeadline(final TimeUnit timeUnit, final long now, final long timerId)
    {
        final FetchGather gather = timerGathers.remove(timerId);
        final long generation = timerGenerations.remove(timerId);
        if (gather != null && !expire(gather, generation))
        {
            scheduleDeadline(gather, generation, now + 1);
        }
        return true;
    }

    /** Answer a parked fetch with what it has; false when another shard holds it right now. */
    private boolean expire(final FetchGather gather, final long generation)
    {
        if (gather.transition(generation, FetchGather.PARKED, FetchGather.UPDATING))
        {
            finish(gather);
            return true;
        }
        return gather.state(generation) == FetchGather.DONE;
    }

    private void finish(final FetchGather gather)
    {
        gather.applyResponseLimit();
        long bytes = 0;
        long records = 0;
        for (int slot = 0, count = gather.partitionCount(); slot < count; slot++)
        {
            if (gather.errorCode(slot) == ErrorCodes.NONE)
            {
                bytes += gather.length(slot);
                records += gather.offsetsOut(slot);
            }
        }
        counters.onFetchCompleted(bytes, records);
        gather.state(FetchGather.DONE);
        proxy.complete(gather);
    }

    private int drainCommands()
    {
        int work = 0;
        Runnable command;
        while (work < COMMAND_LIMIT && (command = commands.poll()) != null)
        {
            work++;
            try
            {
                command.run();
            }
            catch (final RuntimeException ex)
            {
                BrokerLog.error("shard " + id + " command failed", ex);
            }
        }
        return work;
    }

    /** Periodic log duties (flush.ms, segment.ms, retention), a few partitions per duty cycle. */
    private int logDuties()
    {
        if (nowMs < nextDutyMs || owned.isEmpty())
        {
            return 0;
        }
        int work = 0;
        for (int i = 0; i < LOG_DUTY_LIMIT; i++)
        {
            if (dutyCursor >= owned.size())
            {
                dutyCursor = 0;
                nextDutyMs = nowMs + LOG_DUTY_INTERVAL_MS;
                break;
            }
            final Partition partition = owned.get(dutyCursor++);
            try
            {
                work += partition.log.onTimer(nowMs);
            }
            catch (final RuntimeException ex)
            {
                BrokerLog.error("log duties of " + partition + " failed", ex);
            }
        }
        return work;
    }

    private static void closeLog(final Partition partition)
    {
        final PartitionLog log = partition.log;
        partition.log = null;
        if (log != null)
        {
            try
            {
                log.close();
            }
            catch (final RuntimeException ex)
            {
                BrokerLog.error("closing " + partition + " failed", ex);
            }
        }
    }
}
