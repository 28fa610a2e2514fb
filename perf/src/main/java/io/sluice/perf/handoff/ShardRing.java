package io.sluice.perf.handoff;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.ProducerType;

/**
 * A shard's request ring built the way {@code ShardAgent} builds it: a Disruptor {@link RingBuffer} of
 * pre-allocated {@link HandoffEvent}s, read by an {@link EventPoller} whose sequence gates the producers, so the
 * consumer polls from its own duty cycle instead of running a Disruptor event processor. The broker's rings are
 * {@link ProducerType#MULTI} (every network thread publishes to every shard); {@link ProducerType#SINGLE} is here to
 * show what that costs.
 *
 * <p>Threading: any number of producers may {@link #offer}; one consumer polls, with {@link #pollOne} or
 * {@link #poller}.
 */
final class ShardRing
{
    final RingBuffer<HandoffEvent> ring;
    final EventPoller<HandoffEvent> poller;
    private final EventPoller.Handler<HandoffEvent> takeOne = this::takeOne;
    private HandoffRequest polled;

    ShardRing(final ProducerType producers)
    {
        ring = RingBuffer.create(producers, HandoffEvent::new, HandoffSettings.CAPACITY, new BusySpinWaitStrategy());
        poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
    }

    /**
     * Publish {@code request} the way {@code ShardProxy.publish} does ({@code publishEvent} with a translator),
     * but only when the ring has a free slot, so the caller can stop at the end of an iteration instead of parking
     * in {@code publishEvent} on a full ring nobody drains any more. The benchmarks have one producer, so no
     * other thread can take the slot between the check and the claim.
     *
     * @return false, having published nothing, when the ring is full.
     */
    boolean offer(final HandoffRequest request)
    {
        if (!ring.hasAvailableCapacity(1))
        {
            return false;
        }
        ring.publishEvent(HandoffEvent.TRANSLATOR, request);
        return true;
    }

    /** The consumer: take the next request, or null when the ring is empty. */
    HandoffRequest pollOne() throws Exception
    {
        polled = null;
        poller.poll(takeOne);
        return polled;
    }

    private boolean takeOne(final HandoffEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.type != HandoffEvent.REQUEST)
        {
            throw new IllegalStateException("slot " + sequence + " holds event type " + event.type);
        }
        polled = event.request;
        event.clear();
        return false;
    }

    /** Drop whatever is left, between iterations, when no thread is producing or polling. */
    void discard() throws Exception
    {
        EventPoller.PollState state;
        do
        {
            state = poller.poll(ShardRing::discard);
        }
        while (state == EventPoller.PollState.PROCESSING);
    }

    private static boolean discard(final HandoffEvent event, final long sequence, final boolean endOfBatch)
    {
        event.clear();
        return true;
    }
}
