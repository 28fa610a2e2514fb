package io.sluice.tuning.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the operating-system settings that change how a Sluice broker performs and compares each with what Sluice
 * recommends: memory (transparent huge pages, swap, dirty-page write-back, memory maps), network (socket buffer
 * caps, listen backlog), CPU (frequency governor, clock source, cores, NUMA, isolated CPUs) and the open-file
 * limit. Linux only; on another system every setting reads as not exposed.
 *
 * <p>Reads only: it changes nothing. Not thread-safe; make one per check.
 */
public final class HostSettingsInspector
{
    static final String NOT_EXPOSED = "not exposed";

    /** Kafka's own production advice, and what keeps anonymous memory (the heap, index maps) out of swap. */
    static final long MAX_SWAPPINESS = 1;
    static final long MAX_DIRTY_BACKGROUND_RATIO = 5;
    static final long MIN_DIRTY_RATIO = 20;
    static final long MAX_DIRTY_EXPIRE_CENTISECS = 3000;
    static final long MIN_MAX_MAP_COUNT = 262_144;
    /** Sluice's socket.send.buffer.bytes and socket.receive.buffer.bytes defaults, as Kafka's. */
    static final long SLUICE_SOCKET_BUFFER_BYTES = 102_400;
    static final long MIN_TCP_AUTOTUNE_MAX_BYTES = 4 * 1024 * 1024;
    static final long MIN_SOMAXCONN = 1024;
    static final long MIN_OPEN_FILES = 100_000;

    private static final Pattern SELECTED = Pattern.compile("\\[([^]]+)]");
    private static final Pattern OPEN_FILES = Pattern.compile("(?m)^Max open files\\s+(\\S+)\\s+(\\S+)");
    private static final Pattern MEM_KB = Pattern.compile("(?m)^(\\w+):\\s+(\\d+) kB");
    private static final Pattern ISOLCPUS = Pattern.compile("(?:^|\\s)isolcpus=(\\S+)");
    private static final Pattern NOHZ_FULL = Pattern.compile("(?:^|\\s)nohz_full=(\\S+)");

    private final HostFiles files;
    private final List<Finding> findings = new ArrayList<>();

    /** @param root where {@code proc/} and {@code sys/} are: {@code /} on a live machine. */
    public HostSettingsInspector(final Path root)
    {
        this.files = new HostFiles(root);
    }

    /** Every finding, in a fixed order: memory, disk write-back, network, CPU, limits. */
    public List<Finding> inspect()
    {
        findings.clear();
        final TreeMap<String, Long> meminfo = meminfo();
        transparentHugePages();
        swappiness(meminfo);
        dirtyPages(meminfo);
        maxMapCount();
        socketBuffers();
        somaxconn();
        cpuGovernor();
        clockSource();
        cores();
        numa();
        isolatedCpus();
        openFiles();
        return List.copyOf(findings);
    }

    private void transparentHugePages()
    {
        final Optional<String> enabled =
            files.text("sys/kernel/mm/transparent_hugepage/enabled").map(HostSettingsInspector::selected);
        add("transparent_hugepage/enabled", enabled, "madvise (or never)",
            value -> !value.equals("always"),
            "with 'always' the kernel backs every process's anonymous memory with huge pages, compacting memory in " +
            "page faults and in khugepaged: multi-millisecond stalls at random; 'madvise' leaves the choice to the " +
            "JVM (-XX:+UseTransparentHugePages)");

        final Optional<String> defrag =
            files.text("sys/kernel/mm/transparent_hugepage/defrag").map(HostSettingsInspector::selected);
        add("transparent_hugepage/defrag", defrag, "madvise, defer+madvise, defer or never",
            value -> !value.equals("always"),
            "'always' makes a page fault that wants a huge page stop and compact memory synchronously; " +
            "the others compact in the background or only for regions that asked");
    }

    private void swappiness(final TreeMap<String, Long> meminfo)
    {
        final OptionalLong swappiness = files.number("proc/sys/vm/swappiness");
        final Long swapKb = meminfo.get("SwapTotal");
        if (swappiness.isPresent() && swapKb != null && swapKb == 0)
        {
            findings.add(new Finding("vm.swappiness", swappiness.getAsLong() + " (no swap configured)",
                "<= " + MAX_SWAPPINESS, Verdict.OK,
                "with no swap nothing can be swapped out, whatever the value"));
            return;
        }
        addNumber("vm.swappiness", swappiness, "<= " + MAX_SWAPPINESS, value -> value <= MAX_SWAPPINESS,
            "a swapped-out page of the heap or of an index map costs a disk read on the request path; at 1 the " +
            "kernel drops page cache before it swaps");
    }

    private void dirtyPages(final TreeMap<String, Long> meminfo)
    {
        final Long memKb = meminfo.get("MemTotal");
        dirtyLimit("vm.dirty_background_ratio", "proc/sys/vm/dirty_background_ratio",
            "proc/sys/vm/dirty_background_bytes", memKb, "<= " + MAX_DIRTY_BACKGROUND_RATIO + " %",
            percent -> percent <= MAX_DIRTY_BACKGROUND_RATIO,
            "background write-back starts at this share of memory dirty: starting early keeps write-back steady " +
            "and leaves a group-commit fsync (acks=all) little to flush");
        dirtyLimit("vm.dirty_ratio", "proc/sys/vm/dirty_ratio", "proc/sys/vm/dirty_bytes", memKb,
            ">= " + MIN_DIRTY_RATIO + " %", percent -> percent >= MIN_DIRTY_RATIO,
            "past this share of memory dirty, the thread that writes (a shard) is blocked in write() until " +
            "write-back catches up; keep it well above dirty_background_ratio so only a disk that truly cannot " +
            "keep up throttles appends");
        addNumber("vm.dirty_expire_centisecs", files.number("proc/sys/vm/dirty_expire_centisecs"),
            "<= " + MAX_DIRTY_EXPIRE_CENTISECS, value -> value <= MAX_DIRTY_EXPIRE_CENTISECS,
            "dirty pages older than this are written back; a longer age lets more pile up and go out in one burst " +
            "that competes with fsync");
    }

    private void dirtyLimit(
        final String setting,
        final String ratioPath,
        final String bytesPath,
        final Long memKb,
        final String recommended,
        final LongPredicate percentOk,
        final String why)
    {
        final OptionalLong bytes = files.number(bytesPath);
        if (bytes.isPresent() && bytes.getAsLong() > 0)
        {
            // A non-zero *_bytes overrides the ratio; judge it as a share of memory.
            final String name = setting.replace("ratio", "bytes");
            if (memKb == null || memKb == 0)
            {
                findings.add(
                    new Finding(name, bytes.getAsLong() + " bytes", recommended + " of memory", Verdict.INFO, why));
                return;
            }
            final double percent = 100.0 * bytes.getAsLong() / (memKb * 1024.0);
            findings.add(new Finding(name, String.format("%d bytes (%.1f %% of memory)", bytes.getAsLong(), percent),
                recommended + " of memory", percentOk.test(Math.round(percent)) ? Verdict.OK : Verdict.ADVISE, why));
            return;
        }
        final OptionalLong ratio = files.number(ratioPath);
        if (ratio.isEmpty())
        {
            findings.add(new Finding(setting, NOT_EXPOSED, recommended, Verdict.INFO, why));
            return;
        }
        final Verdict verdict = percentOk.test(ratio.getAsLong()) ? Verdict.OK : Verdict.ADVISE;
        findings.add(new Finding(setting, ratio.getAsLong() + " %", recommended, verdict, why));
    }

    private void maxMapCount()
    {
        addNumber("vm.max_map_count", files.number("proc/sys/vm/max_map_count"), ">= " + MIN_MAX_MAP_COUNT,
            value -> value >= MIN_MAX_MAP_COUNT,
            "each segment's offset and time index is a memory map; at the usual 65530 maps a broker with many " +
            "partitions and segments fails to open more");
    }

    private void socketBuffers()
    {
        for (final String dir : new String[]{"rmem_max", "wmem_max"})
        {
            addNumber("net.core." + dir, files.number("proc/sys/net/core/" + dir),
                ">= " + SLUICE_SOCKET_BUFFER_BYTES + "; more to raise socket." +
                (dir.startsWith("r") ? "receive" : "send") + ".buffer.bytes",
                value -> value >= SLUICE_SOCKET_BUFFER_BYTES,
                "caps the buffer a socket may ask for: a larger socket." +
                (dir.startsWith("r") ? "receive" : "send") + ".buffer.bytes is silently cut to it " +
                "(Sluice's default, 102400, fits under Linux's default cap)");
        }
        for (final String dir : new String[]{"tcp_rmem", "tcp_wmem"})
        {
            final Optional<String> triple = files.text("proc/sys/net/ipv4/" + dir).map(v -> v.replaceAll("\\s+", " "));
            final OptionalLong max = triple.map(HostSettingsInspector::lastNumber).orElse(OptionalLong.empty());
            findings.add(new Finding("net.ipv4." + dir, triple.orElse(NOT_EXPOSED),
                "max >= " + MIN_TCP_AUTOTUNE_MAX_BYTES,
                max.isEmpty() ? Verdict.INFO :
                    max.getAsLong() >= MIN_TCP_AUTOTUNE_MAX_BYTES ? Verdict.OK : Verdict.ADVISE,
                "min, default and max of the kernel's automatic buffer sizing, used when socket." +
                (dir.equals("tcp_rmem") ? "receive" : "send") + ".buffer.bytes is -1; the max bounds the TCP " +
                "window, and 4 MiB carries 10 Gb/s at about 3 ms round trip"));
        }
    }

    private void somaxconn()
    {
        addNumber("net.core.somaxconn", files.number("proc/sys/net/core/somaxconn"), ">= " + MIN_SOMAXCONN,
            value -> value >= MIN_SOMAXCONN,
            "caps the listen backlog (socket.listen.backlog.size); when many clients connect at once, SYNs past " +
            "it are dropped and those clients wait a 1 s retransmit");
    }

    private void cpuGovernor()
    {
        final TreeMap<String, Integer> governors = new TreeMap<>();
        for (final String cpu : files.list("sys/devices/system/cpu", "cpu[0-9]*"))
        {
            files.text("sys/devices/system/cpu/" + cpu + "/cpufreq/scaling_governor")
                .ifPresent(governor -> governors.merge(governor, 1, Integer::sum));
        }
        final String why = "other governors lower the clock when a core idles and raise it only after load " +
            "arrives, so the first requests after a quiet spell run slow";
        if (governors.isEmpty())
        {
            findings.add(new Finding("cpufreq scaling_governor", NOT_EXPOSED, "performance", Verdict.INFO,
                "no cpufreq driver (usual in a VM, where the host sets the clock); " + why));
            return;
        }
        final StringBuilder found = new StringBuilder();
        governors.forEach((governor, count) -> found.append(found.length() == 0 ? "" : ", ")
            .append(governor).append(" on ").append(count).append(count == 1 ? " CPU" : " CPUs"));
        findings.add(new Finding("cpufreq scaling_governor", found.toString(), "performance",
            governors.size() == 1 && governors.containsKey("performance") ? Verdict.OK : Verdict.ADVISE, why));
    }

    private void clockSource()
    {
        add("clocksource", files.text("sys/devices/system/clocksource/clocksource0/current_clocksource"),
            "tsc (kvm-clock in a KVM guest)", value -> value.equals("tsc") || value.equals("kvm-clock"),
            "System.nanoTime and every latency timestamp read this clock; tsc and kvm-clock are read in user " +
            "space in tens of ns, others (hpet, acpi_pm, xen) cost a system call each");
    }

    private void cores()
    {
        final Optional<String> online = files.text("sys/devices/system/cpu/online");
        final String found = online.map(list -> countCpus(list) + " online (" + list + ")").orElse(NOT_EXPOSED);
        findings.add(new Finding("CPUs", found, "num.shards <= CPUs; busy-spinning threads < CPUs", Verdict.INFO,
            "a shard per core by default; a busy-spin or yielding thread holds its core, so spinning shard and " +
            "network threads together must leave a core for the JVM, the kernel and the clients"));
    }

    private void numa()
    {
        final List<String> nodes = files.list("sys/devices/system/node", "node[0-9]*");
        findings.add(new Finding("NUMA nodes", nodes.isEmpty() ? NOT_EXPOSED : String.valueOf(nodes.size()),
            "on 2+ nodes: -XX:+UseNUMA and shard CPUs on one node", Verdict.INFO,
            "memory on another node costs a remote access; the profiles turn on -XX:+UseNUMA, and " +
            "sluice.affinity.* can keep the data path on the node that holds the NIC"));
    }

    private void isolatedCpus()
    {
        final Optional<String> cmdline = files.text("proc/cmdline");
        final String found = cmdline.map(line ->
        {
            final Matcher isol = ISOLCPUS.matcher(line);
            final Matcher nohz = NOHZ_FULL.matcher(line);
            final String isolated = isol.find() ? "isolcpus=" + isol.group(1) : "";
            final String tickless = nohz.find() ? "nohz_full=" + nohz.group(1) : "";
            final String both = (isolated + " " + tickless).trim();
            return both.isEmpty() ? "none" : both;
        }).orElse(NOT_EXPOSED);
        findings.add(new Finding("isolated CPUs", found, "optional: isolcpus= and nohz_full= for sluice.affinity.shard",
            Verdict.INFO,
            "a pinned thread still shares its CPU with every other task unless the CPU is isolated from the " +
            "scheduler; isolate the CPUs you give busy-spinning shards"));
    }

    private void openFiles()
    {
        final Optional<String> limits = files.text("proc/self/limits");
        final Matcher matcher = OPEN_FILES.matcher(limits.orElse(""));
        if (!matcher.find())
        {
            findings.add(new Finding(
                "open files (ulimit -n)", NOT_EXPOSED, ">= " + MIN_OPEN_FILES, Verdict.INFO, openFilesWhy()));
            return;
        }
        final String soft = matcher.group(1);
        final String hard = matcher.group(2);
        final boolean ok = soft.equals("unlimited") || parseOr(soft, 0) >= MIN_OPEN_FILES;
        findings.add(new Finding("open files (ulimit -n)", soft + " (hard " + hard + ")", ">= " + MIN_OPEN_FILES,
            ok ? Verdict.OK : Verdict.ADVISE, openFilesWhy()));
    }

    private static String openFilesWhy()
    {
        return "every segment keeps its log and two index files open and every client a socket; at the limit " +
            "appends that roll a segment and new connections fail (read for this shell: the broker inherits it)";
    }

    private TreeMap<String, Long> meminfo()
    {
        final TreeMap<String, Long> values = new TreeMap<>();
        final Matcher matcher = MEM_KB.matcher(files.text("proc/meminfo").orElse(""));
        while (matcher.find())
        {
            values.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return values;
    }

    private void add(
        final String setting,
        final Optional<String> found,
        final String recommended,
        final Predicate<String> ok,
        final String why)
    {
        findings.add(found.isPresent() && !found.get().isEmpty() ?
            new Finding(setting, found.get(), recommended, ok.test(found.get()) ? Verdict.OK : Verdict.ADVISE, why) :
            new Finding(setting, NOT_EXPOSED, recommended, Verdict.INFO, why));
    }

    private void addNumber(
        final String setting,
        final OptionalLong found,
        final String recommended,
        final LongPredicate ok,
        final String why)
    {
        findings.add(found.isPresent() ?
            new Finding(setting, String.valueOf(found.getAsLong()), recommended,
                ok.test(found.getAsLong()) ? Verdict.OK : Verdict.ADVISE, why) :
            new Finding(setting, NOT_EXPOSED, recommended, Verdict.INFO, why));
    }

    /** The bracketed choice of a sysfs menu: {@code always [madvise] never} is {@code madvise}. */
    static String selected(final String menu)
    {
        final Matcher matcher = SELECTED.matcher(menu);
        return matcher.find() ? matcher.group(1) : menu;
    }

    static int countCpus(final String list)
    {
        int count = 0;
        for (final String part : list.split(","))
        {
            final String[] range = part.trim().split("-");
            count += range.length == 2 ? (int)(parseOr(range[1], 0) - parseOr(range[0], 0) + 1) : 1;
        }
        return count;
    }

    private static OptionalLong lastNumber(final String triple)
    {
        final String[] parts = triple.trim().split(" ");
        final long value = parseOr(parts[parts.length - 1], -1);
        return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static long parseOr(final String text, final long fallback)
    {
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            return fallback;
        }
    }
}
