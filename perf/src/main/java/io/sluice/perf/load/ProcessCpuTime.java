package io.sluice.perf.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of a process, user plus system over all its threads, read from Linux's {@code /proc/<pid>/stat}
 * (fields 14 utime and 15 stime, in clock ticks). Used for the broker's own CPU per record, which on a machine with
 * few cores says more about the broker than records/s, since the stock client eats most of the CPU.
 * <p>
 * Stateless and thread-safe.
 */
public final class ProcessCpuTime
{
    private static final int UTIME_FIELD = 14;
    private static final int FIRST_FIELD_AFTER_COMM = 3;

    private final long nanosPerTick;

    /** @param ticksPerSecond the kernel's USER_HZ ({@code getconf CLK_TCK}), 100 on every common Linux */
    public ProcessCpuTime(final long ticksPerSecond)
    {
        this.nanosPerTick = TimeUnit.SECONDS.toNanos(1) / ticksPerSecond;
    }

    /** Reads USER_HZ from {@code getconf CLK_TCK}, or assumes 100 when that cannot run. */
    public static ProcessCpuTime forThisMachine()
    {
        try
        {
            final Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            final String out;
            try (InputStream in = getconf.getInputStream())
            {
                out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            }
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0 && out.matches("[0-9]+"))
            {
                return new ProcessCpuTime(Long.parseLong(out));
            }
        }
        catch (final IOException ex)
        {
            // no getconf: fall through to the Linux default
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return new ProcessCpuTime(100);
    }

    /**
     * utime + stime in clock ticks from one line of {@code /proc/<pid>/stat}. The command name (field 2) is in
     * parentheses and may itself hold spaces and parentheses, so fields are counted from the last ')'.
     */
    public static long parseTicks(final String statLine)
    {
        final int commEnd = statLine.lastIndexOf(')');
        if (commEnd < 0)
        {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
        }
        final String[] fields = statLine.substring(commEnd + 1).trim().split(" +");
        final int utime = UTIME_FIELD - FIRST_FIELD_AFTER_COMM;
        if (fields.length <= utime + 1)
        {
            throw new IllegalArgumentException("/proc/<pid>/stat line too short: " + statLine);
        }
        return Long.parseLong(fields[utime]) + Long.parseLong(fields[utime + 1]);
    }

    /** CPU time in nanoseconds that process {@code pid} has used so far (resolution: one clock tick). */
    public long nanos(final long pid)
    {
        final Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try
        {
            return parseTicks(Files.readString(stat, StandardCharsets.US_ASCII)) * nanosPerTick;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + stat + " (is process " + pid + " running?)", ex);
        }
    }
}
