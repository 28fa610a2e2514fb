package io.sluice.tuning.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A made-up proc/ and sys/ tree, filled with what a tuned (or untuned) Linux host would show. */
final class FakeHost
{
    final Path root;

    FakeHost(final Path root)
    {
        this.root = root;
    }

    /** A 4-CPU host on one NUMA node with every setting at Sluice's recommendation. */
    static FakeHost tuned(final Path root)
    {
        return new FakeHost(root)
            .file("sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never")
            .file("sys/kernel/mm/transparent_hugepage/defrag", "always defer [defer+madvise] madvise never")
            .file("proc/meminfo", "MemTotal:       16384000 kB\nMemFree:  1000 kB\nSwapTotal:       2097148 kB\n")
            .file("proc/sys/vm/swappiness", "1")
            .file("proc/sys/vm/dirty_background_ratio", "5")
            .file("proc/sys/vm/dirty_background_bytes", "0")
            .file("proc/sys/vm/dirty_ratio", "40")
            .file("proc/sys/vm/dirty_bytes", "0")
            .file("proc/sys/vm/dirty_expire_centisecs", "1500")
            .file("proc/sys/vm/max_map_count", "262144")
            .file("proc/sys/net/core/rmem_max", "16777216")
            .file("proc/sys/net/core/wmem_max", "16777216")
            .file("proc/sys/net/core/somaxconn", "4096")
            .file("proc/sys/net/ipv4/tcp_rmem", "4096\t131072\t16777216")
            .file("proc/sys/net/ipv4/tcp_wmem", "4096\t16384\t16777216")
            .file("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance")
            .file("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance")
            .file("sys/devices/system/cpu/cpu2/cpufreq/scaling_governor", "performance")
            .file("sys/devices/system/cpu/cpu3/cpufreq/scaling_governor", "performance")
            .file("sys/devices/system/cpu/online", "0-3")
            .file("sys/devices/system/clocksource/clocksource0/current_clocksource", "tsc")
            .file("sys/devices/system/node/node0/cpulist", "0-3")
            .file("proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 isolcpus=2,3 nohz_full=2,3 quiet")
            .file("proc/self/limits",
                "Limit                     Soft Limit           Hard Limit           Units     \n" +
                "Max cpu time              unlimited            unlimited            seconds   \n" +
                "Max open files            1048576              1048576              files     \n");
    }

    FakeHost file(final String path, final String text)
    {
        try
        {
            final Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text + "\n");
            return this;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    FakeHost remove(final String path)
    {
        try
        {
            Files.delete(root.resolve(path));
            return this;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
