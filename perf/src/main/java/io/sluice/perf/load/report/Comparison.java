package io.sluice.perf.load.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sluice.perf.load.LoadResult;

/**
 * The medians of repeated runs, per run name, broker label and figure, with the ratio candidate/baseline
 * (Sluice/Kafka) and the target for that ratio. Immutable once built.
 */
public final class Comparison
{
    private static final Map<String, List<Figure>> FIGURES_BY_WORKLOAD = Map.of(
        "produce", List.of(Figure.RECORDS_PER_SECOND, Figure.MIB_PER_SECOND, Figure.P50_MS, Figure.P99_MS,
            Figure.P999_MS, Figure.MAX_MS, Figure.BROKER_CPU_US, Figure.CLIENT_CPU_US),
        "consume", List.of(Figure.RECORDS_PER_SECOND, Figure.MIB_PER_SECOND, Figure.BROKER_CPU_US,
            Figure.CLIENT_CPU_US),
        "e2e", List.of(Figure.RECORDS_PER_SECOND, Figure.P50_MS, Figure.P99_MS, Figure.P999_MS, Figure.MAX_MS,
            Figure.BROKER_CPU_US, Figure.CLIENT_CPU_US));

    /**
     * One line of the table.
     *
     * @param name    the run name (workload and its settings)
     * @param figure  what is compared
     * @param medians median per label (null where a label has no run of this name)
     * @param runs    runs per label
     * @param ratio   candidate median / baseline median, NaN when either is missing or the baseline is 0
     * @param target  the target for the ratio, or null
     */
    public record Row(
        String name, Figure figure, Map<String, Double> medians, Map<String, Integer> runs, double ratio, Target target)
    {
    }

    private final String baseline;
    private final String candidate;
    private final List<String> labels;
    private final List<Row> rows;

    private Comparison(final String baseline, final String candidate, final List<String> labels, final List<Row> rows)
    {
        this.baseline = baseline;
        this.candidate = candidate;
        this.labels = List.copyOf(labels);
        this.rows = List.copyOf(rows);
    }

    /**
     * Group {@code results} by name (in the order names first appear) and label, and take the median of each figure;
     * runs that measured no record are left out.
     *
     * @param baseline  the label ratios divide by (kafka)
     * @param candidate the label ratios are of (sluice)
     */
    public static Comparison of(final List<LoadResult> results, final String baseline, final String candidate)
    {
        final Set<String> labels = new LinkedHashSet<>(List.of(baseline, candidate));
        final Map<String, List<LoadResult>> byName = new LinkedHashMap<>();
        for (final LoadResult result : results)
        {
            labels.add(result.label());
            if (result.records() == 0)
            {
                continue;   // a run that measured nothing failed; it is listed in the report, not in the medians
            }
            byName.computeIfAbsent(result.name(), k -> new ArrayList<>()).add(result);
        }
        final List<Row> rows = new ArrayList<>();
        for (final Map.Entry<String, List<LoadResult>> entry : byName.entrySet())
        {
            final List<LoadResult> runs = entry.getValue();
            final LoadResult sample = runs.get(0);
            for (final Figure figure : FIGURES_BY_WORKLOAD.getOrDefault(sample.workload(), List.of(Figure.values())))
            {
                final Map<String, Double> medians = new LinkedHashMap<>();
                final Map<String, Integer> counts = new LinkedHashMap<>();
                for (final String label : labels)
                {
                    final List<Double> values = new ArrayList<>();
                    for (final LoadResult run : runs)
                    {
                        final Double value = figure.of(run);
                        if (run.label().equals(label) && value != null)
                        {
                            values.add(value);
                        }
                    }
                    medians.put(label, values.isEmpty() ? null : median(values));
                    counts.put(label, values.size());
                }
                if (medians.values().stream().allMatch(v -> v == null))
                {
                    continue;
                }
                rows.add(new Row(entry.getKey(), figure, Collections.unmodifiableMap(medians),
                    Collections.unmodifiableMap(counts), ratio(medians.get(candidate), medians.get(baseline)),
                    Target.of(figure, sample)));
            }
        }
        return new Comparison(baseline, candidate, new ArrayList<>(labels), rows);
    }

    /** The median; for an even count the mean of the middle two. */
    public static double median(final List<Double> values)
    {
        if (values.isEmpty())
        {
            throw new IllegalArgumentException("median of nothing");
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    /** {@code candidate / baseline}, NaN when either is missing or the baseline is 0. */
    public static double ratio(final Double candidate, final Double baseline)
    {
        if (candidate == null || baseline == null || baseline == 0.0)
        {
            return Double.NaN;
        }
        return candidate / baseline;
    }

    public String baseline()
    {
        return baseline;
    }

    public String candidate()
    {
        return candidate;
    }

    /** Every label, baseline and candidate first. */
    public List<String> labels()
    {
        return labels;
    }

    public List<Row> rows()
    {
        return rows;
    }
}
