package io.sluice.tuning;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/sluice tune}: commands that help an operator tune a host for Sluice. Each subcommand says what it does
 * under {@code --help}.
 */
@Command(
    name = "sluice tune",
    description = "Check and measure the host settings that matter to a Sluice broker.",
    mixinStandardHelpOptions = true,
    subcommands = {TuneCheckCommand.class, PingPongCommand.class})
public final class TuneCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: check or pingpong");
    }

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new TuneCommand()).execute(args));
    }
}
