package io.sluice.perf.load;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.sluice.perf.load.driver.KafkaLoadDriver;
import io.sluice.perf.load.driver.NativeLoadDriver;
import io.sluice.perf.load.driver.LoadDriver;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A workload subcommand: validates the options, runs the workload over the Kafka-protocol driver, prints the final
 * table to stdout and writes {@code --json}, {@code --plot}. Exit code 0, or 1 when a record failed or went missing
 * or nothing was measured, 2 for a bad option.
 */
public abstract class WorkloadCommand implements Callable<Integer>
{
    @Mixin
    LoadOptions options;

    @Spec
    CommandSpec spec;

    /** The workload this command runs. */
    protected abstract Workload workload(LoadOptions options, LoadDriver driver, PrintStream progress);

    @Override
    public Integer call() throws Exception
    {
        final String kind = spec.name();
        try
        {
            options.validate(kind);
        }
        catch (final IllegalArgumentException ex)
        {
            spec.commandLine().getErr().println(ex.getMessage());
            return 2;
        }
        final PrintStream out = new PrintStream(System.out, true);
        final PrintStream err = new PrintStream(System.err, true);
        try (LoadDriver driver = "native".equals(options.protocol) ?
            new NativeLoadDriver(options.bootstrap, options.consumerProps) :
            new KafkaLoadDriver(options.bootstrap, options.consumerProps))
        {
            final Workload workload = workload(options, driver, err);
            final LoadResult result = workload.run();
            out.print(ResultTable.render(result));
            if (options.json != null)
            {
                result.write(options.json);
            }
            final Histogram latency = workload.latency();
            if (options.plot != null && latency != null && latency.getTotalCount() > 0)
            {
                final Map<String, Histogram> curves = new LinkedHashMap<>();
                curves.put(options.label, latency);
                LatencyPlot.write(options.plot, kind + " latency, " + options.recordSize + " B records, " +
                    (options.rate == 0 ? "unbounded" : options.rate + " records/s"), curves);
            }
            return result.records() > 0 && result.errors() == 0 && result.missing() == 0 ? 0 : 1;
        }
    }

    @Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Producer throughput and acknowledgement latency (from each record's due time).")
    static final class Produce extends WorkloadCommand
    {
        @Override
        protected Workload workload(final LoadOptions options, final LoadDriver driver, final PrintStream progress)
        {
            return new ProduceWorkload(options, driver, progress);
        }
    }

    @Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Consumer throughput: read --records records from the start of the topic (topped up first).")
    static final class Consume extends WorkloadCommand
    {
        @Override
        protected Workload workload(final LoadOptions options, final LoadDriver driver, final PrintStream progress)
        {
            return new ConsumeWorkload(options, driver, progress);
        }
    }

    @Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "End-to-end latency at a fixed --rate: due time in the record, measured at the consumer.")
    static final class EndToEnd extends WorkloadCommand
    {
        @Override
        protected Workload workload(final LoadOptions options, final LoadDriver driver, final PrintStream progress)
        {
            return new EndToEndWorkload(options, driver, progress);
        }
    }
}
