package io.sluice.tuning;

import io.sluice.transport.BlockingIdleStrategy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdleStrategySpecTest
{
    @Test
    void shouldMakeEachKindFromItsBareName()
    {
        assertThat(IdleStrategySpec.parse("busy-spin").get()).isInstanceOf(BusySpinIdleStrategy.class);
        assertThat(IdleStrategySpec.parse("yielding").get()).isInstanceOf(YieldingIdleStrategy.class);
        assertThat(IdleStrategySpec.parse("backoff").get()).isInstanceOf(BackoffIdleStrategy.class);
        assertThat(IdleStrategySpec.parse(" sleeping ").get()).isInstanceOf(SleepingIdleStrategy.class);
        assertThat(IdleStrategySpec.parse("blocking").get()).isInstanceOf(BlockingIdleStrategy.class);
    }

    @Test
    void shouldDefaultBlockingToATenMillisecondBoundAndPassItsParameters()
    {
        assertThat(IdleStrategySpec.parse("blocking").toString()).isEqualTo("blocking:10,5,10ms");
        assertThat(IdleStrategySpec.parse("blocking:100,20,10ms").newIdleStrategy(maxNanos -> { }).toString())
            .contains("maxSpins=100", "maxYields=20", "maxBlockNs=10000000");
    }

    @Test
    void shouldDefaultBackoffToTheHundredMicrosecondCeilingTheBrokerUsed()
    {
        assertThat(IdleStrategySpec.parse("backoff").toString()).isEqualTo("backoff:10,5,1us,100us");
        assertThat(IdleStrategySpec.parse("backoff").get().toString()).contains("maxParkPeriodNs=100000");
    }

    @Test
    void shouldPassBackoffParametersToAgrona()
    {
        final IdleStrategy strategy = IdleStrategySpec.parse("backoff:100,20,500ns,2ms").get();

        assertThat(strategy.toString())
            .contains("maxSpins=100", "maxYields=20", "minParkPeriodNs=500", "maxParkPeriodNs=2000000");
    }

    @Test
    void shouldTakeSleepingPeriodInAnyUnit()
    {
        assertThat(IdleStrategySpec.parse("sleeping").toString()).isEqualTo("sleeping:1ms");
        assertThat(IdleStrategySpec.parse("sleeping:250us").get().toString()).contains("sleepPeriodNs=250000");
        assertThat(IdleStrategySpec.parse("sleeping:1500").toString()).isEqualTo("sleeping:1500ns");
    }

    @ParameterizedTest
    @ValueSource(strings = {"busy-spin", "yielding", "backoff:0,0,1ns,1ns", "backoff:10,5,1us,100us", "blocking:0,0,5ms", "sleeping:3ms"})
    void shouldRoundTripThroughItsCanonicalForm(final String value)
    {
        final IdleStrategySpec spec = IdleStrategySpec.parse(value);

        assertThat(spec.toString()).isEqualTo(value);
        assertThat(IdleStrategySpec.parse(spec.toString())).isEqualTo(spec);
    }

    @Test
    void shouldGiveEachCallerItsOwnStrategy()
    {
        final IdleStrategySpec spec = IdleStrategySpec.parse("backoff");

        assertThat(spec.get()).isNotSameAs(spec.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "spin", "BUSY-SPIN", "busy-spin:1", "blocking:1,1,500us", "blocking:1,1", "yielding:", "backoff:1,2,3", "backoff:1,2,3,4,5", "backoff:-1,0,1,1",
        "backoff:1,1,2us,1us", "backoff:1,1,0,1us", "sleeping:", "sleeping:0", "sleeping:1s", "sleeping:1,2",
        "sleeping:x"})
    void shouldRejectMalformedValuesNamingThemAndTheAcceptedForms(final String value)
    {
        assertThatThrownBy(() -> IdleStrategySpec.parse(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'" + value + "'")
            .hasMessageContaining("expected busy-spin, yielding, backoff");
    }

    @Test
    void shouldSayWhichParameterIsWrong()
    {
        assertThatThrownBy(() -> IdleStrategySpec.parse("backoff:1,1,2us,1us"))
            .hasMessageContaining("MIN_PARK <= MAX_PARK");
        assertThatThrownBy(() -> IdleStrategySpec.parse("sleeping:5s"))
            .hasMessageContaining("not a duration: '5s'");
        assertThatThrownBy(() -> IdleStrategySpec.parse("busy-spin:1"))
            .hasMessageContaining("busy-spin takes no parameters");
    }
}
