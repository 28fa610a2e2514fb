package io.sluice.perf.handoff;

import com.lmax.disruptor.EventPoller;
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
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of the broker's hand-off from a network thread to a shard thread: one producer thread hands pooled
 * requests to one consumer thread through a bounded structure of {@value HandoffSettings#CAPACITY} slots, as
 * fast as both can go. Each JMH group is one structure, run by its two threads (JMH's producer/consumer pattern):
 *
 * <ul>
 * <li>{@code ring}: what Sluice uses, a Disruptor ring published through a translator and read with an
 * {@link EventPoller} from the consumer's own duty cycle ({@link ShardRing}); {@code sequencer=MULTI} is the
 * broker's ring, {@code SINGLE} the same ring without the multi-producer claim.</li>
 * <li>{@code arrayBlockingQueueSpin}: {@link ArrayBlockingQueue} with {@code offer}/{@code poll}, both threads
 * spinning when the queue is full or empty.</li>
 * <li>{@code arrayBlockingQueueBlocking}: the same queue with the blocking {@code put}/{@code take}, written as
 * their timed forms ({@code offer}/{@code poll} with a timeout take the same lock and wait on the same conditions)
 * so that a thread whose partner has left the iteration is not parked for ever.</li>
 * <li>{@code oneToOneQueue}: Agrona's {@link OneToOneConcurrentArrayQueue}, {@code offer}/{@code poll} spinning,
 * the lock-free single-producer single-consumer queue the Aeron world uses.</li>
 * </ul>
 *
 * <p><b>Physical reference:</b> {@code arrayBlockingQueueSpin} and {@code arrayBlockingQueueBlocking}, the JDK's
 * own bounded hand-off, with {@code oneToOneQueue} as a second reference (what a lock-free queue without the
 * ring's multi-producer claim gives). The ring is worth its extra machinery only where it beats them.
 *
 * <p><b>Reading the result:</b> the score to read is {@code :events}, requests taken by the consumer per second.
 * The producer's sub-score is one request per op, so it repeats that figure within one ring's worth (a check); the
 * consumer's is duty cycles per second (each takes up to {@value HandoffSettings#DUTY_CYCLE_LIMIT} requests, as a
 * shard drains its ring, or one with the blocking {@code take}), and the group's total, the sum of the two, means
 * nothing. Run with {@code -prof gc}: no hand-off should allocate.
 *
 * <p>Every request is checked on arrival to be the next one sent (so nothing lost, repeated or reordered passes,
 * and the consumer's reads cannot be eliminated). Every wait ends when JMH stops the measurement
 * ({@link Control#stopMeasurement}), so neither thread can be left waiting for a partner that has finished its
 * iteration; a {@link Timeout} bounds the rest. Threads are not pinned: on a machine with two cores and other load
 * the figures include the scheduler's hand in it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Timeout(time = 20)
@Fork(value = 1, jvmArgsAppend = {
    JmhSettings.HEAP, JmhSettings.EXPORT_MISC, JmhSettings.OPEN_NIO_CH, JmhSettings.OPEN_NIO,
    JmhSettings.OPEN_ZIP })
@State(Scope.Thread)
public class HandoffThroughputBenchmark
{
    /** The ring one producer and one consumer share: multi-producer as in the broker, or single-producer. */
    @State(Scope.Group)
    public static class RingLane
    {
        @Param({ "MULTI", "SINGLE" })
        ProducerType sequencer;

        ShardRing ring;

        @Setup(Level.Trial)
        public void create()
        {
            ring = new ShardRing(sequencer);
        }
    }

    /** The JDK queue one producer and one consumer share. */
    @State(Scope.Group)
    public static class ArrayBlockingLane
    {
        final ArrayBlockingQueue<HandoffRequest> queue = new ArrayBlockingQueue<>(HandoffSettings.CAPACITY);
    }

    /** The Agrona queue one producer and one consumer share. */
    @State(Scope.Group)
    public static class OneToOneLane
    {
        final OneToOneConcurrentArrayQueue<HandoffRequest> queue =
            new OneToOneConcurrentArrayQueue<>(HandoffSettings.CAPACITY);
    }

    // Each thread has its own instance (Scope.Thread): the producer uses only sent, the consumer the rest.
    private long sent;
    private long received;
    private int takenThisPoll;
    private final EventPoller.Handler<HandoffEvent> onEvent = this::onEvent;

    @Benchmark
    @Group("ring")
    @GroupThreads(1)
    public void ringProduce(final RingLane lane, final Control control)
    {
        final HandoffRequest request = HandoffRequest.of(sent);
        while (!lane.ring.offer(request))
        {
            if (control.stopMeasurement)
            {
                return;
            }
            Thread.onSpinWait();
        }
        sent++;
    }

    @Benchmark
    @Group("ring")
    @GroupThreads(1)
    public long ringConsume(final RingLane lane, final HandoffCounters counters, final Control control)
        throws Exception
    {
        takenThisPoll = 0;
        lane.ring.poller.poll(onEvent);
        endDutyCycle(counters, control, takenThisPoll);
        return received;
    }

    @Benchmark
    @Group("arrayBlockingQueueSpin")
    @GroupThreads(1)
    public void arrayBlockingQueueOffer(final ArrayBlockingLane lane, final Control control)
    {
        offerSpinning(lane.queue, control);
    }

    @Benchmark
    @Group("arrayBlockingQueueSpin")
    @GroupThreads(1)
    public long arrayBlockingQueuePoll(
        final ArrayBlockingLane lane, final HandoffCounters counters, final Control control)
    {
        return drain(lane.queue, counters, control);
    }

    @Benchmark
    @Group("arrayBlockingQueueBlocking")
    @GroupThreads(1)
    public void arrayBlockingQueuePut(final ArrayBlockingLane lane, final Control control)
        throws InterruptedException
    {
        final HandoffRequest request = HandoffRequest.of(sent);
        while (!lane.queue.offer(request, HandoffSettings.BLOCKING_WAIT_MS, TimeUnit.MILLISECONDS))
        {
            if (control.stopMeasurement)
            {
                return;
            }
        }
        sent++;
    }

    @Benchmark
    @Group("arrayBlockingQueueBlocking")
    @GroupThreads(1)
    public long arrayBlockingQueueTake(
        final ArrayBlockingLane lane, final HandoffCounters counters, final Control control)
        throws InterruptedException
    {
        // An empty wait that times out ends the op; JMH's own loop then sees whether the iteration is over.
        final HandoffRequest request = lane.queue.poll(HandoffSettings.BLOCKING_WAIT_MS, TimeUnit.MILLISECONDS);
        if (request != null)
        {
            take(request);
            counters.measured(control, 1);
        }
        return received;
    }

    @Benchmark
    @Group("oneToOneQueue")
    @GroupThreads(1)
    public void oneToOneQueueOffer(final OneToOneLane lane, final Control control)
    {
        offerSpinning(lane.queue, control);
    }

    @Benchmark
    @Group("oneToOneQueue")
    @GroupThreads(1)
    public long oneToOneQueuePoll(final OneToOneLane lane, final HandoffCounters counters, final Control control)
    {
        return drain(lane.queue, counters, control);
    }

    /** Hand over the next request, spinning while the queue is full. */
    private void offerSpinning(final Queue<HandoffRequest> queue, final Control control)
    {
        final HandoffRequest request = HandoffRequest.of(sent);
        while (!queue.offer(request))
        {
            if (control.stopMeasurement)
            {
                return;
            }
            Thread.onSpinWait();
        }
        sent++;
    }

    /** One consumer duty cycle: take what the queue holds, up to the limit a shard takes from its ring. */
    private long drain(final Queue<HandoffRequest> queue, final HandoffCounters counters, final Control control)
    {
        int taken = 0;
        HandoffRequest request;
        while (taken < HandoffSettings.DUTY_CYCLE_LIMIT && (request = queue.poll()) != null)
        {
            take(request);
            taken++;
        }
        endDutyCycle(counters, control, taken);
        return received;
    }

    private boolean onEvent(final HandoffEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.type != HandoffEvent.REQUEST)
        {
            throw new IllegalStateException("slot " + sequence + " holds event type " + event.type);
        }
        take(event.request);
        event.clear();
        return ++takenThisPoll < HandoffSettings.DUTY_CYCLE_LIMIT;
    }

    private void take(final HandoffRequest request)
    {
        if (!request.isSequence(received))
        {
            throw new IllegalStateException("hand-off " + received + " delivered request " + request.id);
        }
        received++;
    }

    /** Count what a duty cycle took; an idle one spins, as a shard on a busy-spin idle strategy would. */
    private static void endDutyCycle(final HandoffCounters counters, final Control control, final int taken)
    {
        if (taken == 0)
        {
            Thread.onSpinWait();
        }
        else
        {
            counters.measured(control, taken);
        }
    }
}
