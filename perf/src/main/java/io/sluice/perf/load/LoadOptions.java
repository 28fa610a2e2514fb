package io.sluice.perf.load;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.sluice.perf.load.driver.SenderSettings;
import io.sluice.tuning.CpuList;
import picocli.CommandLine.Option;

/**
 * The options every workload takes (a picocli mixin), checked by {@link #validate()}. Filled by picocli on the
 * command's thread before the run starts and only read after.
 */
public final class LoadOptions
{
    private static final Set<String> ACKS = Set.of("0", "1", "all", "-1");
    private static final Set<String> COMPRESSION = Set.of("none", "gzip", "snappy", "lz4", "zstd");

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
        description = "Broker to drive (Kafka protocol). Default: ${DEFAULT-VALUE}.")
    String bootstrap;

    @Option(names = "--protocol", defaultValue = "kafka",
        description = "kafka (kafka-clients against --bootstrap-server) or native (Sluice's thin client against the "
            + "NATIVE listener: pass its address, 127.0.0.1:9093 by default, as --bootstrap-server). Default: ${DEFAULT-VALUE}.")
    String protocol;

    @Option(names = {"-t", "--topic"}, defaultValue = "sluice-perf",
        description = "Topic, created with --partitions if missing. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--partitions", defaultValue = "1",
        description = "Partitions of a topic this run creates. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = {"-s", "--record-size"}, paramLabel = "BYTES", defaultValue = "100",
        description = "Value bytes per record (e2e needs >= 8: it carries the due time). Default: ${DEFAULT-VALUE}.")
    int recordSize;

    @Option(names = "--key-cardinality", paramLabel = "N", defaultValue = "0",
        description = "Distinct 8-byte keys, cycled; 0 sends no keys. Default: ${DEFAULT-VALUE}.")
    long keyCardinality;

    @Option(names = "--acks", defaultValue = "1", description = "0, 1 or all. Default: ${DEFAULT-VALUE}.")
    String acks;

    @Option(names = "--compression", defaultValue = "none",
        description = "none, gzip, snappy, lz4 or zstd. Default: ${DEFAULT-VALUE}.")
    String compression;

    @Option(names = "--batch-size", paramLabel = "BYTES", defaultValue = "16384",
        description = "Producer batch.size. Default: ${DEFAULT-VALUE}.")
    int batchBytes;

    @Option(names = "--linger-ms", paramLabel = "MS", defaultValue = "5",
        description = "Producer linger.ms. Default: ${DEFAULT-VALUE}.")
    int lingerMs;

    @Option(names = {"-r", "--rate"}, paramLabel = "RECORDS/S", defaultValue = "0",
        description = "Open-loop rate: record i is due at i/rate and its latency counts from then. "
            + "0 = unbounded (closed loop: latencies are service times). Default: ${DEFAULT-VALUE}.")
    long rate;

    @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS", defaultValue = "10",
        description = "Measured seconds (after warm-up). Default: ${DEFAULT-VALUE}.")
    double durationSeconds;

    @Option(names = {"-n", "--records"}, paramLabel = "N", defaultValue = "0",
        description = "Measure this many records instead of a duration (consume: records to read, "
            + "the topic is topped up to this first; default for consume 1,000,000).")
    long records;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "2",
        description = "Seconds sent at the same rate before measuring. Default: ${DEFAULT-VALUE}.")
    double warmupSeconds;

    @Option(names = "--broker-pid", paramLabel = "PID", split = ",",
        description = "Broker process(es) whose CPU time (/proc/PID/stat) is charged per measured record.")
    long[] brokerPids = new long[0];

    @Option(names = "--name", description = "Name of this run in --json (e.g. produce-100B-acks1).")
    String name;

    @Option(names = "--label", defaultValue = "broker",
        description = "Which broker this is, in --json and plots (e.g. sluice, kafka). Default: ${DEFAULT-VALUE}.")
    String label;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the latency percentile curve.")
    Path plot;

    @Option(names = "--hdr", paramLabel = "FILE", description = "Keep the HdrHistogram interval log.")
    Path hdr;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the final figures as JSON.")
    Path json;

    @Option(names = "--producer-prop", paramLabel = "KEY=VALUE", description = "Extra producer config.")
    Map<String, String> producerProps = new LinkedHashMap<>();

    @Option(names = "--consumer-prop", paramLabel = "KEY=VALUE", description = "Extra consumer config.")
    Map<String, String> consumerProps = new LinkedHashMap<>();

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    @Option(names = "--spin", description = "e2e with --protocol native: one thread paces the sends, runs the "
        + "producer's I/O (invoker mode) and polls the consumer, spinning instead of sleeping; it takes a whole CPU. "
        + "Without it each has its own thread and sleeps when idle.")
    boolean spin;

    @Option(names = "--pin-cpus", paramLabel = "CPUS",
        description = "Pin the whole harness (its threads, the client's I/O threads and the JIT's) to these CPUs, "
            + "as taskset -c writes them (0, 0-2), for the last second of the warm-up and the measurement. The "
            + "warm-up before that runs on every CPU, so the JIT compiles the client without taking the pinned "
            + "CPUs from it. Linux, with taskset.")
    String pinCpus;

    /** Throws {@link IllegalArgumentException} naming the first bad option. */
    void validate(final String workload)
    {
        require("kafka".equals(protocol) || "native".equals(protocol), "--protocol must be kafka or native");
        require(!"native".equals(protocol) || "none".equals(compression), "--protocol native sends uncompressed: --compression none");
        require(partitions > 0, "--partitions must be > 0");
        require(recordSize >= 0, "--record-size must be >= 0");
        require(!"e2e".equals(workload) || recordSize >= Long.BYTES, "--record-size must be >= 8 for e2e");
        require(keyCardinality >= 0, "--key-cardinality must be >= 0");
        require(ACKS.contains(acks), "--acks must be 0, 1 or all");
        require(COMPRESSION.contains(compression), "--compression must be one of " + COMPRESSION);
        require(batchBytes > 0, "--batch-size must be > 0");
        require(lingerMs >= 0, "--linger-ms must be >= 0");
        require(rate >= 0, "--rate must be >= 0");
        require(durationSeconds > 0, "--duration must be > 0");
        require(records >= 0, "--records must be >= 0");
        require(warmupSeconds >= 0, "--warmup must be >= 0");
        require(!"e2e".equals(workload) || rate > 0, "e2e needs a fixed --rate (open loop)");
        require(!spin || "e2e".equals(workload) && "native".equals(protocol), "--spin is for e2e with --protocol native");
        requireCpuList(pinCpus);
    }

    SenderSettings senderSettings()
    {
        return new SenderSettings(
            "-1".equals(acks) ? "all" : acks, compression, batchBytes, lingerMs, spin, producerProps);
    }

    int keyBytes()
    {
        return keyCardinality > 0 ? Long.BYTES : 0;
    }

    long durationNanos()
    {
        return (long)(durationSeconds * 1e9);
    }

    long warmupNanos()
    {
        return (long)(warmupSeconds * 1e9);
    }

    private static void requireCpuList(final String cpus)
    {
        if (cpus == null)
        {
            return;
        }
        final String wanted = "--pin-cpus takes a CPU list such as 0 or 0-2 or 0,2";
        final CpuList parsed;
        try
        {
            parsed = CpuList.parse(cpus);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(wanted + ": " + ex.getMessage(), ex);
        }
        require(!parsed.isEmpty(), wanted);
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
