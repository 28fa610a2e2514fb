package io.sluice.perf.load;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import org.HdrHistogram.Histogram;

/**
 * The final figures of one run, as printed and as written by {@code --json} for {@code perf/compare}. Latencies are
 * in microseconds; CPU per record in microseconds of CPU time; a figure that was not measured is null.
 *
 * @param workload              produce, consume or e2e
 * @param name                  the run's name ({@code --name}), e.g. "produce-100B-acks1"
 * @param label                 which broker ({@code --label}), e.g. "sluice"
 * @param recordSize            value bytes per record
 * @param acks                  producer acks
 * @param rate                  target records/s, 0 = unbounded
 * @param records               records measured (acknowledged, received or read)
 * @param bytes                 key and value bytes of those records
 * @param seconds               length of the measured window
 * @param recordsPerSecond      records / seconds
 * @param mibPerSecond          bytes / seconds in MiB
 * @param errors                sends that failed inside the window
 * @param missing               e2e: acknowledged records never received
 * @param unsent                fixed rate: records due inside the window that the run never got to send (the rate
 *                              was not sustained); their latency is in no percentile
 * @param latency               percentiles, null for consume
 * @param brokerCpuUsPerRecord  broker CPU time (all given pids) per record, null without {@code --broker-pid}
 * @param clientCpuUsPerRecord  this harness's CPU time per record
 * @param hdrFile               the HdrHistogram log ({@code --hdr}), or null
 */
public record LoadResult(
    String workload,
    String name,
    String label,
    int recordSize,
    String acks,
    long rate,
    long records,
    long bytes,
    double seconds,
    double recordsPerSecond,
    double mibPerSecond,
    long errors,
    long missing,
    long unsent,
    Latency latency,
    Double brokerCpuUsPerRecord,
    Double clientCpuUsPerRecord,
    String hdrFile)
{
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * Latency percentiles in microseconds.
     *
     * @param count records in the histogram
     */
    public record Latency(long count, double p50, double p90, double p99, double p999, double max)
    {
        /** The percentiles of a histogram recorded in nanoseconds. */
        public static Latency of(final Histogram nanos)
        {
            return new Latency(
                nanos.getTotalCount(),
                nanos.getValueAtPercentile(50) / 1e3,
                nanos.getValueAtPercentile(90) / 1e3,
                nanos.getValueAtPercentile(99) / 1e3,
                nanos.getValueAtPercentile(99.9) / 1e3,
                nanos.getMaxValue() / 1e3);
        }
    }

    public void write(final Path file) throws IOException
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            GSON.toJson(this, out);
        }
    }

    public static LoadResult read(final Path file) throws IOException
    {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final LoadResult result = GSON.fromJson(in, LoadResult.class);
            if (result == null || result.name() == null || result.label() == null)
            {
                throw new IOException(file + " is not a sluice perf result (no name or label)");
            }
            return result;
        }
    }
}
