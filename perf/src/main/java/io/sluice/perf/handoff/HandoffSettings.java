package io.sluice.perf.handoff;

/** Sizes and limits shared by the hand-off benchmarks, taken from the broker's defaults. */
final class HandoffSettings
{
    /** Slots per ring or queue: the broker's {@code sluice.shard.ring.size} default. */
    static final int CAPACITY = 1024;

    /** Events a consumer takes per duty cycle at most: {@code ShardAgent}'s limit per ring poll. */
    static final int DUTY_CYCLE_LIMIT = 256;

    /**
     * How long one blocking wait lasts before it looks again whether the iteration is over. Only a wait that
     * nothing ends (the other thread has left the iteration) ever runs this long.
     */
    static final long BLOCKING_WAIT_MS = 10;

    private HandoffSettings()
    {
    }
}
