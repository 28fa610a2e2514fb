package io.sluice.perf.load.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.sluice.perf.load.LatencyPlot;
import io.sluice.perf.load.LoadResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/sluice perf report DIR}: reads every {@code *.json} result in DIR (as written by {@code --json}, in file
 * name order), prints the table of medians with candidate/baseline ratios, and writes a Markdown report and one
 * latency-percentile PNG per latency run (curves merged from each broker's {@code --hdr} logs).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Table of medians and Sluice/Kafka ratios from --json results; Markdown report and PNG plots.")
public final class ReportCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "DIR", description = "Directory of --json results.")
    Path runs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "perf/results",
        description = "Where the report and plots go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--prefix", defaultValue = "compare-latest",
        description = "File name prefix of the report (PREFIX.md) and plots (PREFIX-RUN.png). Default: ${DEFAULT-VALUE}.")
    String prefix;

    @Option(names = "--baseline", defaultValue = "kafka", description = "Label ratios divide by. Default: ${DEFAULT-VALUE}.")
    String baseline;

    @Option(names = "--candidate", defaultValue = "sluice", description = "Label ratios are of. Default: ${DEFAULT-VALUE}.")
    String candidate;

    @Option(names = "--title", defaultValue = "Sluice and Apache Kafka side by side",
        description = "Report title.")
    String title;

    @Option(names = "--note", paramLabel = "TEXT", description = "A line for the report's settings list (repeatable).")
    List<String> notes = new ArrayList<>();

    @Override
    public Integer call() throws IOException
    {
        final List<LoadResult> results = read(runs);
        if (results.isEmpty())
        {
            System.err.println("no *.json results in " + runs);
            return 1;
        }
        final Comparison comparison = Comparison.of(results, baseline, candidate);
        System.out.print(ComparisonTable.text(comparison));
        Files.createDirectories(out);
        final List<String> plots = plot(results);
        final Path report = out.resolve(prefix + ".md");
        Files.writeString(report, markdown(comparison, results, plots, MachineInfo.current()), StandardCharsets.UTF_8);
        System.out.println("report: " + report);
        return 0;
    }

    static List<LoadResult> read(final Path dir) throws IOException
    {
        final List<Path> files;
        try (Stream<Path> list = Files.list(dir))
        {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        final List<LoadResult> results = new ArrayList<>();
        for (final Path file : files)
        {
            results.add(LoadResult.read(file));
        }
        return results;
    }

    private List<String> plot(final List<LoadResult> results) throws IOException
    {
        final Map<String, Map<String, Histogram>> byName = new LinkedHashMap<>();
        final Map<String, LoadResult> samples = new LinkedHashMap<>();
        for (final LoadResult result : results)
        {
            if (result.latency() == null || result.hdrFile() == null || !Files.isReadable(Path.of(result.hdrFile())))
            {
                continue;
            }
            samples.putIfAbsent(result.name(), result);
            final Histogram merged = byName.computeIfAbsent(result.name(), k -> new LinkedHashMap<>())
                .computeIfAbsent(result.label(), k -> new Histogram(3));
            final HistogramLogReader reader = new HistogramLogReader(result.hdrFile());
            try
            {
                Histogram interval;
                while ((interval = (Histogram)reader.nextIntervalHistogram()) != null)
                {
                    merged.add(interval);
                }
            }
            finally
            {
                reader.close();
            }
        }
        final List<String> files = new ArrayList<>();
        for (final Map.Entry<String, Map<String, Histogram>> entry : byName.entrySet())
        {
            final LoadResult sample = samples.get(entry.getKey());
            final String file = prefix + "-" + entry.getKey() + ".png";
            LatencyPlot.write(out.resolve(file), entry.getKey() + ": " + sample.workload() + " latency, " +
                sample.recordSize() + " B, acks=" + sample.acks() + ", " +
                (sample.rate() == 0 ? "unbounded" : sample.rate() + " records/s") + " (all runs merged)",
                entry.getValue());
            files.add(file);
        }
        return files;
    }

    private String markdown(
        final Comparison comparison, final List<LoadResult> results, final List<String> plots, final MachineInfo machine)
    {
        final StringBuilder md = new StringBuilder(8192);
        md.append("# ").append(title).append("\n\n");
        md.append("Written ")
            .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
            .append(" by `perf/compare` (`bin/sluice perf report`).\n\n");
        md.append("* Machine: ").append(machine.describe()).append('\n');
        md.append("* Load average (1/5/15 min) when the report was written: ").append(machine.loadAverage())
            .append('\n');
        for (final String note : notes)
        {
            md.append("* ").append(note).append('\n');
        }
        md.append("\n## Medians\n\n");
        md.append("Each cell is the median over the runs of that broker; runs alternated between the brokers. ")
            .append("The ratio is ").append(comparison.candidate()).append('/').append(comparison.baseline())
            .append(": above 1 is better for records/s and MiB/s, below 1 is better for latency and CPU. ")
            .append("Targets are the perf issue's.\n\n");
        md.append(ComparisonTable.markdown(comparison));
        if (!plots.isEmpty())
        {
            md.append("\n## Latency percentile curves\n\n");
            for (final String plot : plots)
            {
                md.append("![").append(plot).append("](").append(plot).append(")\n\n");
            }
        }
        md.append("\n## Every run\n\n");
        md.append("| run | broker | records | records/s | MiB/s | p50 ms | p99 ms | p99.9 ms | max ms | ")
            .append("broker CPU us/rec | client CPU us/rec | errors | missing | unsent |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final LoadResult r : results)
        {
            md.append("| ").append(r.name()).append(" | ").append(r.label())
                .append(" | ").append(ComparisonTable.format((double)r.records()))
                .append(" | ").append(ComparisonTable.format(r.recordsPerSecond()))
                .append(" | ").append(ComparisonTable.format(r.mibPerSecond()))
                .append(" | ").append(ComparisonTable.format(Figure.P50_MS.of(r)))
                .append(" | ").append(ComparisonTable.format(Figure.P99_MS.of(r)))
                .append(" | ").append(ComparisonTable.format(Figure.P999_MS.of(r)))
                .append(" | ").append(ComparisonTable.format(Figure.MAX_MS.of(r)))
                .append(" | ").append(ComparisonTable.format(r.brokerCpuUsPerRecord()))
                .append(" | ").append(ComparisonTable.format(r.clientCpuUsPerRecord()))
                .append(" | ").append(r.errors())
                .append(" | ").append(r.missing())
                .append(" | ").append(r.unsent())
                .append(" |\n");
        }
        return md.toString();
    }
}
