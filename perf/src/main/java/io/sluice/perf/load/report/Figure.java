package io.sluice.perf.load.report;

import java.util.function.Function;

import io.sluice.perf.load.LoadResult;

/**
 * One figure a run reports, how to read it from a {@link LoadResult}, and which way is better. Latencies are read in
 * milliseconds, CPU in microseconds per record.
 */
public enum Figure
{
    RECORDS_PER_SECOND("records/s", true, LoadResult::recordsPerSecond),
    MIB_PER_SECOND("MiB/s", true, LoadResult::mibPerSecond),
    P50_MS("p50 ms", false, r -> r.latency() == null ? null : r.latency().p50() / 1e3),
    P90_MS("p90 ms", false, r -> r.latency() == null ? null : r.latency().p90() / 1e3),
    P99_MS("p99 ms", false, r -> r.latency() == null ? null : r.latency().p99() / 1e3),
    P999_MS("p99.9 ms", false, r -> r.latency() == null ? null : r.latency().p999() / 1e3),
    MAX_MS("max ms", false, r -> r.latency() == null ? null : r.latency().max() / 1e3),
    BROKER_CPU_US("broker CPU us/record", false, LoadResult::brokerCpuUsPerRecord),
    CLIENT_CPU_US("client CPU us/record", false, LoadResult::clientCpuUsPerRecord);

    private final String title;
    private final boolean higherIsBetter;
    private final Function<LoadResult, Double> reader;

    Figure(final String title, final boolean higherIsBetter, final Function<LoadResult, Double> reader)
    {
        this.title = title;
        this.higherIsBetter = higherIsBetter;
        this.reader = reader;
    }

    public String title()
    {
        return title;
    }

    public boolean higherIsBetter()
    {
        return higherIsBetter;
    }

    /** The figure of {@code result}, or null when that run did not measure it. */
    public Double of(final LoadResult result)
    {
        return reader.apply(result);
    }
}
