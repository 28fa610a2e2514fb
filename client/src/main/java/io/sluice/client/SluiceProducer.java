package io.sluice.client;

import io.sluice.codecs.record.Varints;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import static io.sluice.client.ClientErrorCodes.UNKNOWN_TOPIC_OR_PARTITION;

/**
 * Sends records to Sluice over the native protocol. Records are appended to a Kafka RecordBatch v2 per partition
 * (uncompressed) inside the very frame that will carry it; a batch is sent when it is full or has waited
 * {@code lingerMs}, by the producer's one I/O thread, with at most {@code maxInFlightPerPartition} batches per
 * partition in flight. Idempotent by default: the producer takes a producer id and numbers every partition's
 * records, so a batch sent again after a reconnect is stored once. With {@code acks=0} there is no idempotence
 * (nothing would report a gap) and records complete once written to the socket.
 *
 * <pre>{@code
 * try (SluiceProducer producer = new SluiceProducer(new ClientContext().bootstrap("127.0.0.1:9093")))
 * {
 *     producer.send("prices", key, value, callback, 42L);              // no allocation once warm
 *     long offset = producer.send("prices", key, value).join();         // a future per record
 *     RecordClaim claim = new RecordClaim();
 *     if (producer.tryClaim("prices", 0, 100, claim))                   // zero copy
 *     {
 *         claim.buffer().putLong(claim.offset(), price);
 *         claim.commit(callback, 43L);
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may send; sends serialise on one lock held only while a record is
 * copied into its batch (and from a claim to its commit). Callbacks run on the I/O thread. With
 * {@link ClientContext#producerInvoker(boolean)} there is no I/O thread: one application thread calls
 * {@link #invoke()} to do the I/O, callbacks run inside it, and that thread must be the one that flushes and
 * closes (their waits, and a send's wait for metadata or for a free batch, run {@link #invoke()} rather than
 * sleep). The first thread to run the I/O keeps it: anything that would run it on another thread throws
 * {@link IllegalStateException}, where two threads in the I/O at once would corrupt it. Nothing is allocated
 * per record by {@link #send(OutgoingRecord, SendCallback, long)} and the claim API once the producer is warm
 * (topic metadata known, batches pooled); the future-returning send allocates its future.
 */
public final class SluiceProducer implements AutoCloseable
{

    private final ClientContext context;
    private final long lingerNs;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentHashMap<String, TopicState> topics = new ConcurrentHashMap<>();
    /** Under the lock: free batches, used last-in first-out so the few in use stay warm in cache. */
    private final ArrayDeque<ProducerBatch> freeBatches;
    /** Batches the I/O thread is done with, on their way back to {@link #freeBatches}. */
    private final ManyToOneConcurrentArrayQueue<ProducerBatch> returnedBatches;
    private final Consumer<ProducerBatch> toFree;
    private final ManyToOneConcurrentArrayQueue<ProducerBatch> sealed;
    private final ManyToOneConcurrentArrayQueue<MetadataWaiter> metadataWanted = new ManyToOneConcurrentArrayQueue<>(1024);
    private final ArrayList<ProducerBatch> openBatches = new ArrayList<>();
    private final AtomicLong sealedCount = new AtomicLong();
    private final AtomicLong completedCount = new AtomicLong();
    private final ThreadLocal<OutgoingRecord> simpleRecords = ThreadLocal.withInitial(OutgoingRecord::new);
    private final ProducerSender sender;
    private final AgentRunner runner;
    private final AgentInvoker invoker;
    /** Invoker mode: the one thread that runs the I/O, the first that did. */
    private final AtomicReference<Thread> invokingThread = new AtomicReference<>();
    private volatile long lingerDeadlineNs = Long.MAX_VALUE;
    private volatile boolean closed;

    /** A send waiting for a topic's metadata, answered by the I/O thread. */
    static final class MetadataWaiter
    {
        final String topic;
        volatile TopicState state;
        volatile SluiceException error;

        MetadataWaiter(final String topic)
        {
            this.topic = topic;
        }
    }

    /**
     * Connect (in the background: the first send waits for metadata up to {@code maxBlockMs}) and start the I/O
     * thread, or in invoker mode leave the I/O, connecting included, to {@link #invoke()}.
     */
    public SluiceProducer(final ClientContext context)
    {
        this.context = context.conclude();
        this.lingerNs = TimeUnit.MILLISECONDS.toNanos(context.lingerMs());
        final int batches = (int)Math.min(1 << 20, context.bufferMemoryBytes() / context.batchSizeBytes());
        freeBatches = new ArrayDeque<>(batches);
        returnedBatches = new ManyToOneConcurrentArrayQueue<>(batches);
        toFree = freeBatches::addFirst;
        sealed = new ManyToOneConcurrentArrayQueue<>(batches + 64);
        for (int i = 0; i < batches; i++)
        {
            freeBatches.addLast(new ProducerBatch(context.batchSizeBytes(), true));
        }
        sender = new ProducerSender(this, context, batches + 64);
        if (context.producerInvoker())
        {
            runner = null;
            invoker = new AgentInvoker(ex -> { }, null, sender);
            invoker.start();
        }
        else
        {
            invoker = null;
            runner = new AgentRunner(sender.idleStrategy(), ex -> { }, null, sender);
            AgentRunner.startOnThread(runner);
        }
    }

    /**
     * Invoker mode only: one duty cycle of the producer's I/O on the calling thread (connect, send sealed batches,
     * read acknowledgements and run their callbacks). Never blocks.
     *
     * @return the work done; 0 when there was nothing to do.
     * @throws IllegalStateException when the producer runs its own I/O thread, or when another thread runs its I/O.
     */
    public int invoke()
    {
        if (invoker == null)
        {
            throw new IllegalStateException("the producer runs its own I/O thread (ClientContext.producerInvoker is false)");
        }
        return invokeOnOwnThread();
    }

    /** Send {@code value} with {@code key} (either may be null) to a partition the producer chooses. */
    public void send(
        final String topic, final byte[] key, final byte[] value, final SendCallback callback, final long context)
    {
        send(simpleRecords.get().reset().topic(topic).key(key).value(value), callback, context);
    }

    /**
     * Send {@code value} with {@code key}; the future completes with the record's offset (-1 with
     * {@code acks=0}) or exceptionally with a {@link SluiceException}. Allocates the future.
     */
    public CompletableFuture<Long> send(final String topic, final byte[] key, final byte[] value)
    {
        final CompletableFuture<Long> future = new CompletableFuture<>();
        send(topic, key, value, (t, partition, offset, ignored, error) ->
        {
            if (error != null)
            {
                future.completeExceptionally(error);
            }
            else
            {
                future.complete(offset);
            }
        }, 0);
        return future;
    }

    /**
     * Send {@code record}: its bytes are copied into a batch before this returns. Blocks up to {@code maxBlockMs}
     * for the topic's metadata (first use only) or for a free batch (when every batch is in use).
     *
     * @param callback told when the record is acknowledged or failed; may be null.
     * @param context  handed back to {@code callback}.
     * @throws SluiceException        when the topic does not exist (and may not be created) or the partition is out
     *                                of range.
     * @throws SluiceTimeoutException when metadata or a free batch does not come within {@code maxBlockMs}.
     */
    public void send(final OutgoingRecord record, final SendCallback callback, final long context)
    {
        final TopicState topic = topic(record.topic());
        final long timestamp = record.timestamp() == OutgoingRecord.NOW ? System.currentTimeMillis() : record.timestamp();
        int headersSize = 0;
        for (int i = 0, count = record.headerCount(); i < count; i++)
        {
            final byte[] key = record.headerKey(i);
            final byte[] value = record.headerValue(i);
            headersSize += Varints.sizeOfZigZagInt(key.length) + key.length +
                Varints.sizeOfZigZagInt(value == null ? -1 : value.length) +
                (value == null ? 0 : value.length);
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(this.context.maxBlockMs());
        lock.lock();
        try
        {
            final int partition = partition(topic, record.partition(), record.keyBuffer(), record.keyOffset(),
                record.keyLength());
            final int valueLength = record.valueLength();
            ProducerBatch batch = topic.open[partition];
            int valueAt = batch == null ? -1 : batch.appendPrefix(timestamp, record.keyBuffer(), record.keyOffset(),
                record.keyLength(), valueLength, headersSize, record.headerCount());
            if (valueAt < 0)
            {
                final int size = ProducerBatch.recordSize(0, 0, record.keyLength(), valueLength, headersSize,
                    record.headerCount());
                batch = newBatch(topic, partition, size, deadlineNs, true);
                valueAt = batch.appendPrefix(timestamp, record.keyBuffer(), record.keyOffset(),
                    record.keyLength(), valueLength, headersSize, record.headerCount());
            }
            int at = valueAt;
            if (valueLength > 0)
            {
                batch.buffer.putBytes(at, record.valueBuffer(), record.valueOffset(), valueLength);
                at += valueLength;
            }
            at += Varints.putZigZagInt(batch.buffer, at, record.headerCount());
            for (int i = 0, count = record.headerCount(); i < count; i++)
            {
                final byte[] key = record.headerKey(i);
                final byte[] value = record.headerValue(i);
                at += Varints.putZigZagInt(batch.buffer, at, key.length);
                batch.buffer.putBytes(at, key);
                at += key.length;
                at += Varints.putZigZagInt(batch.buffer, at, value == null ? -1 : value.length);
                if (value != null)
                {
                    batch.buffer.putBytes(at, value);
                    at += value.length;
                }
            }
            batch.commit(at, callback, context);
            sealIfFull(batch);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Claim room for a keyless record of {@code valueLength} bytes, timestamped now, in the batch of
     * {@code partition} ({@link OutgoingRecord#ANY_PARTITION} for the producer's choice), without blocking. On
     * success the producer stays locked until {@link RecordClaim#commit} or {@link RecordClaim#abort}.
     *
     * @return false when no batch is free right now (back-pressure): try again later.
     * @throws SluiceException when the topic is unknown or the partition is out of range.
     */
    public boolean tryClaim(final String topic, final int partition, final int valueLength, final RecordClaim claim)
    {
        final TopicState state = topic(topic);
        final long timestamp = System.currentTimeMillis();
        lock.lock();
        boolean claimed = false;
        try
        {
            final int chosen = partition(state, partition, null, 0, -1);
            ProducerBatch batch = state.open[chosen];
            int valueAt = batch == null ? -1 : batch.appendPrefix(timestamp, null, 0, -1, valueLength, 0, 0);
            if (valueAt < 0)
            {
                batch = newBatch(state, chosen, ProducerBatch.recordSize(0, 0, -1, valueLength, 0, 0), 0, false);
                if (batch == null)
                {
                    return false;
                }
                valueAt = batch.appendPrefix(timestamp, null, 0, -1, valueLength, 0, 0);
            }
            claim.wrap(this, batch, valueAt, valueLength);
            claimed = true;
            return true;
        }
        finally
        {
            if (!claimed)
            {
                lock.unlock();
            }
        }
    }

    void commitClaim(final ProducerBatch batch, final int valueEnd, final SendCallback callback, final long context)
    {
        try
        {
            final int end = valueEnd + Varints.putZigZagInt(batch.buffer, valueEnd, 0);
            batch.commit(end, callback, context);
            sealIfFull(batch);
        }
        finally
        {
            lock.unlock();
        }
    }

    void abortClaim()
    {
        // The claimed record was never committed: the batch's position and count did not move.
        lock.unlock();
    }

    /**
     * Send every batch now (linger or not) and wait until every record sent before this call is acknowledged or
     * failed.
     */
    public void flush()
    {
        lock.lock();
        try
        {
            for (int i = openBatches.size() - 1; i >= 0; i--)
            {
                final ProducerBatch batch = openBatches.get(i);
                if (batch.recordCount > 0)
                {
                    seal(batch);
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        final long target = sealedCount.get();
        while (completedCount.get() < target && !closed)
        {
            awaitIo(100_000);
        }
    }

    /** Send what is buffered, wait for it (up to {@code deliveryTimeoutMs}), then stop the I/O thread. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        if (invoker != null)
        {
            checkInvokingThread();
        }
        final Thread flusher = Thread.currentThread();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(context.deliveryTimeoutMs());
        lock.lock();
        try
        {
            for (int i = openBatches.size() - 1; i >= 0; i--)
            {
                if (openBatches.get(i).recordCount > 0)
                {
                    seal(openBatches.get(i));
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        final long target = sealedCount.get();
        while (completedCount.get() < target && System.nanoTime() - deadlineNs < 0 && !flusher.isInterrupted())
        {
            awaitIo(100_000);
        }
        closed = true;
        if (runner != null)
        {
            runner.close();
        }
        else
        {
            invoker.close();
        }
        sender.failAll(new SluiceException(SluiceException.CLIENT_ERROR, "producer closed before the record was sent"));
    }

    /** Wait for the I/O to make progress: sleep while the I/O thread works, or do the work in invoker mode. */
    private void awaitIo(final long sleepNs)
    {
        if (invoker != null)
        {
            invokeOnOwnThread();
        }
        else
        {
            LockSupport.parkNanos(sleepNs);
        }
    }

    private int invokeOnOwnThread()
    {
        checkInvokingThread();
        return invoker.invoke();
    }

    private void checkInvokingThread()
    {
        final Thread current = Thread.currentThread();
        final Thread owner = invokingThread.get();
        if (owner != current && (owner != null || !invokingThread.compareAndSet(null, current)))
        {
            throw new IllegalStateException("invoker mode: the producer's I/O runs on thread '" +
                invokingThread.get().getName() + "' only, not on '" + current.getName() + "'");
        }
    }

    private TopicState topic(final String name)
    {
        if (closed)
        {
            throw new IllegalStateException("producer is closed");
        }
        final TopicState known = topics.get(name);
        if (known != null)
        {
            return known;
        }
        final MetadataWaiter waiter = new MetadataWaiter(name);
        while (!metadataWanted.offer(waiter))
        {
            Thread.onSpinWait();
        }
        sender.wake();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(context.maxBlockMs());
        while (waiter.state == null && waiter.error == null)
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new SluiceTimeoutException("metadata for topic '" + name + "' from " + context.bootstrap() +
                    " did not come within " + context.maxBlockMs() + " ms (" + sender.connectionState() + ")");
            }
            awaitIo(100_000);
        }
        if (waiter.error != null)
        {
            throw waiter.error;
        }
        return waiter.state;
    }

    private int partition(
        final TopicState topic, final int wanted, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        if (wanted >= 0)
        {
            if (wanted >= topic.partitionCount)
            {
                throw new SluiceException(UNKNOWN_TOPIC_OR_PARTITION,
                    "topic '" + topic.name + "' has " + topic.partitionCount + " partitions; there is no partition " +
                    wanted);
            }
            return wanted;
        }
        if (keyLength >= 0)
        {
            return Partitioner.partition(key, keyOffset, keyLength, topic.partitionCount);
        }
        return topic.sticky;
    }

    /** Under the lock: seal the partition's current batch (if any) and open a new one that fits {@code recordSize}. */
    private ProducerBatch newBatch(
        final TopicState topic, final int partition, final int recordSize, final long deadlineNs, final boolean block)
    {
        final ProducerBatch current = topic.open[partition];
        if (current != null && current.recordCount > 0)
        {
            seal(current);
        }
        else if (current != null)
        {
            // An empty batch too small for this record (an aborted claim left it): give it back.
            closeEmpty(current);
        }
        final long nowNs = System.nanoTime();
        ProducerBatch batch;
        if (recordSize > context.batchSizeBytes())
        {
            batch = new ProducerBatch(recordSize, false);
        }
        else
        {
            batch = pollFree();
            while (batch == null)
            {
                if (!block)
                {
                    return null;
                }
                if (System.nanoTime() - deadlineNs >= 0)
                {
                    throw new SluiceTimeoutException("no free batch within " + context.maxBlockMs() +
                        " ms: bufferMemoryBytes is in use by records not yet acknowledged (" + sender.connectionState() + ")");
                }
                sender.wake();
                lock.unlock();
                try
                {
                    awaitIo(20_000);
                }
                finally
                {
                    lock.lock();
                }
                batch = pollFree();
            }
            if (topic.open[partition] != null)
            {
                // Another sender opened one for this partition while the lock was let go: fill that first.
                final ProducerBatch other = topic.open[partition];
                if (other.remaining() >= recordSize)
                {
                    freeBatches.addFirst(batch);
                    return other;
                }
                seal(other);
            }
        }
        batch.open(topic, partition, nowNs);
        topic.open[partition] = batch;
        openBatches.add(batch);
        if (openBatches.size() == 1)
        {
            lingerDeadlineNs = nowNs + lingerNs;
            // The I/O thread may be asleep with no batch to wait for: it must learn when this one is due.
            sender.wake();
        }
        return batch;
    }

    private void sealIfFull(final ProducerBatch batch)
    {
        if (batch.remaining() < ProducerBatch.MIN_RECORD_OVERHEAD + 8 || !batch.pooled)
        {
            seal(batch);
        }
    }

    /** Under the lock: hand a batch to the I/O thread. */
    void seal(final ProducerBatch batch)
    {
        final TopicState topic = batch.topic;
        topic.open[batch.partition] = null;
        if (batch.partition == topic.sticky && topic.partitionCount > 1)
        {
            topic.sticky = (topic.sticky + 1) % topic.partitionCount;
        }
        openBatches.remove(batch);
        lingerDeadlineNs = openBatches.isEmpty() ? Long.MAX_VALUE : openBatches.get(0).createdNs + lingerNs;
        sealedCount.incrementAndGet();
        while (!sealed.offer(batch))
        {
            Thread.onSpinWait();
        }
        sender.wake();
    }

    private void closeEmpty(final ProducerBatch batch)
    {
        batch.topic.open[batch.partition] = null;
        openBatches.remove(batch);
        lingerDeadlineNs = openBatches.isEmpty() ? Long.MAX_VALUE : openBatches.get(0).createdNs + lingerNs;
        batch.clear();
        if (batch.pooled)
        {
            freeBatches.addFirst(batch);
        }
    }

    /** Under the lock: the batch freed last, or null when every batch is in use. */
    private ProducerBatch pollFree()
    {
        returnedBatches.drain(toFree);
        return freeBatches.pollFirst();
    }

    /**
     * I/O thread: seal the batches that have waited {@code lingerMs} and whose partition may take another batch.
     *
     * @return how many were sealed.
     */
    int sealLingering(final long nowNs, final int maxInFlight)
    {
        if (nowNs - lingerDeadlineNs < 0 || !lock.tryLock())
        {
            return 0;
        }
        int sealedNow = 0;
        try
        {
            for (int i = 0; i < openBatches.size(); )
            {
                final ProducerBatch batch = openBatches.get(i);
                if (nowNs - (batch.createdNs + lingerNs) < 0)
                {
                    break;
                }
                if (batch.recordCount > 0 && batch.topic.inFlight[batch.partition] < maxInFlight)
                {
                    seal(batch);
                    sealedNow++;
                }
                else
                {
                    i++;
                }
            }
            if (sealedNow == 0 && !openBatches.isEmpty())
            {
                // Everything due waits for its partition's in-flight batches: look again shortly.
                lingerDeadlineNs = nowNs + Math.max(lingerNs, 50_000);
            }
        }
        finally
        {
            lock.unlock();
        }
        return sealedNow;
    }

    ManyToOneConcurrentArrayQueue<ProducerBatch> sealedBatches()
    {
        return sealed;
    }

    ManyToOneConcurrentArrayQueue<MetadataWaiter> metadataWanted()
    {
        return metadataWanted;
    }

    ConcurrentHashMap<String, TopicState> topics()
    {
        return topics;
    }

    long lingerDeadlineNs()
    {
        return lingerDeadlineNs;
    }

    /** I/O thread: a sealed batch is done (acknowledged or failed); pooled ones go back. */
    void release(final ProducerBatch batch)
    {
        batch.clear();
        if (batch.pooled)
        {
            returnedBatches.offer(batch);
        }
        completedCount.incrementAndGet();
    }
}
