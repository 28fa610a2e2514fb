package io.sluice.client;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.ErrorResponseDecoder;
import io.sluice.codecs.sbe.InitProducerIdRequestEncoder;
import io.sluice.codecs.sbe.InitProducerIdResponseDecoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.codecs.sbe.MessageHeaderEncoder;
import io.sluice.codecs.sbe.MetadataResponseDecoder;
import io.sluice.codecs.sbe.ProduceRequestEncoder;
import io.sluice.codecs.sbe.ProduceResponseDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static io.sluice.client.ClientErrorCodes.UNKNOWN_TOPIC_ID;
import static io.sluice.client.ClientErrorCodes.UNKNOWN_TOPIC_OR_PARTITION;

/**
 * The producer's I/O thread: takes sealed batches, numbers and stamps them, writes them to the broker with at
 * most {@code maxInFlightPerPartition} per partition in flight, matches each response to its batch (responses
 * come back in request order) and runs the records' callbacks. It also fetches topic metadata for senders and
 * takes the producer id. A lost connection is re-established with backoff and every unanswered batch is sent
 * again, unchanged, so the broker's duplicate check stores it once; a request unanswered for
 * {@code requestTimeoutMs} drops the connection; a batch not acknowledged within {@code deliveryTimeoutMs} fails.
 * After a batch fails, an idempotent producer waits for its in-flight batches, then takes a new producer id and
 * numbers from 0 again, so one refused batch cannot wedge a partition.
 *
 * <p>Threading: everything here runs on the I/O thread, except {@link #wake()} (any thread) and
 * {@link #failAll} (the closing thread, once this agent has stopped).
 */
final class ProducerSender implements Agent
{
    private static final int METADATA = 1;
    private static final int INIT_PRODUCER_ID = 2;
    private static final long MAX_SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MIN_SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A control request in flight. */
    private static final class ControlCall
    {
        final int kind;
        final int correlationId;
        final ByteBuffer frame;
        long sentNs;

        ControlCall(final int kind, final int correlationId, final ByteBuffer frame)
        {
            this.kind = kind;
            this.correlationId = correlationId;
            this.frame = frame;
        }
    }

    private final SluiceProducer producer;
    private final NativeConnection connection;
    private final ControlRequests control = new ControlRequests();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ProduceRequestEncoder produceEncoder = new ProduceRequestEncoder();
    private final InitProducerIdRequestEncoder initEncoder = new InitProducerIdRequestEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ProduceResponseDecoder produceResponse = new ProduceResponseDecoder();
    private final InitProducerIdResponseDecoder initResponse = new InitProducerIdResponseDecoder();
    private final ErrorResponseDecoder errorResponse = new ErrorResponseDecoder();
    private final ArrayDeque<ProducerBatch> pending;
    private final Consumer<ProducerBatch> toPending;
    private final Consumer<SluiceProducer.MetadataWaiter> toWaiters = this::onMetadataWanted;
    private final List<String> wantedNames = new ArrayList<>();
    private final ArrayDeque<Object> inFlight;
    private final ArrayDeque<ProducerBatch> unacknowledged;
    private final Map<String, List<SluiceProducer.MetadataWaiter>> waiters = new HashMap<>();
    private final String address;
    private final int acks;
    private final boolean idempotent;
    private final int maxInFlight;
    private final int timeoutMs;
    private final long requestTimeoutNs;
    private final long deliveryTimeoutNs;
    private final long retryBackoffNs;
    private final boolean autoCreate;

    private long producerId = -1;
    private short producerEpoch = -1;
    private boolean producerIdInFlight;
    private boolean newProducerIdNeeded;
    private long nextProducerIdAttemptNs;
    private int batchesInFlight;
    private int correlationIds;
    private int connectionEpoch;
    private volatile boolean sleeping;
    private Thread ioThread;

    ProducerSender(final SluiceProducer producer, final ClientContext context, final int capacity)
    {
        this.producer = producer;
        this.connection = new NativeConnection(context, capacity + 16);
        this.pending = new ArrayDeque<>(capacity);
        this.toPending = pending::addLast;
        this.inFlight = new ArrayDeque<>(capacity);
        this.unacknowledged = new ArrayDeque<>(capacity);
        this.address = context.bootstrap();
        this.acks = context.acks();
        this.idempotent = context.idempotence() && context.acks() != 0;
        this.maxInFlight = context.maxInFlightPerPartition();
        this.timeoutMs = (int)Math.min(Integer.MAX_VALUE, context.requestTimeoutMs());
        this.requestTimeoutNs = TimeUnit.MILLISECONDS.toNanos(context.requestTimeoutMs());
        this.deliveryTimeoutNs = TimeUnit.MILLISECONDS.toNanos(context.deliveryTimeoutMs());
        this.retryBackoffNs = TimeUnit.MILLISECONDS.toNanos(context.reconnectBackoffMs());
        this.autoCreate = context.autoCreateTopics();
    }

    @Override
    public void onStart()
    {
        ioThread = Thread.currentThread();
    }

    @Override
    public String roleName()
    {
        return "sluice-producer-io";
    }

    /**
     * Make a sleeping I/O thread look at its queues now. Any thread. It sleeps in the selector or parked (see
     * {@link #idleStrategy()}), and which one is decided after {@code sleeping} is set, so both are woken: the
     * other call is cheap (an unpark of a thread that is not parked is no system call; a selector wakeup makes
     * its next select return at once).
     */
    void wake()
    {
        if (sleeping)
        {
            connection.wakeup();
            LockSupport.unpark(ioThread);
        }
    }

    /** For exception messages: connected, or why not. */
    String connectionState()
    {
        final String failure = connection.failure();
        return failure == null ? "connected to " + address : failure;
    }

    @Override
    public int doWork()
    {
        final long nowNs = System.nanoTime();
        int work = producer.sealLingering(nowNs, maxInFlight);
        work += drainSealed();
        if (!connection.connect(nowNs))
        {
            return work + expire(nowNs);
        }
        if (connection.epoch() != connectionEpoch)
        {
            connectionEpoch = connection.epoch();
            resend(nowNs);
            work++;
        }
        work += requestMetadata(nowNs);
        work += requestProducerId(nowNs);
        work += sendPending(nowNs);
        if (connection.flush(nowNs) > 0)
        {
            work++;
        }
        work += completeWritten();
        work += receive(nowNs);
        return work + checkTimeouts(nowNs);
    }

    @Override
    public void onClose()
    {
        connection.close();
    }

    private int drainSealed()
    {
        return producer.sealedBatches().drain(toPending);
    }

    /** A new connection: every request still unanswered goes again, in its original order, unchanged. */
    private void resend(final long nowNs)
    {
        for (final Object request : inFlight)
        {
            final ByteBuffer frame;
            if (request instanceof ProducerBatch batch)
            {
                batch.rewind();
                batch.sentNs = nowNs;
                frame = batch.byteBuffer;
            }
            else
            {
                final ControlCall call = (ControlCall)request;
                call.frame.rewind();
                call.sentNs = nowNs;
                frame = call.frame;
            }
            connection.enqueue(frame);
        }
        while (!unacknowledged.isEmpty())
        {
            final ProducerBatch batch = unacknowledged.pollFirst();
            complete(batch, -1, batch.byteBuffer.hasRemaining() ?
                new SluiceException(SluiceException.CLIENT_ERROR, "acks=0 batch to " + batch.topic.name + "-" +
                    batch.partition + " was cut off by a lost connection (" + connection.failure() + ")") : null);
        }
    }

    private int requestMetadata(final long nowNs)
    {
        if (producer.metadataWanted().isEmpty())
        {
            return 0;
        }
        producer.metadataWanted().drain(toWaiters);
        if (wantedNames.isEmpty())
        {
            return 1;
        }
        final int correlationId = ++correlationIds;
        send(new ControlCall(METADATA, correlationId, control.metadata(correlationId, wantedNames, autoCreate, false)), nowNs);
        wantedNames.clear();
        return 1;
    }

    private void onMetadataWanted(final SluiceProducer.MetadataWaiter waiter)
    {
        final TopicState known = producer.topics().get(waiter.topic);
        if (known != null)
        {
            waiter.state = known;
            return;
        }
        final List<SluiceProducer.MetadataWaiter> list = waiters.computeIfAbsent(waiter.topic, name -> new ArrayList<>());
        if (list.isEmpty())
        {
            wantedNames.add(waiter.topic);
        }
        list.add(waiter);
    }

    private int requestProducerId(final long nowNs)
    {
        if (!idempotent || producerIdInFlight || nowNs - nextProducerIdAttemptNs < 0)
        {
            return 0;
        }
        if (newProducerIdNeeded)
        {
            if (batchesInFlight > 0)
            {
                return 0;
            }
            newProducerIdNeeded = false;
            producerId = -1;
            for (final TopicState topic : producer.topics().values())
            {
                Arrays.fill(topic.nextSequence, 0);
            }
        }
        if (producerId >= 0)
        {
            return 0;
        }
        final int correlationId = ++correlationIds;
        final ExpandableArrayBuffer buffer = ControlRequests.newRequestBuffer();
        initEncoder.wrapAndApplyHeader(buffer, ControlRequests.MESSAGE_OFFSET, headerEncoder).correlationId(correlationId);
        send(new ControlCall(INIT_PRODUCER_ID, correlationId,
            ControlRequests.frame(buffer, MessageHeaderEncoder.ENCODED_LENGTH + initEncoder.encodedLength())), nowNs);
        producerIdInFlight = true;
        return 1;
    }

    private void send(final ControlCall call, final long nowNs)
    {
        call.sentNs = nowNs;
        inFlight.addLast(call);
        connection.enqueue(call.frame);
    }

    private int sendPending(final long nowNs)
    {
        int sent = 0;
        while (!pending.isEmpty())
        {
            final ProducerBatch batch = pending.peekFirst();
            final TopicState topic = batch.topic;
            if ((idempotent && (producerId < 0 || newProducerIdNeeded)) || topic.inFlight[batch.partition] >= maxInFlight)
            {
                break;
            }
            pending.pollFirst();
            int baseSequence = -1;
            if (idempotent)
            {
                baseSequence = topic.nextSequence[batch.partition];
                final long next = (long)baseSequence + batch.recordCount;
                topic.nextSequence[batch.partition] = (int)(next > Integer.MAX_VALUE ? next - Integer.MAX_VALUE - 1 : next);
            }
            batch.stamp(produceEncoder, headerEncoder, ++correlationIds, acks, timeoutMs,
                idempotent ? producerId : -1, idempotent ? producerEpoch : -1, baseSequence);
            batch.sentNs = nowNs;
            connection.enqueue(batch.byteBuffer);
            if (acks == 0)
            {
                unacknowledged.addLast(batch);
            }
            else
            {
                topic.inFlight[batch.partition]++;
                batchesInFlight++;
                inFlight.addLast(batch);
            }
            sent++;
        }
        return sent;
    }

    /** acks=0: a batch is done once the socket has taken all of it. */
    private int completeWritten()
    {
        int completed = 0;
        while (!unacknowledged.isEmpty() && !unacknowledged.peekFirst().byteBuffer.hasRemaining())
        {
            complete(unacknowledged.pollFirst(), -1, null);
            completed++;
        }
        return completed;
    }

    private int receive(final long nowNs)
    {
        if (connection.receive(nowNs) <= 0)
        {
            return 0;
        }
        int frames = 0;
        int length;
        while ((length = connection.nextFrame()) >= 0)
        {
            frames++;
            if (!onFrame(connection.buffer(), connection.frameOffset(), length, nowNs))
            {
                break;
            }
        }
        return frames;
    }

    /** @return false when the connection was dropped because the frame made no sense. */
    private boolean onFrame(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        final int correlationId = RequestCaller.correlationId(buffer, offset, length);
        final Object request = inFlight.peekFirst();
        final int expected = request == null ? -1 : request instanceof ProducerBatch batch ?
            batch.correlationId : ((ControlCall)request).correlationId;
        if (correlationId != expected)
        {
            connection.disconnect(nowNs, "broker answered request " + correlationId + " while " + expected + " was due");
            return false;
        }
        inFlight.pollFirst();
        headerDecoder.wrap(buffer, offset);
        final boolean isError = headerDecoder.templateId() == ErrorResponseDecoder.TEMPLATE_ID;
        if (isError)
        {
            errorResponse.wrapAndApplyHeader(buffer, offset, headerDecoder);
        }
        if (request instanceof ProducerBatch batch)
        {
            onProduced(batch, buffer, offset, isError);
        }
        else if (((ControlCall)request).kind == METADATA)
        {
            onMetadata(buffer, offset, isError);
        }
        else
        {
            onProducerId(buffer, offset, isError, nowNs);
        }
        return true;
    }

    private void onProduced(final ProducerBatch batch, final DirectBuffer buffer, final int offset, final boolean isError)
    {
        final TopicState topic = batch.topic;
        topic.inFlight[batch.partition]--;
        batchesInFlight--;
        final short code;
        final long baseOffset;
        final String message;
        if (isError)
        {
            code = errorResponse.errorCode();
            baseOffset = -1;
            message = errorResponse.message();
        }
        else
        {
            produceResponse.wrapAndApplyHeader(buffer, offset, headerDecoder);
            final ProduceResponseDecoder.PartitionsDecoder result = produceResponse.partitions().next();
            code = result.errorCode();
            baseOffset = result.baseOffset();
            message = code == ErrorCodes.NONE ? null : result.errorMessage();
        }
        if (code == ErrorCodes.NONE)
        {
            complete(batch, baseOffset, null);
            return;
        }
        if (idempotent)
        {
            newProducerIdNeeded = true;
        }
        if (code == UNKNOWN_TOPIC_OR_PARTITION || code == UNKNOWN_TOPIC_ID)
        {
            producer.topics().remove(topic.name, topic);
        }
        complete(batch, -1, new SluiceException(code, "produce to " + topic.name + "-" + batch.partition +
            " failed with error " + code + (message == null || message.isEmpty() ? "" : ": " + message)));
    }

    private void onMetadata(final DirectBuffer buffer, final int offset, final boolean isError)
    {
        if (isError)
        {
            failWaiters(new SluiceException(errorResponse.errorCode(), "metadata failed: " + errorResponse.message()));
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.templateId() != MetadataResponseDecoder.TEMPLATE_ID)
        {
            failWaiters(new SluiceException(SluiceException.CLIENT_ERROR, "metadata answered with template " +
                headerDecoder.templateId()));
            return;
        }
        final Map<String, Short> errors = new HashMap<>();
        for (final TopicDescription topic : control.topics(buffer, offset, errors))
        {
            final TopicState known = producer.topics().get(topic.name());
            final TopicState state = known != null && known.idHigh == topic.id().getMostSignificantBits() &&
                known.idLow == topic.id().getLeastSignificantBits() ? known :
                new TopicState(topic.name(), topic.id().getMostSignificantBits(), topic.id().getLeastSignificantBits(),
                    topic.partitionCount());
            producer.topics().put(topic.name(), state);
            final List<SluiceProducer.MetadataWaiter> list = waiters.remove(topic.name());
            if (list != null)
            {
                list.forEach(waiter -> waiter.state = state);
            }
        }
        errors.forEach((name, code) ->
        {
            final List<SluiceProducer.MetadataWaiter> list = waiters.remove(name);
            if (list != null)
            {
                final SluiceException error = new SluiceException(code, "topic '" + name + "' " +
                    (code == UNKNOWN_TOPIC_OR_PARTITION ? "does not exist" : "cannot be used: error " + code));
                list.forEach(waiter -> waiter.error = error);
            }
        });
    }

    private void failWaiters(final SluiceException error)
    {
        waiters.values().forEach(list -> list.forEach(waiter -> waiter.error = error));
        waiters.clear();
    }

    private void onProducerId(final DirectBuffer buffer, final int offset, final boolean isError, final long nowNs)
    {
        producerIdInFlight = false;
        if (!isError)
        {
            initResponse.wrapAndApplyHeader(buffer, offset, headerDecoder);
            if (initResponse.errorCode() == ErrorCodes.NONE)
            {
                producerId = initResponse.producerId();
                producerEpoch = initResponse.producerEpoch();
                return;
            }
        }
        nextProducerIdAttemptNs = nowNs + retryBackoffNs;
    }

    private int checkTimeouts(final long nowNs)
    {
        final Object oldest = inFlight.peekFirst();
        if (oldest != null)
        {
            final long sentNs = oldest instanceof ProducerBatch batch ? batch.sentNs : ((ControlCall)oldest).sentNs;
            if (nowNs - sentNs > requestTimeoutNs)
            {
                connection.disconnect(nowNs, "a request to " + address + " was not answered within " +
                    TimeUnit.NANOSECONDS.toMillis(requestTimeoutNs) + " ms");
                return 1;
            }
        }
        return expire(nowNs);
    }

    /** Fail the batches that were not acknowledged within the delivery timeout and are not on the wire now. */
    private int expire(final long nowNs)
    {
        int expired = 0;
        while (!pending.isEmpty() && nowNs - (pending.peekFirst().createdNs + deliveryTimeoutNs) > 0)
        {
            complete(pending.pollFirst(), -1, timeout());
            expired++;
        }
        if (!connection.isConnected() && !inFlight.isEmpty())
        {
            final Iterator<Object> requests = inFlight.iterator();
            while (requests.hasNext())
            {
                if (requests.next() instanceof ProducerBatch batch && nowNs - (batch.createdNs + deliveryTimeoutNs) > 0)
                {
                    requests.remove();
                    batch.topic.inFlight[batch.partition]--;
                    batchesInFlight--;
                    if (idempotent)
                    {
                        newProducerIdNeeded = true;
                    }
                    complete(batch, -1, timeout());
                    expired++;
                }
            }
        }
        return expired;
    }

    private SluiceTimeoutException timeout()
    {
        return new SluiceTimeoutException("record not acknowledged by " + address + " within deliveryTimeoutMs " +
            TimeUnit.NANOSECONDS.toMillis(deliveryTimeoutNs) + " ms (" + connectionState() + ")");
    }

    private void complete(final ProducerBatch batch, final long baseOffset, final SluiceException error)
    {
        final String topic = batch.topic.name;
        final int partition = batch.partition;
        for (int i = 0, count = batch.recordCount; i < count; i++)
        {
            final SendCallback callback = batch.callbacks[i];
            if (callback != null)
            {
                try
                {
                    callback.onComplete(topic, partition, error == null && baseOffset >= 0 ? baseOffset + i : -1,
                        batch.contexts[i], error);
                }
                catch (final RuntimeException ex)
                {
                    // A callback that throws must not stop the others or the I/O thread.
                    Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), ex);
                }
            }
        }
        producer.release(batch);
    }

    /** After the agent stopped: fail everything still held. */
    void failAll(final SluiceException error)
    {
        drainSealed();
        for (final Object request : inFlight)
        {
            if (request instanceof ProducerBatch batch)
            {
                complete(batch, -1, error);
            }
        }
        inFlight.clear();
        while (!pending.isEmpty())
        {
            complete(pending.pollFirst(), -1, error);
        }
        while (!unacknowledged.isEmpty())
        {
            complete(unacknowledged.pollFirst(), -1, error);
        }
        failWaiters(error);
    }

    /**
     * Sleeps as soon as a duty cycle finds nothing to do, without spinning first: every spin would run
     * {@link #doWork} again, a socket read that fails with EAGAIN, which at 10,000 records/s cost the thread 16 %
     * of its CPU and bought no latency (docs/native.md has the figures).
     * <p>
     * It sleeps in the selector, which wakes it for the broker's answers, when the next batch is due in a
     * millisecond or more: the selector sleeps in whole milliseconds. A batch due sooner is waited for with
     * {@code parkNanos}, so it leaves on time; answers that arrive meanwhile wait for it, less than a millisecond.
     * Yielding instead kept the thread on its CPU: with linger 1 ms at 100,000 records/s a batch is always due
     * within a millisecond, and the I/O thread took 76 % of a core.
     */
    IdleStrategy idleStrategy()
    {
        return new IdleStrategy()
        {
            @Override
            public void idle(final int workCount)
            {
                if (workCount == 0)
                {
                    idle();
                }
            }

            @Override
            public void idle()
            {
                // Set before the queues and the linger deadline are read: a sender that changes them after that
                // read sees it set and wakes this thread.
                sleeping = true;
                try
                {
                    if (producer.sealedBatches().isEmpty() && producer.metadataWanted().isEmpty())
                    {
                        final long lingerWaitNs = producer.lingerDeadlineNs() - System.nanoTime();
                        if (lingerWaitNs >= MIN_SLEEP_NS)
                        {
                            connection.await(Math.min(MAX_SLEEP_NS, lingerWaitNs));
                        }
                        else if (lingerWaitNs > 0)
                        {
                            LockSupport.parkNanos(lingerWaitNs);
                        }
                        else
                        {
                            // Due, but a sender holds the lock: let it run. Not yielding, on a CPU shared with
                            // the sender this thread spun out its time slice (p90 3.5 ms at 10,000 records/s).
                            Thread.yield();
                        }
                    }
                }
                finally
                {
                    sleeping = false;
                }
            }

            @Override
            public void reset()
            {
                // Nothing carries over from one idle period to the next.
            }
        };
    }
}
