package io.sluice.tuning;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.sluice.tuning.pingpong.HandOffPingPong;
import io.sluice.tuning.pingpong.LoopbackPingPong;
import io.sluice.tuning.pingpong.PingPongResult;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/sluice tune pingpong}: measures what each idle strategy (and pinning) costs on this host. */
@Command(
    name = "pingpong",
    description = {
        "Measure round-trip latency and CPU use of idle strategies on this host, at a fixed rate.",
        "handoff:  two threads hand a sequence number back and forth through memory, both waiting with the",
        "          strategy, as a network thread and a shard do (--cpus pins them).",
        "loopback: a blocking TCP client pings one Sluice transport event loop on 127.0.0.1 that waits with",
        "          the strategy and echoes each frame.",
        "Round trips are timed from the actual send; a slot missed by an oversleeping pinger is skipped, and",
        "the achieved rate shows it. CPU is the whole process's, both sides included."},
    mixinStandardHelpOptions = true)
final class PingPongCommand implements Callable<Integer>
{
    @Option(names = "--mode", defaultValue = "handoff", description = "handoff or loopback. Default: ${DEFAULT-VALUE}")
    private String mode;

    @Option(names = "--idle", paramLabel = "STRATEGY",
        description = "Idle strategy to measure, as in sluice.idle.strategy.* (busy-spin, yielding, backoff[:...], blocking[:...], " +
            "sleeping[:PERIOD]); repeat to compare several. Default: every kind with default parameters.")
    private List<String> idle;

    @Option(names = "--rate", defaultValue = "10000", description = "Pings per second. Default: ${DEFAULT-VALUE}")
    private int rate;

    @Option(names = "--warmup", defaultValue = "2",
        description = "Seconds unmeasured before each run. Default: ${DEFAULT-VALUE}")
    private int warmupSeconds;

    @Option(names = "--seconds", defaultValue = "5",
        description = "Seconds measured per strategy. Default: ${DEFAULT-VALUE}")
    private int seconds;

    @Option(names = "--cpus", defaultValue = "", paramLabel = "LIST",
        description = "handoff only: pin the pinger to the first CPU and the echo thread to the second (0,1), " +
            "or both to one.")
    private String cpus;

    @Option(names = "--payload", defaultValue = "64",
        description = "loopback only: frame bytes after the size prefix. Default: ${DEFAULT-VALUE}")
    private int payload;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final List<IdleStrategySpec> strategies;
        final CpuList cpuList;
        try
        {
            strategies = idle == null ?
                Arrays.stream(IdleStrategyKind.values()).map(IdleStrategySpec::of).toList() :
                idle.stream().map(IdleStrategySpec::parse).toList();
            cpuList = CpuList.parse(cpus);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        if (rate < 1 || seconds < 1 || warmupSeconds < 0)
        {
            throw new CommandLine.ParameterException(
                spec.commandLine(), "--rate and --seconds must be at least 1, --warmup 0 or more");
        }
        final boolean loopback = switch (mode)
        {
            case "handoff" -> false;
            case "loopback" -> true;
            default -> throw new CommandLine.ParameterException(
                spec.commandLine(), "--mode is handoff or loopback, not " + mode);
        };
        if (loopback && !cpuList.isEmpty())
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--cpus applies to handoff only: the transport starts its event loop on its own thread");
        }
        if (cpuList.size() > 2)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cpus takes one or two CPUs: " + cpuList);
        }

        final ThreadPinning pinning = new ThreadPinning(line -> System.err.println("pingpong: " + line));
        final ThreadFactory pingerThreads = pinning.threadFactory("pinger", only(cpuList, 0));
        final ThreadFactory echoThreads = pinning.threadFactory("echo", only(cpuList, cpuList.size() - 1));

        System.out.printf("sluice tune pingpong: %s, %d pings/s, %d s warm-up + %d s measured each, %s, %d CPUs%n",
            mode, rate, warmupSeconds, seconds, cpuList.isEmpty() ? "unpinned" : "pinned to " + cpuList,
            Runtime.getRuntime().availableProcessors());
        System.out.printf("%-28s %9s %9s %9s %9s %9s %9s %9s%n",
            "IDLE STRATEGY", "RATE/s", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "CPU cores");
        for (final IdleStrategySpec strategy : strategies)
        {
            final long warmupNs = TimeUnit.SECONDS.toNanos(warmupSeconds);
            final long measureNs = TimeUnit.SECONDS.toNanos(seconds);
            final PingPongResult result = loopback ?
                new LoopbackPingPong(rate, warmupNs, measureNs, payload).run(strategy) :
                new HandOffPingPong(rate, warmupNs, measureNs).run(strategy, pingerThreads, echoThreads);
            final Histogram h = result.roundTrips();
            System.out.printf("%-28s %9.0f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n",
                strategy, result.rate(),
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, result.coresBusy());
        }
        return 0;
    }

    private static CpuList only(final CpuList cpus, final int index)
    {
        return cpus.isEmpty() ? cpus : CpuList.parse(Integer.toString(cpus.cpu(index)));
    }
}
