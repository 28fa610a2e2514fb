package io.sluice.perf.handoff;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.dsl.ProducerType;
import io.sluice.perf.JmhSettings;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Round-trip latency of the hand-off between two threads: a {@code ping} thread hands a pooled request to a
 * {@code pong} thread through one structure, which hands it back through a second one of the same kind; the ping
 * op is one full round trip (two hand-offs), one request in flight at a time. Groups, each two threads:
 *
 * <ul>
 * <li>{@code ring}: two of the broker's Disruptor rings ({@link ShardRing}), each read with its
 * {@link EventPoller}; {@code sequencer=MULTI} as in the broker, {@code SINGLE} without the multi-producer
 * claim.</li>
 * <li>{@code arrayBlockingQueueSpin}: two {@link ArrayBlockingQueue}s, {@code offer}/{@code poll} spinning.</li>
 * <li>{@code arrayBlockingQueueBlocking}: the same with blocking waits (timed {@code offer}/{@code poll}: the lock
 * and conditions of {@code put}/{@code take}, bounded so that a thread alone in its iteration can leave), so each
 * hand-off includes parking and waking a thread.</li>
 * <li>{@code oneToOneQueue}: two Agrona {@link OneToOneConcurrentArrayQueue}s, spinning.</li>
 * <li>{@code cacheLine}: one padded sequence (a Disruptor {@link Sequence}) that the two threads take turns to
 * advance, no request at all.</li>
 * </ul>
 *
 * <p><b>Physical reference:</b> {@code arrayBlockingQueueSpin}/{@code arrayBlockingQueueBlocking} are the JDK
 * hand-off the ring is to beat, {@code oneToOneQueue} a second reference. {@code cacheLine} is the floor under
 * all of them: one cache line moved from core to core and back, which no hand-off between two threads can avoid.
 * Read the {@code :ringPing} (and so on) sub-score; the pong thread's op is a wait plus a reply and lasts about a
 * round trip too.
 *
 * <p>Mode is sample time: read the percentiles, p50 and p99 above all. The mean is at the mercy of the scheduler
 * (threads are not pinned, and the machine may be shared): on two cores with other work, a round trip now and then
 * waits for a time slice of several milliseconds. With {@code -prof gc}, {@code gc.alloc.rate.norm} here is JMH's
 * own sample buffers divided by the sampled ops, not the hand-off's; {@link HandoffThroughputBenchmark} runs the
 * same offers and polls and shows allocation per hand-off (or run this one with {@code -bm avgt}). Every
 * reply is checked to be the request just sent. Every wait ends when JMH stops the measurement; at the end of
 * each iteration whatever an interrupted round trip left behind is discarded.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Timeout(time = 20)
@Fork(value = 1, jvmArgsAppend = {
    JmhSettings.HEAP, JmhSettings.EXPORT_MISC, JmhSettings.OPEN_NIO_CH, JmhSettings.OPEN_NIO,
    JmhSettings.OPEN_ZIP })
@State(Scope.Thread)
public class HandoffRoundTripBenchmark
{
    /**
     * Two structures of one kind, requests going out on one and replies coming back on the other, each offered to
     * and polled without blocking. Each end is polled by one thread only.
     */
    interface SpinPair
    {
        boolean offerRequest(HandoffRequest request);

        HandoffRequest pollRequest() throws Exception;

        boolean offerReply(HandoffRequest reply);

        HandoffRequest pollReply() throws Exception;
    }

    /** Requests go out on one ring and come back on the other; both multi-producer as in the broker, or single. */
    @State(Scope.Group)
    public static class RingPair implements SpinPair
    {
        @Param({ "MULTI", "SINGLE" })
        ProducerType sequencer;

        ShardRing requests;
        ShardRing replies;

        @Setup(Level.Trial)
        public void create()
        {
            requests = new ShardRing(sequencer);
            replies = new ShardRing(sequencer);
        }

        @TearDown(Level.Iteration)
        public void discard() throws Exception
        {
            requests.discard();
            replies.discard();
        }

        @Override
        public boolean offerRequest(final HandoffRequest request)
        {
            return requests.offer(request);
        }

        @Override
        public HandoffRequest pollRequest() throws Exception
        {
            return requests.pollOne();
        }

        @Override
        public boolean offerReply(final HandoffRequest reply)
        {
            return replies.offer(reply);
        }

        @Override
        public HandoffRequest pollReply() throws Exception
        {
            return replies.pollOne();
        }
    }

    /** Requests go out on one queue and come back on the other. */
    public abstract static class QueuePair<Q extends Queue<HandoffRequest>> implements SpinPair
    {
        final Q requests;
        final Q replies;

        QueuePair(final Q requests, final Q replies)
        {
            this.requests = requests;
            this.replies = replies;
        }

        @Override
        public boolean offerRequest(final HandoffRequest request)
        {
            return requests.offer(request);
        }

        @Override
        public HandoffRequest pollRequest()
        {
            return requests.poll();
        }

        @Override
        public boolean offerReply(final HandoffRequest reply)
        {
            return replies.offer(reply);
        }

        @Override
        public HandoffRequest pollReply()
        {
            return replies.poll();
        }

        @TearDown(Level.Iteration)
        public void discard()
        {
            requests.clear();
            replies.clear();
        }
    }

    /** Two JDK queues; the blocking group uses their timed waits. */
    @State(Scope.Group)
    public static class ArrayBlockingPair extends QueuePair<ArrayBlockingQueue<HandoffRequest>>
    {
        public ArrayBlockingPair()
        {
            super(new ArrayBlockingQueue<>(HandoffSettings.CAPACITY), new ArrayBlockingQueue<>(HandoffSettings.CAPACITY));
        }
    }

    /** Two Agrona queues. */
    @State(Scope.Group)
    public static class OneToOnePair extends QueuePair<OneToOneConcurrentArrayQueue<HandoffRequest>>
    {
        public OneToOnePair()
        {
            super(new OneToOneConcurrentArrayQueue<>(HandoffSettings.CAPACITY),
                new OneToOneConcurrentArrayQueue<>(HandoffSettings.CAPACITY));
        }
    }

    /** Odd: the ping thread's turn is over and pong's has come; even: back to ping. */
    @State(Scope.Group)
    public static class CacheLine
    {
        final Sequence turn = new Sequence(0);

        @TearDown(Level.Iteration)
        public void answerInterrupted()
        {
            final long value = turn.get();
            if ((value & 1) != 0)
            {
                turn.set(value + 1);
            }
        }
    }

    // Each thread has its own instance (Scope.Thread): the ping thread counts what it sent.
    private long sent;

    @Benchmark
    @Group("ring")
    @GroupThreads(1)
    public long ringPing(final RingPair pair, final Control control) throws Exception
    {
        return spinPing(pair, control);
    }

    @Benchmark
    @Group("ring")
    @GroupThreads(1)
    public long ringPong(final RingPair pair, final Control control) throws Exception
    {
        return spinPong(pair, control);
    }

    @Benchmark
    @Group("arrayBlockingQueueSpin")
    @GroupThreads(1)
    public long arrayBlockingQueueSpinPing(final ArrayBlockingPair pair, final Control control) throws Exception
    {
        return spinPing(pair, control);
    }

    @Benchmark
    @Group("arrayBlockingQueueSpin")
    @GroupThreads(1)
    public long arrayBlockingQueueSpinPong(final ArrayBlockingPair pair, final Control control) throws Exception
    {
        return spinPong(pair, control);
    }

    @Benchmark
    @Group("arrayBlockingQueueBlocking")
    @GroupThreads(1)
    public long arrayBlockingQueueBlockingPing(final ArrayBlockingPair pair, final Control control)
        throws InterruptedException
    {
        if (control.stopMeasurement)
        {
            return sent;
        }
        final HandoffRequest request = HandoffRequest.of(sent);
        while (!pair.requests.offer(request, HandoffSettings.BLOCKING_WAIT_MS, TimeUnit.MILLISECONDS))
        {
            if (control.stopMeasurement)
            {
                return sent;
            }
        }
        HandoffRequest reply;
        while ((reply = pair.replies.poll(HandoffSettings.BLOCKING_WAIT_MS, TimeUnit.MILLISECONDS)) == null)
        {
            if (control.stopMeasurement)
            {
                return sent;
            }
        }
        return replied(request, reply);
    }

    @Benchmark
    @Group("arrayBlockingQueueBlocking")
    @GroupThreads(1)
    public long arrayBlockingQueueBlockingPong(final ArrayBlockingPair pair, final Control control)
        throws InterruptedException
    {
        HandoffRequest request;
        do
        {
            request = pair.requests.poll(HandoffSettings.BLOCKING_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        while (request == null && !control.stopMeasurement);
        if (request == null)
        {
            return -1;
        }
        while (!pair.replies.offer(request, HandoffSettings.BLOCKING_WAIT_MS, TimeUnit.MILLISECONDS))
        {
            if (control.stopMeasurement)
            {
                return -1;
            }
        }
        return request.correlationId;
    }

    @Benchmark
    @Group("oneToOneQueue")
    @GroupThreads(1)
    public long oneToOneQueuePing(final OneToOnePair pair, final Control control) throws Exception
    {
        return spinPing(pair, control);
    }

    @Benchmark
    @Group("oneToOneQueue")
    @GroupThreads(1)
    public long oneToOneQueuePong(final OneToOnePair pair, final Control control) throws Exception
    {
        return spinPong(pair, control);
    }

    @Benchmark
    @Group("cacheLine")
    @GroupThreads(1)
    public long cacheLinePing(final CacheLine line, final Control control)
    {
        if (control.stopMeasurement)
        {
            return sent;
        }
        final long request = line.turn.get() + 1;
        line.turn.set(request);
        while (line.turn.get() != request + 1)
        {
            if (control.stopMeasurement)
            {
                return sent;
            }
            Thread.onSpinWait();
        }
        return ++sent;
    }

    @Benchmark
    @Group("cacheLine")
    @GroupThreads(1)
    public long cacheLinePong(final CacheLine line, final Control control)
    {
        long value = 0;
        while (!control.stopMeasurement && ((value = line.turn.get()) & 1) == 0)
        {
            Thread.onSpinWait();
        }
        if ((value & 1) == 0)
        {
            return -1;
        }
        line.turn.set(value + 1);
        return value;
    }

    /** One round trip through {@code pair}, spinning while a structure is full or empty. */
    private long spinPing(final SpinPair pair, final Control control) throws Exception
    {
        if (control.stopMeasurement)
        {
            return sent;
        }
        final HandoffRequest request = HandoffRequest.of(sent);
        while (!pair.offerRequest(request))
        {
            if (control.stopMeasurement)
            {
                return sent;
            }
            Thread.onSpinWait();
        }
        HandoffRequest reply;
        while ((reply = pair.pollReply()) == null)
        {
            if (control.stopMeasurement)
            {
                return sent;
            }
            Thread.onSpinWait();
        }
        return replied(request, reply);
    }

    /** Wait for one request and send it back, spinning; -1 when the measurement stopped first. */
    private static long spinPong(final SpinPair pair, final Control control) throws Exception
    {
        HandoffRequest request = null;
        while (!control.stopMeasurement && (request = pair.pollRequest()) == null)
        {
            Thread.onSpinWait();
        }
        if (request == null)
        {
            return -1;
        }
        while (!pair.offerReply(request))
        {
            if (control.stopMeasurement)
            {
                return -1;
            }
            Thread.onSpinWait();
        }
        return request.correlationId;
    }

    private long replied(final HandoffRequest request, final HandoffRequest reply)
    {
        if (reply != request)
        {
            throw new IllegalStateException("round trip " + sent + " sent request " + request.id +
                " and got back request " + reply.id);
        }
        return ++sent;
    }
}
