package io.sluice.perf.load;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import io.sluice.perf.load.driver.RecordSender;
import io.sluice.perf.load.driver.SendCompletion;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A broker that answers every record in 100 us but stalls once for a second, driven at 1,000 records/s: a closed-loop
 * measurement would see one slow record; measured from the due times, every record due during the stall is late.
 */
class CoordinatedOmissionTest
{
    private static final long MS = 1_000_000L;
    private static final long SERVICE_NANOS = 100_000L;

    @Test
    void shouldChargeAStallToEveryRecordDueDuringIt()
    {
        final ManualClock clock = new ManualClock(0);
        final StallingSender sender = new StallingSender(clock, 2_000, 1_000 * MS);
        final long measureStart = 1_000 * MS;   // the first second is warm-up
        final Measurement measurement = new Measurement(measureStart, 100, clock);
        final ProduceLoop loop = new ProduceLoop(
            sender, new RatePacer(0, 1_000, clock, clock::advance), clock, measurement, measureStart,
            measureStart + 5_000 * MS, 0, 100, 0);

        final long measured = loop.run();

        assertThat(measured).isEqualTo(5_000);
        assertThat(loop.unsent()).isZero();
        assertThat(measurement.records()).isEqualTo(5_000);
        assertThat(measurement.bytes()).isEqualTo(500_000);
        final Histogram latency = measurement.recorder().getIntervalHistogram();
        assertThat(latency.getTotalCount()).isEqualTo(5_000);
        // the record that stalled waited 1 s; the backlog behind it drains at 0.9 ms of schedule per record sent,
        // so ~1,111 records are late, from 1 s down to nothing; a closed loop would have seen only the first
        assertThat(latency.getMaxValue()).isCloseTo(1_000 * MS + SERVICE_NANOS, within(2 * MS));
        assertThat(latency.getValueAtPercentile(90)).isGreaterThan(400 * MS);
        assertThat(latency.getValueAtPercentile(50)).isLessThan(MS);
        final long late = 5_000 - latency.getCountBetweenValues(0, 10 * MS);
        assertThat(late).isBetween(1_090L, 1_111L);
    }

    @Test
    void shouldEndOnTimeAndCountWhatWasNeverSentWhenTheRateCannotBeKept()
    {
        final ManualClock clock = new ManualClock(0);
        final RecordSender slow = new RecordSender()
        {
            @Override
            public void send(final byte[] key, final byte[] value, final long intendedNanos, final SendCompletion done)
            {
                clock.advance(4 * MS);   // a quarter of the scheduled rate
                done.onComplete(intendedNanos, null);
            }

            @Override
            public void flush()
            {
            }

            @Override
            public void close()
            {
            }
        };
        final Measurement measurement = new Measurement(0, 100, clock);
        final ProduceLoop loop = new ProduceLoop(
            slow, new RatePacer(0, 1_000, clock, clock::advance), clock, measurement, 0, 1_000 * MS, 0, 100, 0);

        final long sent = loop.run();

        // 1,000 due in a 1 s window; a second window to catch up in, then it stops: 500 sent in 2 s, 500 never
        assertThat(clock.nanoTime()).isLessThanOrEqualTo(2_004 * MS);
        assertThat(sent).isEqualTo(500);
        assertThat(loop.unsent()).isEqualTo(500);
        assertThat(measurement.recorder().getIntervalHistogram().getMaxValue()).isGreaterThan(1_490 * MS);
    }

    @Test
    void shouldCarryTheDueTimeInTheValueAndCycleKeys()
    {
        final ManualClock clock = new ManualClock(0);
        final StallingSender sender = new StallingSender(clock, -1, 0);
        final Measurement measurement = new Measurement(0, 108, clock);
        final RatePacer pacer = new RatePacer(0, 1_000, clock, clock::advance);

        new ProduceLoop(sender, pacer, clock, measurement, 0, Long.MAX_VALUE, 7, 100, 3).run();

        assertThat(sender.dueTimes).containsExactly(0L, MS, 2 * MS, 3 * MS, 4 * MS, 5 * MS, 6 * MS);
        assertThat(sender.valueDueTimes).isEqualTo(sender.dueTimes);
        assertThat(sender.keys).containsExactly(0L, 1L, 2L, 0L, 1L, 2L, 0L);
        assertThat(sender.flushed).isTrue();
        assertThat(measurement.records()).isEqualTo(7);
    }

    @Test
    void shouldIgnoreWarmUpRecordsAndCountErrors()
    {
        final ManualClock clock = new ManualClock(0);
        final Measurement measurement = new Measurement(10, 1, clock);

        measurement.onComplete(9, null);
        measurement.onComplete(10, new IllegalStateException("refused"));
        clock.advance(25);
        measurement.onComplete(11, null);

        assertThat(measurement.records()).isEqualTo(1);
        assertThat(measurement.errors()).isEqualTo(1);
        assertThat(measurement.firstError()).hasMessage("refused");
        assertThat(measurement.lastNanos()).isEqualTo(25);
        assertThat(measurement.recorder().getIntervalHistogram().getMaxValue()).isEqualTo(14);
    }

    /** Answers each record after {@code SERVICE_NANOS}, and once after a stall. */
    private static final class StallingSender implements RecordSender
    {
        private final ManualClock clock;
        private final int stallAt;
        private final long stallNanos;
        private final List<Long> dueTimes = new ArrayList<>();
        private final List<Long> valueDueTimes = new ArrayList<>();
        private final List<Long> keys = new ArrayList<>();
        private boolean flushed;

        StallingSender(final ManualClock clock, final int stallAt, final long stallNanos)
        {
            this.clock = clock;
            this.stallAt = stallAt;
            this.stallNanos = stallNanos;
        }

        @Override
        public void send(final byte[] key, final byte[] value, final long intendedNanos, final SendCompletion completion)
        {
            if (dueTimes.size() == stallAt)
            {
                clock.advance(stallNanos);
            }
            dueTimes.add(intendedNanos);
            valueDueTimes.add(new UnsafeBuffer(value).getLong(0, ByteOrder.BIG_ENDIAN));
            if (key != null)
            {
                keys.add(new UnsafeBuffer(key).getLong(0, ByteOrder.BIG_ENDIAN));
            }
            clock.advance(SERVICE_NANOS);
            completion.onComplete(intendedNanos, null);
        }

        @Override
        public void flush()
        {
            flushed = true;
        }

        @Override
        public void close()
        {
        }
    }
}
