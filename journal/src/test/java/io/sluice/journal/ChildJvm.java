package io.sluice.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash test's child: a JVM running a test class's {@code main} on this test's class path, whose output lines
 * are queued for the test as they come, until the test kills it with SIGKILL.
 */
final class ChildJvm
{
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final Thread reader;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(final Process process, final String name)
    {
        this.process = process;
        reader = new Thread(this::readLines, name + "-reader");
        reader.start();
    }

    /** Start {@code main} in a small JVM with the flags Agrona and the CRC32C by address need. */
    static ChildJvm start(final Class<?> main, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx64m",
            "-XX:TieredStopAtLevel=1",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.zip=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            main.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start(), main.getSimpleName());
    }

    /** The next line the child printed, waiting until {@code deadlineNanos}; null when it has exited or time is up. */
    String nextLine(final long deadlineNanos) throws InterruptedException
    {
        final String line = lines.poll(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        return line == null || line.equals(EOF) ? null : line;
    }

    /** SIGKILL the child and wait for it; the lines it printed that were not taken yet, in order. */
    List<String> kill() throws InterruptedException
    {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(30));
        final List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        rest.remove(EOF);
        return rest;
    }

    private void readLines()
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                lines.add(line);
            }
        }
        catch (final IOException ignored)
        {
            // The stream closes when the child dies; whatever was read is in the queue.
        }
        lines.add(EOF);
    }
}
