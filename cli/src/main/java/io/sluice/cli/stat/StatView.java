package io.sluice.cli.stat;

import io.sluice.broker.metrics.CounterType;
import io.sluice.broker.metrics.CountersSnapshot;
import io.sluice.cli.Sizes;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One screen of {@code sluice stat}: totals of the broker's counters and, given the previous snapshot, rates per
 * second between the two. Durations are read from the force histogram's buckets, so percentiles are bucket bounds.
 *
 * <p>Stateless: renders what it is given.
 */
final class StatView
{
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /**
     * What the counters file's header says about the broker that writes it.
     *
     * @param pid         the broker's pid.
     * @param startTimeMs when it started.
     * @param running     whether that process is still alive.
     * @param file        the file, as given.
     */
    record Broker(long pid, long startTimeMs, boolean running, String file)
    {
    }

    private StatView()
    {
    }

    /**
     * @param broker   from the file's header.
     * @param previous the snapshot before this one, or null for totals only.
     * @param current  the snapshot to show.
     * @param nowMs    wall-clock time of {@code current}.
     * @param internal show the partitions of internal topics ({@code __consumer_offsets} ...) too.
     */
    static String render(
        final Broker broker, final CountersSnapshot previous, final CountersSnapshot current, final long nowMs,
        final boolean internal)
    {
        final StringBuilder out = new StringBuilder(2048);
        final Duration up = Duration.ofMillis(Math.max(0, nowMs - broker.startTimeMs()));
        out.append(String.format(Locale.ROOT, "Sluice broker pid %d, %s, up %d:%02d:%02d   %s   %s%n", broker.pid(),
            broker.running() ? "running" : "NOT RUNNING (last values)", up.toHours(), up.toMinutesPart(), up.toSecondsPart(),
            broker.file(), LocalTime.ofInstant(Instant.ofEpochMilli(nowMs), ZoneId.systemDefault()).format(CLOCK)));
        final double seconds = previous == null ? 0 : (current.takenAtNs() - previous.takenAtNs()) / 1e9;
        out.append(String.format(Locale.ROOT, "%-26s %18s %16s%n", "", "total", previous == null ? "" : "per second"));
        count(out, "records in", CounterType.RECORDS_IN, previous, current, seconds);
        bytes(out, "bytes in", CounterType.BYTES_IN, previous, current, seconds);
        count(out, "batches in", CounterType.BATCHES_IN, previous, current, seconds);
        count(out, "appends", CounterType.APPENDS, previous, current, seconds);
        count(out, "fetch responses", CounterType.FETCHES, previous, current, seconds);
        count(out, "records out", CounterType.RECORDS_OUT, previous, current, seconds);
        bytes(out, "bytes out", CounterType.BYTES_OUT, previous, current, seconds);
        count(out, "connections accepted", CounterType.CONNECTIONS_ACCEPTED, previous, current, seconds);
        out.append(String.format(Locale.ROOT, "%-26s %18d%n", "connections open", current.sum(CounterType.CONNECTIONS)));
        forces(out, previous, current, seconds);
        rings(out, current);
        labelled(out, "requests by API", CounterType.REQUESTS, "api", previous, current, seconds);
        errors(out, previous, current, seconds);
        partitions(out, previous, current, seconds, internal);
        lag(out, current);
        return trimLines(out);
    }

    private static void count(
        final StringBuilder out, final String name, final CounterType type,
        final CountersSnapshot previous, final CountersSnapshot current, final double seconds)
    {
        final long total = current.sum(type);
        out.append(String.format(Locale.ROOT, "%-26s %,18d %16s%n", name, total,
            previous == null ? "" : String.format(Locale.ROOT, "%,.1f", rate(total - previous.sum(type), seconds))));
    }

    private static void bytes(
        final StringBuilder out, final String name, final CounterType type,
        final CountersSnapshot previous, final CountersSnapshot current, final double seconds)
    {
        final long total = current.sum(type);
        out.append(String.format(Locale.ROOT, "%-26s %18s %16s%n", name, Sizes.bytes(total),
            previous == null ? "" : Sizes.bytes(rate(total - previous.sum(type), seconds))));
    }

    private static void forces(
        final StringBuilder out, final CountersSnapshot previous, final CountersSnapshot current, final double seconds)
    {
        final long count = current.sum(CounterType.FSYNC_COUNT);
        final long sumNs = current.sum(CounterType.FSYNC_SUM);
        out.append(String.format(Locale.ROOT, "%-26s %,18d %16s%n", "fsyncs (group commit)", count,
            previous == null ? "" : String.format(Locale.ROOT, "%,.1f", rate(count - previous.sum(CounterType.FSYNC_COUNT), seconds))));
        if (count == 0)
        {
            return;
        }
        final Map<String, Long> buckets = new LinkedHashMap<>();
        for (final CountersSnapshot.Sample sample : current.samples(CounterType.FSYNC_BUCKET))
        {
            buckets.merge(sample.label("le"), sample.value(), Long::sum);
        }
        out.append(String.format(Locale.ROOT, "  fsync latency: avg %s  p50 <= %s  p99 <= %s  max %s%n",
            millis(sumNs / (double)count), percentile(buckets, count, 0.50), percentile(buckets, count, 0.99),
            millis(current.max(CounterType.FSYNC_MAX))));
    }

    /** The upper bound of the first bucket holding at least {@code quantile} of the forces. */
    private static String percentile(final Map<String, Long> cumulative, final long count, final double quantile)
    {
        for (final Map.Entry<String, Long> bucket : cumulative.entrySet())
        {
            if (bucket.getValue() >= Math.ceil(quantile * count))
            {
                return "+Inf".equals(bucket.getKey()) ? "over 1 s" : millis(Double.parseDouble(bucket.getKey()) * 1e9);
            }
        }
        return "?";
    }

    private static void rings(final StringBuilder out, final CountersSnapshot current)
    {
        final List<CountersSnapshot.Sample> occupancy = current.samples(CounterType.RING_OCCUPANCY);
        if (occupancy.isEmpty())
        {
            return;
        }
        final Map<String, Long> capacity = new LinkedHashMap<>();
        current.samples(CounterType.RING_CAPACITY).forEach(sample -> capacity.put(sample.label("shard"), sample.value()));
        out.append("ring occupancy    ");
        for (final CountersSnapshot.Sample sample : occupancy)
        {
            final String shard = sample.label("shard");
            out.append(String.format(Locale.ROOT, "  shard %s: %d/%d", shard, sample.value(), capacity.getOrDefault(shard, 0L)));
        }
        out.append(System.lineSeparator());
    }

    private static void labelled(
        final StringBuilder out, final String title, final CounterType type, final String label,
        final CountersSnapshot previous, final CountersSnapshot current, final double seconds)
    {
        final Map<String, Long> totals = byLabel(current, type, label);
        if (totals.isEmpty())
        {
            return;
        }
        final Map<String, Long> before = previous == null ? Map.of() : byLabel(previous, type, label);
        out.append(title).append(System.lineSeparator());
        totals.forEach((key, total) -> out.append(String.format(Locale.ROOT, "  %-24s %,18d %16s%n", key, total,
            previous == null ? "" : String.format(Locale.ROOT, "%,.1f", rate(total - before.getOrDefault(key, 0L), seconds)))));
    }

    private static void errors(
        final StringBuilder out, final CountersSnapshot previous, final CountersSnapshot current, final double seconds)
    {
        final List<CountersSnapshot.Sample> errors = current.samples(CounterType.ERRORS);
        if (errors.isEmpty())
        {
            out.append("errors: none").append(System.lineSeparator());
            return;
        }
        final Map<String, Long> named = new LinkedHashMap<>();
        errors.forEach(sample -> named.merge(sample.label("error") + " (" + sample.label("code") + ")", sample.value(), Long::sum));
        final Map<String, Long> before = new LinkedHashMap<>();
        if (previous != null)
        {
            previous.samples(CounterType.ERRORS).forEach(sample ->
                before.merge(sample.label("error") + " (" + sample.label("code") + ")", sample.value(), Long::sum));
        }
        out.append("errors by code").append(System.lineSeparator());
        named.forEach((key, total) -> out.append(String.format(Locale.ROOT, "  %-40s %,10d %12s%n", key, total,
            previous == null ? "" : String.format(Locale.ROOT, "%,.1f/s", rate(total - before.getOrDefault(key, 0L), seconds)))));
    }

    private static void partitions(
        final StringBuilder out, final CountersSnapshot previous, final CountersSnapshot current, final double seconds,
        final boolean internal)
    {
        final Map<String, Long> before = new LinkedHashMap<>();
        if (previous != null)
        {
            previous.samples(CounterType.PARTITION_END_OFFSET).forEach(sample -> before.put(partition(sample), sample.value()));
        }
        final List<CountersSnapshot.Sample> shown = new ArrayList<>();
        int hidden = 0;
        for (final CountersSnapshot.Sample sample : current.samples(CounterType.PARTITION_END_OFFSET))
        {
            if (internal || !sample.label("topic").startsWith("__"))
            {
                shown.add(sample);
            }
            else
            {
                hidden++;
            }
        }
        shown.sort(Comparator.comparing((CountersSnapshot.Sample sample) -> sample.label("topic"))
            .thenComparingInt(sample -> Integer.parseInt(sample.label("partition"))));
        out.append(String.format(Locale.ROOT, "%-34s %16s %16s%n",
            "partitions (" + shown.size() + (hidden > 0 ? ", " + hidden + " internal hidden" : "") + ")",
            "end offset", previous == null ? "" : "records/s"));
        for (final CountersSnapshot.Sample sample : shown)
        {
            final Long earlier = before.get(partition(sample));
            out.append(String.format(Locale.ROOT, "  %-32s %,16d %16s%n", partition(sample), sample.value(),
                earlier == null ? "" : String.format(Locale.ROOT, "%,.1f", rate(sample.value() - earlier, seconds))));
        }
    }

    private static void lag(final StringBuilder out, final CountersSnapshot current)
    {
        final List<CountersSnapshot.Sample> lags = new ArrayList<>(current.consumerLag());
        if (lags.isEmpty())
        {
            return;
        }
        final Map<Integer, Long> committed = new LinkedHashMap<>();
        current.samples(CounterType.CONSUMER_COMMITTED_OFFSET).forEach(sample -> committed.put(sample.id(), sample.value()));
        lags.sort(Comparator.comparing((CountersSnapshot.Sample sample) -> sample.label("group"))
            .thenComparing(sample -> sample.label("topic"))
            .thenComparingInt(sample -> Integer.parseInt(sample.label("partition"))));
        out.append(String.format(Locale.ROOT, "%-34s %16s %16s%n", "consumer lag", "committed", "lag"));
        for (final CountersSnapshot.Sample sample : lags)
        {
            out.append(String.format(Locale.ROOT, "  %-32s %,16d %,16d%n",
                sample.label("group") + " " + partition(sample), committed.getOrDefault(sample.id(), 0L), sample.value()));
        }
    }

    /** Lines end without the blanks an empty rate column leaves. */
    private static String trimLines(final CharSequence text)
    {
        final StringBuilder trimmed = new StringBuilder(text.length());
        text.toString().lines().forEach(line -> trimmed.append(line.stripTrailing()).append(System.lineSeparator()));
        return trimmed.toString();
    }

    private static String partition(final CountersSnapshot.Sample sample)
    {
        return sample.label("topic") + "-" + sample.label("partition");
    }

    private static Map<String, Long> byLabel(final CountersSnapshot snapshot, final CounterType type, final String label)
    {
        final Map<String, Long> totals = new LinkedHashMap<>();
        snapshot.samples(type).forEach(sample -> totals.merge(sample.label(label), sample.value(), Long::sum));
        return totals;
    }

    private static double rate(final long delta, final double seconds)
    {
        return seconds <= 0 ? 0 : delta / seconds;
    }

    private static String millis(final double nanos)
    {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
