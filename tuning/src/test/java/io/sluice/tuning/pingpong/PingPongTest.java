package io.sluice.tuning.pingpong;

import java.util.concurrent.TimeUnit;

import io.sluice.tuning.IdleStrategySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Short runs: they check the harness measures and paces, not how fast this machine is. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PingPongTest
{
    private static final int RATE = 2_000;
    private static final long WARMUP_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long MEASURE_NS = TimeUnit.MILLISECONDS.toNanos(500);

    @Test
    void shouldTimeRoundTripsBetweenTwoThreadsWithoutExceedingTheRate() throws InterruptedException
    {
        final PingPongResult result = new HandOffPingPong(RATE, WARMUP_NS, MEASURE_NS)
            .run(IdleStrategySpec.parse("backoff"), Thread::new, Thread::new);

        assertPacedAndTimed(result);
    }

    @Test
    void shouldTimeRoundTripsThroughATransportEventLoop() throws Exception
    {
        final PingPongResult result = new LoopbackPingPong(RATE, WARMUP_NS, MEASURE_NS, 64)
            .run(IdleStrategySpec.parse("sleeping:100us"));

        assertPacedAndTimed(result);
    }

    @Test
    void shouldStopWhenNoEchoComes()
    {
        final long[] now = {0};
        final PingPongSchedule schedule = new PingPongSchedule(RATE, 0, MEASURE_NS);

        assertThatThrownBy(() -> schedule.run(
            IdleStrategySpec.parse("busy-spin").get(),
            seq -> {},
            () -> -1,
            () -> now[0] += 1_000_000_000L))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("no echo of ping 1 within 10000 ms");
    }

    private static void assertPacedAndTimed(final PingPongResult result)
    {
        final long count = result.roundTrips().getTotalCount();
        assertThat(count).isPositive();
        // Never faster than the rate: one ping per slot, missed slots skipped rather than sent in a burst.
        assertThat(count).isLessThanOrEqualTo(RATE * (MEASURE_NS / 1_000_000) / 1000 + 1);
        assertThat(result.roundTrips().getMinValue()).isPositive();
        assertThat(result.wallNs()).isGreaterThanOrEqualTo(MEASURE_NS);
        assertThat(result.processCpuNs()).isPositive();
    }
}
