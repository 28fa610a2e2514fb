package io.sluice.perf.load;

import java.util.Locale;

/** The final table of one run, as printed to stdout: throughput, latency percentiles and CPU per record. */
public final class ResultTable
{
    private ResultTable()
    {
    }

    public static String render(final LoadResult result)
    {
        final StringBuilder out = new StringBuilder(512);
        out.append(String.format(Locale.ROOT, "%s %s  %d B records  acks=%s  rate %s%n",
            result.workload(), result.label(), result.recordSize(), result.acks(),
            result.rate() == 0 ? "unbounded" : Figures.whole(result.rate()) + "/s"));
        row(out, "records", Figures.whole(result.records()) + " in " +
            String.format(Locale.ROOT, "%.2f s", result.seconds()));
        row(out, "throughput", Figures.whole(result.recordsPerSecond()) + " records/s   " +
            Figures.decimal(result.mibPerSecond(), 2) + " MiB/s");
        if (result.errors() > 0 || result.missing() > 0)
        {
            row(out, "failed", result.errors() + " errors, " + result.missing() + " missing");
        }
        if (result.unsent() > 0)
        {
            row(out, "unsent", Figures.whole(result.unsent()) + " records due in the window never sent: " +
                "the rate was not sustained");
        }
        final LoadResult.Latency latency = result.latency();
        if (latency != null)
        {
            row(out, "latency ms", String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s",
                us(latency.p50()), us(latency.p90()), us(latency.p99()), us(latency.p999()), us(latency.max())));
        }
        if (result.brokerCpuUsPerRecord() != null)
        {
            row(out, "broker CPU", Figures.decimal(result.brokerCpuUsPerRecord(), 3) + " us/record");
        }
        if (result.clientCpuUsPerRecord() != null)
        {
            row(out, "client CPU", Figures.decimal(result.clientCpuUsPerRecord(), 3) + " us/record");
        }
        return out.toString();
    }

    private static String us(final double micros)
    {
        return Figures.millis(micros * 1e3);
    }

    private static void row(final StringBuilder out, final String name, final String value)
    {
        out.append(String.format(Locale.ROOT, "  %-12s %s%n", name, value));
    }
}
