package io.sluice.broker.metrics;

import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of every allocated Sluice counter at one moment, with each counter's series parsed from its label.
 * For readers ({@code sluice stat}, the Prometheus endpoint): it allocates freely.
 *
 * <p>Immutable once taken.
 */
public final class CountersSnapshot
{
    /**
     * One counter.
     *
     * @param id     the counter id (allocation order).
     * @param type   what it measures.
     * @param name   its Prometheus sample name.
     * @param labels its labels, in the order written.
     * @param value  its raw value (see {@link CounterType#scale()}).
     */
    public record Sample(int id, CounterType type, String name, Map<String, String> labels, long value)
    {
        /** The label {@code key}, or "" when the sample has none. */
        public String label(final String key)
        {
            return labels.getOrDefault(key, "");
        }

        /** The value in the family's unit (seconds for durations). */
        public double scaledValue()
        {
            return value * type.scale();
        }
    }

    private final long takenAtNs;
    private final List<Sample> samples;

    private CountersSnapshot(final long takenAtNs, final List<Sample> samples)
    {
        this.takenAtNs = takenAtNs;
        this.samples = samples;
    }

    /** Read every allocated counter of a type this build knows; others (a newer broker's) are skipped. */
    public static CountersSnapshot take(final CountersReader reader)
    {
        final List<Sample> samples = new ArrayList<>();
        reader.forEach((value, id, label) ->
        {
            final CounterType type = CounterType.of(reader.getCounterTypeId(id));
            if (type != null)
            {
                final int brace = label.indexOf('{');
                final String name = brace < 0 ? label : label.substring(0, brace);
                samples.add(new Sample(id, type, name, brace < 0 ? Map.of() : parseLabels(label, brace), value));
            }
        });
        return new CountersSnapshot(System.nanoTime(), Collections.unmodifiableList(samples));
    }

    /** {@code System.nanoTime()} when taken: rates divide by the difference between two snapshots. */
    public long takenAtNs()
    {
        return takenAtNs;
    }

    /** Every sample, in counter id order. */
    public List<Sample> samples()
    {
        return samples;
    }

    /** The samples of {@code type}, in counter id order. */
    public List<Sample> samples(final CounterType type)
    {
        final List<Sample> matching = new ArrayList<>();
        for (final Sample sample : samples)
        {
            if (sample.type() == type)
            {
                matching.add(sample);
            }
        }
        return matching;
    }

    /** The sum of every sample of {@code type}, raw. */
    public long sum(final CounterType type)
    {
        long sum = 0;
        for (final Sample sample : samples)
        {
            if (sample.type() == type)
            {
                sum += sample.value();
            }
        }
        return sum;
    }

    /** The largest sample of {@code type}, raw; 0 when there is none. */
    public long max(final CounterType type)
    {
        long max = 0;
        for (final Sample sample : samples)
        {
            if (sample.type() == type)
            {
                max = Math.max(max, sample.value());
            }
        }
        return max;
    }

    /** Labels as written by {@link BrokerCounters}: {@code key="value"} pairs, values without quotes or commas. */
    private static Map<String, String> parseLabels(final String label, final int brace)
    {
        final Map<String, String> labels = new LinkedHashMap<>();
        int at = brace + 1;
        while (at < label.length() && label.charAt(at) != '}')
        {
            final int eq = label.indexOf("=\"", at);
            final int close = eq < 0 ? -1 : label.indexOf('"', eq + 2);
            if (close < 0)
            {
                break;
            }
            labels.put(label.substring(at, eq), label.substring(eq + 2, close));
            at = close + 1;
            if (at < label.length() && label.charAt(at) == ',')
            {
                at++;
            }
        }
        return Collections.unmodifiableMap(labels);
    }
}
