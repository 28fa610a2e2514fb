package io.sluice.perf.load.report;

import java.util.List;

import io.sluice.perf.load.LoadResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ComparisonTest
{
    @Test
    void shouldTakeTheMiddleValueOrTheMeanOfTheMiddleTwo()
    {
        assertThat(Comparison.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Comparison.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Comparison.median(List.of(7.0))).isEqualTo(7.0);
        assertThatThrownBy(() -> Comparison.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLeaveTheRatioOutWhenASideIsMissingOrZero()
    {
        assertThat(Comparison.ratio(3.0, 2.0)).isEqualTo(1.5);
        assertThat(Comparison.ratio(null, 2.0)).isNaN();
        assertThat(Comparison.ratio(3.0, null)).isNaN();
        assertThat(Comparison.ratio(3.0, 0.0)).isNaN();
    }

    @Test
    void shouldCompareMediansPerRunAndFigure()
    {
        final Comparison comparison = Comparison.of(List.of(
            produce("sluice", 300_000, 2.0, 1.0),
            produce("kafka", 100_000, 10.0, 4.0),
            produce("sluice", 330_000, 3.0, 1.2),
            produce("kafka", 120_000, 12.0, 4.4),
            produce("sluice", 310_000, 2.5, 0.9),
            produce("kafka", 110_000, 11.0, 3.8)), "kafka", "sluice");

        assertThat(comparison.labels()).containsExactly("kafka", "sluice");
        final Comparison.Row records = row(comparison, Figure.RECORDS_PER_SECOND);
        assertThat(records.medians()).containsEntry("sluice", 310_000.0).containsEntry("kafka", 110_000.0);
        assertThat(records.runs()).containsEntry("sluice", 3).containsEntry("kafka", 3);
        assertThat(records.ratio()).isCloseTo(310.0 / 110.0, within(1e-9));
        assertThat(records.target().metBy(records.ratio())).isTrue();
        final Comparison.Row cpu = row(comparison, Figure.BROKER_CPU_US);
        assertThat(cpu.ratio()).isCloseTo(1.0 / 4.0, within(1e-9));
        assertThat(cpu.target().describe(cpu.ratio())).isEqualTo("<= 0.33 met");
        final Comparison.Row p99 = row(comparison, Figure.P99_MS);
        assertThat(p99.medians().get("sluice")).isCloseTo(2.5, within(1e-9));
        assertThat(p99.target()).isNull();
    }

    @Test
    void shouldAddLabelsBeyondTheTwoComparedAsColumns()
    {
        final Comparison comparison = Comparison.of(List.of(
            produce("kafka", 100_000, 10.0, 4.0),
            produce("sluice-durable", 90_000, 12.0, 1.5)), "kafka", "sluice");

        assertThat(comparison.labels()).containsExactly("kafka", "sluice", "sluice-durable");
        final Comparison.Row records = row(comparison, Figure.RECORDS_PER_SECOND);
        assertThat(records.medians()).containsEntry("sluice", null).containsEntry("sluice-durable", 90_000.0);
        assertThat(records.ratio()).isNaN();
    }

    @Test
    void shouldLeaveRunsThatMeasuredNothingOutOfTheMedians()
    {
        final LoadResult failed = new LoadResult("produce", "produce-100B-acks1", "sluice", 100, "1", 0, 0, 0, 0, 0, 0,
            0, 0, 0, null, null, null, null);
        final Comparison comparison = Comparison.of(List.of(
            produce("kafka", 100_000, 10.0, 4.0), produce("sluice", 300_000, 2.0, 1.0), failed), "kafka", "sluice");

        final Comparison.Row records = row(comparison, Figure.RECORDS_PER_SECOND);
        assertThat(records.medians()).containsEntry("sluice", 300_000.0);
        assertThat(records.runs()).containsEntry("sluice", 1);
    }

    @Test
    void shouldSetTheIssuesTargets()
    {
        final LoadResult consume = new LoadResult("consume", "c", "kafka", 1024, "1", 0, 1, 1, 1, 1, 1, 0, 0, 0, null,
            null, null, null);
        final LoadResult e2e10k = new LoadResult("e2e", "e", "kafka", 100, "all", 10_000, 1, 1, 1, 1, 1, 0, 0, 0, null,
            null, null, null);
        final LoadResult e2e50k = new LoadResult("e2e", "e", "kafka", 100, "all", 50_000, 1, 1, 1, 1, 1, 0, 0, 0, null,
            null, null, null);

        assertThat(Target.of(Figure.RECORDS_PER_SECOND, consume)).isEqualTo(new Target(2.0, true));
        assertThat(Target.of(Figure.P99_MS, e2e10k)).isEqualTo(new Target(0.2, false));
        assertThat(Target.of(Figure.P99_MS, e2e50k)).isNull();
        assertThat(new Target(2.0, true).describe(1.9)).isEqualTo(">= 2.00 MISSED");
        assertThat(new Target(2.0, true).describe(Double.NaN)).isEqualTo(">= 2.00");
    }

    static LoadResult produce(final String label, final double recordsPerSecond, final double p99Ms, final double cpuUs)
    {
        return new LoadResult("produce", "produce-100B-acks1", label, 100, "1", 0, (long)recordsPerSecond * 6,
            (long)recordsPerSecond * 600, 6.0, recordsPerSecond, recordsPerSecond * 100 / 1048576.0, 0, 0, 0,
            new LoadResult.Latency(1, p99Ms * 100, p99Ms * 500, p99Ms * 1_000, p99Ms * 2_000, p99Ms * 4_000),
            cpuUs, 20.0, null);
    }

    private static Comparison.Row row(final Comparison comparison, final Figure figure)
    {
        return comparison.rows().stream().filter(r -> r.figure() == figure).findFirst().orElseThrow();
    }
}
