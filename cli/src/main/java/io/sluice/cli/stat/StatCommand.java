package io.sluice.cli.stat;

import io.sluice.broker.metrics.CountersSnapshot;
import io.sluice.broker.metrics.MetricsFile;
import io.sluice.broker.metrics.PrometheusEncoder;
import io.sluice.cli.CliFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * {@code sluice stat}: the broker's counters, read from its counters file by mapping it read-only, so it works
 * from any process on the broker's machine while the broker runs (and shows the last values after it stops).
 * Refreshes every {@code --interval} with rates per second; {@code --once} prints one snapshot for scripts.
 * A broker restart replaces the file; the view follows to the new one.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Watch the broker's counters (read from its counters file): totals and rates per second.")
public final class StatCommand implements Callable<Integer>
{
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Spec
    CommandSpec spec;

    @Option(names = "--file", paramLabel = "FILE",
        description = "The counters file (the broker's sluice.metrics.file).")
    Path file;

    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = "./data",
        description = "The broker's first log dir, holding " + MetricsFile.DEFAULT_FILE_NAME + " (default: ${DEFAULT-VALUE}).")
    Path logDir;

    @Option(names = "--once", description = "Print one snapshot (totals, no rates) and exit.")
    boolean once;

    @Option(names = "--raw", description = "Print every counter as a Prometheus text line instead of the summary.")
    boolean raw;

    @Option(names = "--internal", description = "Also list the partitions of internal topics (__consumer_offsets ...).")
    boolean internal;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
        description = "Seconds between refreshes (default: ${DEFAULT-VALUE}).")
    double intervalSeconds;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N refreshes (default: until Ctrl-C).")
    Long count;

    @Override
    public Integer call() throws InterruptedException
    {
        if (intervalSeconds <= 0)
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--interval must be positive");
        }
        final Path path = file != null ? file : logDir.resolve(MetricsFile.DEFAULT_FILE_NAME);
        final PrintWriter out = spec.commandLine().getOut();
        MetricsFile mapped = open(path);
        Object identity = identity(path);
        try
        {
            if (once)
            {
                out.print(show(mapped, path, null, CountersSnapshot.take(mapped.reader())));
                out.flush();
                return 0;
            }
            final boolean terminal = System.console() != null;
            CountersSnapshot previous = null;
            for (long shown = 0; count == null || shown < count; shown++)
            {
                final Object now = identity(path);
                if (!Objects.equals(now, identity) && now != null)
                {
                    // The broker restarted and made a new file: follow it, and start the rates afresh.
                    mapped.close();
                    mapped = open(path);
                    identity = now;
                    previous = null;
                }
                final CountersSnapshot current = CountersSnapshot.take(mapped.reader());
                out.print((terminal ? CLEAR_SCREEN : "") + show(mapped, path, previous, current));
                if (!terminal)
                {
                    out.println();
                }
                out.flush();
                previous = current;
                if (count == null || shown + 1 < count)
                {
                    Thread.sleep((long)(intervalSeconds * 1000));
                }
            }
            return 0;
        }
        finally
        {
            mapped.close();
        }
    }

    private String show(final MetricsFile mapped, final Path path, final CountersSnapshot previous, final CountersSnapshot current)
    {
        if (raw)
        {
            return PrometheusEncoder.encode(current);
        }
        final StatView.Broker broker = new StatView.Broker(
            mapped.pid(), mapped.startTimeMs(), isRunning(mapped.pid(), mapped.startTimeMs()), path.toString());
        return StatView.render(broker, previous, current, System.currentTimeMillis(), internal);
    }

    private static MetricsFile open(final Path path)
    {
        try
        {
            return MetricsFile.openReadOnly(path);
        }
        catch (final IllegalStateException ex)
        {
            throw new CliFailure(ex.getMessage());
        }
    }

    /** The file's identity (inode): a restarted broker deletes and recreates the file. Null when it is gone. */
    private static Object identity(final Path path)
    {
        try
        {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /** The pid is alive and its process started before the file was made (a reused pid belongs to a later one). */
    private static boolean isRunning(final long pid, final long startTimeMs)
    {
        return ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .map(process -> process.info().startInstant()
                .map(start -> start.toEpochMilli() <= startTimeMs + 5_000)
                .orElse(true))
            .orElse(false);
    }
}
