package io.sluice.broker.metrics;

import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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

    /**
     * Derived samples of {@link CounterType#CONSUMER_LAG}: for each committed offset whose partition's end offset is
     * known, the end offset minus the committed offset (never below 0), labelled group, topic and partition.
     */
    public List<Sample> consumerLag()
    {
        final Map<String, Long> ends = new HashMap<>();
        for (final Sample sample : samples(CounterType.PARTITION_END_OFFSET))
        {
            ends.put(sample.label("topic") + "/" + sample.label("partition"), sample.value());
        }
        final List<Sample> lag = new ArrayList<>();
        for (final Sample committed : samples(CounterType.CONSUMER_COMMITTED_OFFSET))
        {
            final Long end = ends.get(committed.label("topic") + "/" + committed.label("partition"));
            if (end != null)
            {
                lag.add(new Sample(committed.id(), CounterType.CONSUMER_LAG, CounterType.CONSUMER_LAG.sampleName(),
                    committed.labels(), Math.max(0, end - committed.value())));
            }
        }
        return lag;
    }

    /**
     * Labels as written by {@link BrokerCounters}: {@code key="value"} pairs, values escaped as Prometheus escapes
     * them. A label cut short by the label length limit yields the pairs before the cut.
     */
    private static Map<String, String> parseLabels(final String label, final int brace)
    {
        final Map<String, String> labels = new LinkedHashMap<>();
        int at = brace + 1;
        while (at < label.length() && label.charAt(at) != '}')
        {
            final int eq = label.indexOf("=\"", at);
            if (eq < 0)
            {
                break;
            }
            final StringBuilder value = new StringBuilder();
            int i = eq + 2;
            boolean closed = false;
            while (i < label.length())
            {
                final char c = label.charAt(i++);
                if (c == '"')
                {
                    closed = true;
                    break;
                }
                if (c == '\\' && i < label.length())
                {
                    final char escaped = label.charAt(i++);
                    value.append(escaped == 'n' ? '\n' : escaped);
                }
                else
                {
                    value.append(c);
                }
            }
            if (!closed)
            {
                break;
            }
            labels.put(label.substring(at, eq), value.toString());
            at = i;
            if (at < label.length() && label.charAt(at) == ',')
            {
                at++;
            }
        }
        return Collections.unmodifiableMap(labels);
    }
}
