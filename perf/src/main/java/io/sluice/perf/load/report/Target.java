package io.sluice.perf.load.report;

import java.util.Locale;

import io.sluice.perf.load.LoadResult;

/**
 * A target for the Sluice/Kafka ratio of one figure, from the perf issue: broker CPU per record at most 1/3 of
 * Kafka's everywhere, producer records/s at least 1.5x at 100 B records, consumer records/s at least 2x, e2e p99 at
 * 10,000 records/s at most 1/5.
 *
 * @param bound the ratio that meets the target
 * @param atLeast true when the ratio must be at least the bound, false at most
 */
public record Target(double bound, boolean atLeast)
{
    /** The target for {@code figure} in runs like {@code sample}, or null when the issue sets none. */
    public static Target of(final Figure figure, final LoadResult sample)
    {
        final String workload = sample.workload();
        if (figure == Figure.BROKER_CPU_US)
        {
            return new Target(1.0 / 3.0, false);
        }
        if (figure == Figure.RECORDS_PER_SECOND && "produce".equals(workload) && sample.recordSize() == 100 &&
            sample.rate() == 0)
        {
            return new Target(1.5, true);
        }
        if (figure == Figure.RECORDS_PER_SECOND && "consume".equals(workload))
        {
            return new Target(2.0, true);
        }
        if (figure == Figure.P99_MS && "e2e".equals(workload) && sample.rate() == 10_000)
        {
            return new Target(0.2, false);
        }
        return null;
    }

    public boolean metBy(final double ratio)
    {
        return atLeast ? ratio >= bound : ratio <= bound;
    }

    /** "≥ 1.50" or "≤ 0.33" followed by whether {@code ratio} meets it; NaN ratio: the bound alone. */
    public String describe(final double ratio)
    {
        final String bound = String.format(Locale.ROOT, "%s %.2f", atLeast ? ">=" : "<=", this.bound);
        return Double.isNaN(ratio) ? bound : bound + (metBy(ratio) ? " met" : " MISSED");
    }
}
