package io.sluice.tuning;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class TuneCommandTest
{
    @TempDir
    Path root;

    private final StringWriter err = new StringWriter();

    @Test
    void shouldExitZeroWhateverTheCheckFinds() throws Exception
    {
        Files.createDirectories(root.resolve("proc/sys/vm"));
        Files.writeString(root.resolve("proc/sys/vm/swappiness"), "60\n");
        Files.writeString(root.resolve("proc/meminfo"), "SwapTotal:  1024 kB\n");

        final Run run = execute("check", "--root", root.toString());

        assertThat(run.exit).isZero();
        assertThat(run.out).contains("ADVISE   vm.swappiness").contains("settings read from " + root);
    }

    @Test
    void shouldPrintJsonWhenAsked()
    {
        final Run run = execute("check", "--json", "--root", root.toString());

        assertThat(run.exit).isZero();
        assertThat(run.out).startsWith("{\"source\":").contains("\"verdict\":\"INFO\"");
    }

    @Test
    void shouldExitOneInOneLineWhenItCannotRun()
    {
        final Run run = execute("check", "--root", root.resolve("missing").toString());

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err.strip())
            .isEqualTo("sluice tune check: --root " + root.resolve("missing") + " is not a directory");
    }

    @Test
    void shouldRejectAMalformedIdleStrategyNamingIt()
    {
        final Run run = execute("pingpong", "--idle", "spin");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("invalid idle strategy 'spin'");
    }

    @Test
    void shouldRejectCpusInLoopbackMode()
    {
        final Run run = execute("pingpong", "--mode", "loopback", "--cpus", "0");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("--cpus applies to handoff only");
    }

    @Test
    void shouldAskForASubcommand()
    {
        final Run run = execute();

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("a subcommand is required: check or pingpong");
    }

    private Run execute(final String... args)
    {
        final PrintStream stdout = System.out;
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try
        {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            final int exit = new CommandLine(new TuneCommand()).setErr(new PrintWriter(err, true)).execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err + errBytes.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private record Run(int exit, String out, String err)
    {
    }
}
