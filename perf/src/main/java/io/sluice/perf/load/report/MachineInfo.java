package io.sluice.perf.load.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What a report says about the machine it ran on: cores, memory, CPU model, kernel, JVM, load average. */
public record MachineInfo(int cores, long memoryKiB, String cpuModel, String kernel, String java, String loadAverage)
{
    public static MachineInfo current()
    {
        return new MachineInfo(
            Runtime.getRuntime().availableProcessors(),
            memTotalKiB(lines("/proc/meminfo")),
            cpuModel(lines("/proc/cpuinfo")),
            System.getProperty("os.name") + " " + System.getProperty("os.version"),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
            loadAverage(lines("/proc/loadavg")));
    }

    /** One line for the report's header. */
    public String describe()
    {
        return String.format(Locale.ROOT, "%d cores (nproc), %.1f GiB memory, %s, %s, %s",
            cores, memoryKiB / 1024.0 / 1024.0, cpuModel, kernel, java);
    }

    /** MemTotal from /proc/meminfo lines, in KiB (0 when absent). */
    static long memTotalKiB(final List<String> meminfo)
    {
        for (final String line : meminfo)
        {
            if (line.startsWith("MemTotal:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /** The first "model name" of /proc/cpuinfo, or "unknown CPU". */
    static String cpuModel(final List<String> cpuinfo)
    {
        for (final String line : cpuinfo)
        {
            if (line.startsWith("model name") && line.indexOf(':') > 0)
            {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown CPU";
    }

    /** The 1, 5 and 15 minute load averages of /proc/loadavg, or "unknown". */
    static String loadAverage(final List<String> loadavg)
    {
        if (loadavg.isEmpty())
        {
            return "unknown";
        }
        final String[] fields = loadavg.get(0).trim().split(" +");
        return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "unknown";
    }

    private static List<String> lines(final String file)
    {
        try
        {
            return Files.readAllLines(Path.of(file), StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            return List.of();
        }
    }
}
