package io.sluice.cli.produce;

import io.sluice.cli.CliFailure;
import io.sluice.cli.ClusterOptions;
import io.sluice.cli.ErrorLine;
import io.sluice.cli.Sizes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code sluice produce TOPIC}: one record per line of standard input or a file, optionally split into key and
 * value at a separator, with the same headers on each. Sends asynchronously and stops at the first failed
 * send; ends with a summary line on standard error.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = "Send one record per input line (standard input, or --file) to a topic.")
public final class ProduceCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "TOPIC", description = "The topic to write to.")
    String topic;

    @Option(names = {"--file", "-f"}, paramLabel = "FILE", description = "Read lines from FILE instead of standard input.")
    Path file;

    @Option(names = {"--key-separator", "-K"}, paramLabel = "SEP",
        description = "Split each line at the first SEP into key and value (default: the whole line is the value).")
    String keySeparator;

    @Option(names = {"--header", "-H"}, paramLabel = "KEY=VALUE", description = "A header to put on every record.")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = {"--compression", "-z"}, paramLabel = "CODEC", defaultValue = "none",
        description = "none, gzip, snappy, lz4 or zstd (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--acks", paramLabel = "ACKS", defaultValue = "all", description = "all, 1 or 0 (default: ${DEFAULT-VALUE}).")
    String acks;

    @Option(names = {"--partition", "-P"}, paramLabel = "N", description = "Write every record to partition N.")
    Integer partition;

    @Option(names = "--linger-ms", paramLabel = "MS", defaultValue = "5",
        description = "How long the producer may wait to fill a batch (default: ${DEFAULT-VALUE}).")
    int lingerMs;

    @Option(names = "--progress", negatable = true,
        description = "Draw a progress bar with the rate while reading a file (default: when standard error is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws Exception
    {
        if (!List.of("none", "gzip", "snappy", "lz4", "zstd").contains(compression))
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "unknown --compression '" + compression + "' (none, gzip, snappy, lz4 or zstd)");
        }
        if (!List.of("all", "-1", "1", "0").contains(acks))
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--acks must be all, 1 or 0");
        }
        if (file != null && !Files.isReadable(file))
        {
            throw new CliFailure("cannot read " + file);
        }
        try (Admin admin = cluster.admin())
        {
            refuseUnknownTopic(admin);
        }
        final PrintWriter err = spec.commandLine().getErr();
        final List<Header> recordHeaders = new ArrayList<>();
        headers.forEach((key, value) -> recordHeaders.add(new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8))));

        final java.util.Properties properties = cluster.producerProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, acks);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final AtomicLong acked = new AtomicLong();
        final long startNs = System.nanoTime();
        long records = 0;
        long payloadBytes = 0;
        final CountingInputStream input = new CountingInputStream(file != null ? Files.newInputStream(file) : System.in);
        final ProgressBar bar = drawsProgress() ? new ProgressBar(err, Files.size(file), startNs) : null;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
            BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8)))
        {
            String line;
            while (failure.get() == null && (line = reader.readLine()) != null)
            {
                final ProducerRecord<byte[], byte[]> record = record(line, records + 1, recordHeaders);
                payloadBytes += record.value().length + (record.key() != null ? record.key().length : 0);
                producer.send(record, (metadata, exception) ->
                {
                    if (exception != null)
                    {
                        failure.compareAndSet(null, exception);
                    }
                    else
                    {
                        acked.incrementAndGet();
                    }
                });
                records++;
                if (bar != null)
                {
                    bar.update(input.count(), records, System.nanoTime());
                }
            }
            producer.flush();
        }
        catch (final IOException ex)
        {
            throw new CliFailure("cannot read " + (file != null ? file : "standard input") + ": " + ex.getMessage());
        }
        final long endNs = System.nanoTime();
        if (bar != null)
        {
            bar.finish(input.count(), records, endNs);
        }
        if (failure.get() != null)
        {
            throw new CliFailure("sent " + acked.get() + " of " + records + " records to '" + topic + "', then failed: " +
                ErrorLine.of(failure.get()));
        }
        final double seconds = Math.max(1e-9, (endNs - startNs) / 1e9);
        err.println(String.format(Locale.ROOT, "produced %,d records (%s) to '%s' in %.2f s: %,.0f records/s",
            records, Sizes.bytes(payloadBytes), topic, seconds, records / seconds));
        return 0;
    }

    private boolean drawsProgress()
    {
        if (file == null)
        {
            return false;
        }
        return progress != null ? progress : System.console() != null;
    }

    private ProducerRecord<byte[], byte[]> record(final String line, final long lineNumber, final List<Header> recordHeaders)
    {
        byte[] key = null;
        String value = line;
        if (keySeparator != null)
        {
            final int at = line.indexOf(keySeparator);
            if (at < 0)
            {
                throw new CliFailure("line " + lineNumber + " has no key separator '" + keySeparator + "'");
            }
            key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
            value = line.substring(at + keySeparator.length());
        }
        return new ProducerRecord<>(topic, partition, null, key, value.getBytes(StandardCharsets.UTF_8), recordHeaders);
    }

    /**
     * A missing topic is created by the first produce only when the broker creates topics automatically; otherwise
     * the producer would wait for it until {@code --timeout-ms}, so say so at once.
     */
    private void refuseUnknownTopic(final Admin admin) throws InterruptedException
    {
        try
        {
            admin.describeTopics(List.of(topic)).allTopicNames().get();
            return;
        }
        catch (final ExecutionException ex)
        {
            if (!(ex.getCause() instanceof UnknownTopicOrPartitionException))
            {
                throw new CliFailure(ErrorLine.of(ex));
            }
        }
        if (!autoCreates(admin))
        {
            throw new CliFailure("unknown topic '" + topic + "' (the broker does not create topics automatically)");
        }
    }

    private static boolean autoCreates(final Admin admin) throws InterruptedException
    {
        try
        {
            final Node node = admin.describeCluster().nodes().get().iterator().next();
            final ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node.idString());
            final Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            final ConfigEntry entry = config.get("auto.create.topics.enable");
            return entry == null || !"false".equalsIgnoreCase(entry.value());
        }
        catch (final ExecutionException | RuntimeException ex)
        {
            // The broker would not say: let the producer find out.
            return true;
        }
    }

    /** Counts the bytes read through it, for the progress bar. */
    private static final class CountingInputStream extends FilterInputStream
    {
        private long count;

        CountingInputStream(final InputStream in)
        {
            super(in);
        }

        long count()
        {
            return count;
        }

        @Override
        public int read() throws IOException
        {
            final int b = super.read();
            if (b >= 0)
            {
                count++;
            }
            return b;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length) throws IOException
        {
            final int read = super.read(buffer, offset, length);
            if (read > 0)
            {
                count += read;
            }
            return read;
        }
    }
}
