package io.sluice.perf.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Pins this whole process to a list of CPUs with {@code taskset -a -p -c}: every thread it has, and through them
 * every thread it makes later. Java can pin only the calling thread, and the threads that matter most here are not
 * the harness's own: kafka-clients' network thread and the JIT's compiler threads. Linux only.
 */
final class ProcessPinning
{
    private static final long TIMEOUT_SECONDS = 10;

    private ProcessPinning()
    {
    }

    /**
     * @param cpus a list as {@code taskset -c} and {@link io.sluice.tuning.CpuList} write it: {@code 0}, {@code 0-2}
     * @throws IllegalStateException with taskset's own words when it cannot be run or refuses the list
     */
    static void pin(final String cpus)
    {
        final String pid = Long.toString(ProcessHandle.current().pid());
        final String command = "taskset -a -p -c " + cpus + " " + pid;
        try
        {
            final Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, pid)
                .redirectErrorStream(true)
                .start();
            final String output;
            try (InputStream in = taskset.getInputStream())
            {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!taskset.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                taskset.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (taskset.exitValue() != 0)
            {
                throw new IllegalStateException(command + " failed: " + output);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(command + " could not be run: " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command + " was interrupted", ex);
        }
    }
}
