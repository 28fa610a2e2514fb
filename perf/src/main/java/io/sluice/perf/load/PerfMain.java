package io.sluice.perf.load;

import io.sluice.perf.load.report.ReportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/sluice perf}: the load harness. Workloads {@code produce}, {@code consume} and {@code e2e} drive a broker
 * over the Kafka protocol; {@code report} turns the JSON results of several runs (perf/compare) into a table of
 * medians with Sluice/Kafka ratios, a Markdown report and plots.
 */
@Command(
    name = "bin/sluice perf",
    subcommands = {WorkloadCommand.Produce.class, WorkloadCommand.Consume.class, WorkloadCommand.EndToEnd.class,
        ReportCommand.class},
    description = "Load harness: drive a broker over the Kafka protocol and measure throughput, latency "
        + "(HdrHistogram, corrected for coordinated omission) and broker CPU per record.")
public final class PerfMain implements Runnable
{
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public static void main(final String[] args)
    {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new PerfMain()).execute(args));
    }

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "name a workload: produce, consume, e2e (or report)");
    }
}
