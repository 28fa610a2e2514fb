package io.sluice.cli;

import io.sluice.cli.consume.ConsumeCommand;
import io.sluice.cli.groups.GroupsCommand;
import io.sluice.cli.produce.ProduceCommand;
import io.sluice.cli.stat.StatCommand;
import io.sluice.cli.topics.TopicsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code sluice topics|produce|consume|groups|stat}: everyday operations over the Kafka protocol (so they work
 * against Apache Kafka as well), and the broker's counters read from its counters file.
 *
 * <p>Exit status, for scripts: 0 done, 1 failed (one line on standard error says why), 2 bad usage (the usage
 * follows the one-line reason).
 */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = SluiceCli.Version.class,
    description = "Everyday operations on a Sluice (or any Kafka) broker, and the broker's live counters.",
    subcommands = {
        TopicsCommand.class, ProduceCommand.class, ConsumeCommand.class, GroupsCommand.class, StatCommand.class })
public final class SluiceCli
{
    /** The command failed: its reason is on standard error. */
    public static final int EXIT_FAILED = 1;
    /** The command line was wrong: the reason and the usage are on standard error. */
    public static final int EXIT_USAGE = 2;

    private SluiceCli()
    {
    }

    public static void main(final String[] args)
    {
        final int status = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(status);
    }

    /**
     * Run one command line with the given output and error streams (tests run commands in-process this way).
     *
     * @return the exit status.
     */
    public static int run(final PrintWriter out, final PrintWriter err, final String... args)
    {
        final CommandLine commandLine = new CommandLine(SluiceCli.class);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExitCodeExceptionMapper(ex -> EXIT_FAILED);
        commandLine.setExecutionExceptionHandler((ex, line, parseResult) ->
        {
            line.getErr().println("sluice " + commandPath(line) + ": " + ErrorLine.of(ex));
            line.getErr().flush();
            return EXIT_FAILED;
        });
        commandLine.setParameterExceptionHandler((ex, args1) ->
        {
            final CommandLine line = ex.getCommandLine();
            line.getErr().println("sluice " + commandPath(line) + ": " + ex.getMessage());
            line.usage(line.getErr());
            line.getErr().flush();
            return EXIT_USAGE;
        });
        final int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    private static String commandPath(final CommandLine line)
    {
        final String path = line.getCommandSpec().qualifiedName(" ");
        return path.startsWith("sluice ") ? path.substring("sluice ".length()) : path;
    }

    /** The version from the broker build this CLI was built with. */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            return new String[] {"sluice " + io.sluice.broker.Broker.version()};
        }
    }
}
