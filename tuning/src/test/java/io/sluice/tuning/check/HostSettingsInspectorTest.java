package io.sluice.tuning.check;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class HostSettingsInspectorTest
{
    @TempDir
    Path root;

    @Test
    void shouldPassATunedHostWithNothingToAdvise()
    {
        final List<Finding> findings = new HostSettingsInspector(FakeHost.tuned(root).root).inspect();

        assertThat(findings).extracting(Finding::setting).containsExactly(
            "transparent_hugepage/enabled", "transparent_hugepage/defrag", "vm.swappiness",
            "vm.dirty_background_ratio", "vm.dirty_ratio", "vm.dirty_expire_centisecs", "vm.max_map_count",
            "net.core.rmem_max", "net.core.wmem_max", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem", "net.core.somaxconn",
            "cpufreq scaling_governor", "clocksource", "CPUs", "NUMA nodes", "isolated CPUs", "open files (ulimit -n)");
        assertThat(findings).allMatch(f -> f.verdict() != Verdict.ADVISE, "no ADVISE");
        assertThat(find(findings, "transparent_hugepage/defrag").found()).isEqualTo("defer+madvise");
        assertThat(find(findings, "net.ipv4.tcp_rmem").found()).isEqualTo("4096 131072 16777216");
        assertThat(find(findings, "cpufreq scaling_governor").found()).isEqualTo("performance on 4 CPUs");
        assertThat(find(findings, "CPUs").found()).isEqualTo("4 online (0-3)");
        assertThat(find(findings, "NUMA nodes").found()).isEqualTo("1");
        assertThat(find(findings, "isolated CPUs").found()).isEqualTo("isolcpus=2,3 nohz_full=2,3");
        assertThat(find(findings, "open files (ulimit -n)").found()).isEqualTo("1048576 (hard 1048576)");
    }

    @Test
    void shouldAdviseOnADistributionDefaultHost()
    {
        final FakeHost host = FakeHost.tuned(root)
            .file("sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never")
            .file("sys/kernel/mm/transparent_hugepage/defrag", "[always] defer defer+madvise madvise never")
            .file("proc/sys/vm/swappiness", "60")
            .file("proc/sys/vm/dirty_background_ratio", "10")
            .file("proc/sys/vm/dirty_ratio", "10")
            .file("proc/sys/vm/dirty_expire_centisecs", "6000")
            .file("proc/sys/vm/max_map_count", "65530")
            .file("proc/sys/net/core/rmem_max", "65536")
            .file("proc/sys/net/core/somaxconn", "128")
            .file("proc/sys/net/ipv4/tcp_wmem", "4096 16384 1048576")
            .file("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "powersave")
            .file("sys/devices/system/clocksource/clocksource0/current_clocksource", "hpet")
            .file("proc/self/limits", "Max open files            1024                 524288               files");

        final List<Finding> findings = new HostSettingsInspector(host.root).inspect();

        assertThat(findings).filteredOn(f -> f.verdict() == Verdict.ADVISE).extracting(Finding::setting)
            .containsExactly(
            "transparent_hugepage/enabled", "transparent_hugepage/defrag", "vm.swappiness",
            "vm.dirty_background_ratio", "vm.dirty_ratio", "vm.dirty_expire_centisecs", "vm.max_map_count",
            "net.core.rmem_max", "net.ipv4.tcp_wmem", "net.core.somaxconn", "cpufreq scaling_governor", "clocksource",
            "open files (ulimit -n)");
        assertThat(find(findings, "transparent_hugepage/enabled").found()).isEqualTo("always");
        assertThat(find(findings, "cpufreq scaling_governor").found())
            .isEqualTo("performance on 3 CPUs, powersave on 1 CPU");
        assertThat(find(findings, "open files (ulimit -n)").found()).isEqualTo("1024 (hard 524288)");
        assertThat(find(findings, "vm.swappiness").why()).contains("disk read");
    }

    @Test
    void shouldCallSwappinessHarmlessWithoutSwap()
    {
        final FakeHost host = FakeHost.tuned(root)
            .file("proc/meminfo", "MemTotal:       16384000 kB\nSwapTotal:             0 kB")
            .file("proc/sys/vm/swappiness", "60");

        final Finding swappiness = find(new HostSettingsInspector(host.root).inspect(), "vm.swappiness");

        assertThat(swappiness.verdict()).isEqualTo(Verdict.OK);
        assertThat(swappiness.found()).isEqualTo("60 (no swap configured)");
    }

    @Test
    void shouldJudgeDirtyBytesAsAShareOfMemoryWhenSet()
    {
        final FakeHost host = FakeHost.tuned(root)
            .file("proc/meminfo", "MemTotal:       1048576 kB\nSwapTotal:             0 kB")
            .file("proc/sys/vm/dirty_background_bytes", "104857600")
            .file("proc/sys/vm/dirty_bytes", "536870912");

        final List<Finding> findings = new HostSettingsInspector(host.root).inspect();

        final Finding background = find(findings, "vm.dirty_background_bytes");
        assertThat(background.found()).isEqualTo("104857600 bytes (9.8 % of memory)");
        assertThat(background.verdict()).isEqualTo(Verdict.ADVISE);
        final Finding dirty = find(findings, "vm.dirty_bytes");
        assertThat(dirty.found()).isEqualTo("536870912 bytes (50.0 % of memory)");
        assertThat(dirty.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void shouldSayNotExposedForWhatAVirtualMachineLeavesOut()
    {
        final FakeHost host = FakeHost.tuned(root)
            .remove("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")
            .remove("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")
            .remove("sys/devices/system/cpu/cpu2/cpufreq/scaling_governor")
            .remove("sys/devices/system/cpu/cpu3/cpufreq/scaling_governor")
            .remove("sys/kernel/mm/transparent_hugepage/enabled")
            .remove("proc/sys/vm/max_map_count");

        final List<Finding> findings = new HostSettingsInspector(host.root).inspect();

        for (final String setting :
            List.of("cpufreq scaling_governor", "transparent_hugepage/enabled", "vm.max_map_count"))
        {
            assertThat(find(findings, setting).found()).isEqualTo("not exposed");
            assertThat(find(findings, setting).verdict()).isEqualTo(Verdict.INFO);
        }
        assertThat(find(findings, "cpufreq scaling_governor").why()).startsWith("no cpufreq driver");
    }

    @Test
    void shouldReportEverySettingAsNotExposedOnAnEmptyTree()
    {
        final List<Finding> findings = new HostSettingsInspector(root).inspect();

        assertThat(findings).hasSize(18).allMatch(f -> f.verdict() == Verdict.INFO && f.found().equals("not exposed"));
    }

    @Test
    void shouldReadTheLiveHostWithoutFailing()
    {
        final List<Finding> findings = new HostSettingsInspector(Path.of("/")).inspect();

        assertThat(findings).hasSize(18);
        if (System.getProperty("os.name").startsWith("Linux"))
        {
            assertThat(find(findings, "vm.swappiness").found()).matches("\\d+.*");
        }
    }

    private static Finding find(final List<Finding> findings, final String setting)
    {
        return findings.stream().filter(f -> f.setting().equals(setting)).findFirst().orElseThrow();
    }
}
