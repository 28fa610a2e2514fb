package io.sluice.perf.load;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RatePacerTest
{
    @Test
    void shouldSpaceDueTimesEvenlyFromTheStart()
    {
        final RatePacer pacer = new RatePacer(1_000, 4, new ManualClock(0), nanos -> { });

        assertThat(pacer.dueTime(0)).isEqualTo(1_000);
        assertThat(pacer.dueTime(1)).isEqualTo(1_000 + 250_000_000L);
        assertThat(pacer.dueTime(4)).isEqualTo(1_000 + 1_000_000_000L);
        assertThat(pacer.dueTime(7)).isEqualTo(1_000 + 1_750_000_000L);
    }

    @Test
    void shouldKeepDueTimesExactForHugeIndexesWithoutOverflow()
    {
        final RatePacer pacer = new RatePacer(0, 3, new ManualClock(0), nanos -> { });
        final long index = 30_000_000_000L;   // index * 1e9 would overflow a long

        assertThat(pacer.dueTime(index)).isEqualTo(10_000_000_000L * 1_000_000_000L);
        assertThat(pacer.dueTime(index + 1)).isEqualTo(10_000_000_000L * 1_000_000_000L + 333_333_333L);
    }

    @Test
    void shouldParkUntilDueAndNeverReturnEarly()
    {
        final ManualClock clock = new ManualClock(0);
        final List<Long> parks = new ArrayList<>();
        final RatePacer pacer = new RatePacer(0, 1_000, clock, nanos ->
        {
            parks.add(nanos);
            clock.advance(Math.min(nanos, 300_000));   // parking may return early
        });

        assertThat(pacer.awaitSlot(0)).isZero();
        assertThat(parks).isEmpty();

        final long due = pacer.awaitSlot(1);

        assertThat(due).isEqualTo(1_000_000);
        assertThat(clock.nanoTime()).isGreaterThanOrEqualTo(due);
        assertThat(parks).containsExactly(1_000_000L, 700_000L, 400_000L, 100_000L);
    }

    @Test
    void shouldSendAtOnceButKeepTheDueTimeWhenBehindSchedule()
    {
        final ManualClock clock = new ManualClock(0);
        final List<Long> parks = new ArrayList<>();
        final RatePacer pacer = new RatePacer(0, 1_000, clock, parks::add);
        clock.advance(5_000_000);   // a 5 ms stall: records 1 to 5 are late

        for (int i = 1; i <= 5; i++)
        {
            assertThat(pacer.awaitSlot(i)).isEqualTo(i * 1_000_000L);
        }
        assertThat(parks).isEmpty();
    }

    @Test
    void shouldBeDueNowWhenUnbounded()
    {
        final ManualClock clock = new ManualClock(42);
        final RatePacer pacer = new RatePacer(0, 0, clock, nanos -> { throw new AssertionError("parked"); });

        assertThat(pacer.unbounded()).isTrue();
        assertThat(pacer.awaitSlot(0)).isEqualTo(42);
        clock.advance(8);
        assertThat(pacer.awaitSlot(1_000_000)).isEqualTo(50);
    }

    @Test
    void shouldRefuseNegativeRate()
    {
        assertThatThrownBy(() -> new RatePacer(0, -1, new ManualClock(0), nanos -> { }))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
