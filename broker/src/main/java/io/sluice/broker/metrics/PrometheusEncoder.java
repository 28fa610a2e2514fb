package io.sluice.broker.metrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link CountersSnapshot} in Prometheus's text exposition format (version 0.0.4): for each family
 * with samples, its {@code # HELP} and {@code # TYPE} lines, then its samples in counter order (so each shard's
 * histogram buckets, sum and count stay together).
 *
 * <p>Stateless and thread-safe.
 */
public final class PrometheusEncoder
{
    /** The content type Prometheus expects for this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusEncoder()
    {
    }

    /** The text of every family in {@code snapshot}, each line ending in a newline. */
    public static String encode(final CountersSnapshot snapshot)
    {
        final StringBuilder out = new StringBuilder(8192);
        final List<CountersSnapshot.Sample> samples = new ArrayList<>(snapshot.samples());
        samples.addAll(snapshot.consumerLag());
        final List<String> written = new ArrayList<>();
        for (final CounterType first : CounterType.values())
        {
            final String family = first.family();
            if (written.contains(family))
            {
                continue;
            }
            written.add(family);
            boolean headed = false;
            for (final CountersSnapshot.Sample sample : samples)
            {
                if (!sample.type().family().equals(family))
                {
                    continue;
                }
                if (!headed)
                {
                    out.append("# HELP ").append(family).append(' ').append(escapeHelp(first.help())).append('\n');
                    out.append("# TYPE ").append(family).append(' ').append(first.kind().text()).append('\n');
                    headed = true;
                }
                appendSample(out, sample);
            }
        }
        return out.toString();
    }

    /**
     * A number as Prometheus reads it, without exponent or trailing zeros: {@code 0.00005}, {@code 12}.
     * Infinities as {@code +Inf}/{@code -Inf}, NaN as {@code NaN}.
     */
    public static String formatDouble(final double value)
    {
        if (Double.isNaN(value))
        {
            return "NaN";
        }
        if (Double.isInfinite(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return Long.toString((long)value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static void appendSample(final StringBuilder out, final CountersSnapshot.Sample sample)
    {
        out.append(sample.name());
        if (!sample.labels().isEmpty())
        {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<String, String> label : sample.labels().entrySet())
            {
                if (!first)
                {
                    out.append(',');
                }
                first = false;
                out.append(label.getKey()).append("=\"").append(escapeLabelValue(label.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ');
        if (sample.type().scale() == 1)
        {
            out.append(sample.value());
        }
        else
        {
            out.append(formatDouble(sample.scaledValue()));
        }
        out.append('\n');
    }

    private static String escapeLabelValue(final String value)
    {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(final String help)
    {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
