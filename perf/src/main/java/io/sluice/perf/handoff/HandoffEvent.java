package io.sluice.perf.handoff;

import com.lmax.disruptor.EventTranslatorOneArg;

/**
 * One slot of a ring, laid out as the broker's {@code ShardEvent}: a type and a reference to a pooled request,
 * written in place by a translator and cleared by the consumer once read, so publishing allocates nothing and
 * the ring holds no stale reference.
 */
final class HandoffEvent
{
    static final int REQUEST = 1;

    /** Fills a claimed slot, as {@code ShardProxy}'s translators do. */
    static final EventTranslatorOneArg<HandoffEvent, HandoffRequest> TRANSLATOR =
        (event, sequence, request) -> event.set(request);

    int type;
    HandoffRequest request;

    void set(final HandoffRequest request)
    {
        type = REQUEST;
        this.request = request;
    }

    void clear()
    {
        type = 0;
        request = null;
    }
}
