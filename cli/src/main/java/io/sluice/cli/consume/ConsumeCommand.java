package io.sluice.cli.consume;

import io.sluice.cli.CliFailure;
import io.sluice.cli.ClusterOptions;
import io.sluice.cli.TimeArgument;
import io.sluice.cli.TopicLookup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice consume TOPIC}: print a topic's records, one line each, from the end (new records only), the
 * beginning, an offset or a time; alone (all partitions, or the ones named) or as a member of a group. Stops after
 * {@code --max-records}, after {@code --idle-timeout-ms} without a record, or on Ctrl-C; says how many it printed
 * on standard error.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = "Print a topic's records, one per line (value, key and value, or JSON).")
public final class ConsumeCommand implements Callable<Integer>
{
    private static final Duration POLL = Duration.ofMillis(100);

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "TOPIC", description = "The topic to read.")
    String topic;

    @ArgGroup(exclusive = true)
    Start start = new Start();

    /** Where to start: one of these, or the end (new records only) when none is given. */
    static final class Start
    {
        @Option(names = "--from-beginning", description = "Start at the earliest record.")
        boolean fromBeginning;

        @Option(names = "--offset", paramLabel = "N", description = "Start at offset N of each partition read.")
        Long offset;

        @Option(names = "--from-time", paramLabel = "TIME",
            description = "Start at the first record at or after TIME (epoch ms, 2024-05-01T10:00:00Z, or local 2024-05-01T12:00:00).")
        String fromTime;
    }

    @Option(names = {"--partition", "-P"}, paramLabel = "N", description = "Read only partition N (repeatable).")
    List<Integer> partitions = new ArrayList<>();

    @Option(names = {"--group", "-g"}, paramLabel = "GROUP",
        description = "Read as a member of GROUP (partitions assigned by the group; offsets committed).")
    String group;

    @Option(names = {"--max-records", "-n"}, paramLabel = "N", description = "Stop after N records.")
    Long maxRecords;

    @Option(names = "--idle-timeout-ms", paramLabel = "MS",
        description = "Stop when no record has arrived for MS milliseconds (default: wait for more).")
    Long idleTimeoutMs;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "value",
        description = "value, kv (key SEP value) or json (with partition, offset, timestamp, headers) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"--key-separator", "-K"}, paramLabel = "SEP", defaultValue = "\t",
        description = "Between key and value in the kv format (default: a tab).")
    String keySeparator;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();

    @Override
    public Integer call() throws Exception
    {
        final RecordFormat recordFormat = parseFormat();
        if (group != null && !partitions.isEmpty())
        {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--partition and --group do not go together: a group assigns its members' partitions");
        }
        final List<TopicPartition> assigned = new ArrayList<>();
        try (Admin admin = cluster.admin())
        {
            final TopicDescription description = TopicLookup.describe(admin, topic);
            for (final TopicPartitionInfo info : description.partitions())
            {
                if (partitions.isEmpty() || partitions.contains(info.partition()))
                {
                    assigned.add(new TopicPartition(topic, info.partition()));
                }
            }
            for (final int partition : partitions)
            {
                if (partition < 0 || partition >= description.partitions().size())
                {
                    throw new CliFailure("topic '" + topic + "' has no partition " + partition +
                        " (it has " + description.partitions().size() + ")");
                }
            }
        }

        final Properties properties = cluster.consumerProperties();
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, start.fromBeginning ? "earliest" : "latest");
        if (group != null)
        {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            // Committed by hand: exactly what was printed, not what the last poll fetched beyond --max-records.
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        }
        final PrintWriter out = spec.commandLine().getOut();
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final Thread hook = new Thread(() ->
            {
                consumer.wakeup();
                awaitStop();
            }, "sluice-consume-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try
            {
                if (group == null)
                {
                    consumer.assign(assigned);
                    position(consumer, assigned);
                }
                else
                {
                    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener()
                    {
                        @Override
                        public void onPartitionsRevoked(final Collection<TopicPartition> revoked)
                        {
                        }

                        @Override
                        public void onPartitionsAssigned(final Collection<TopicPartition> partitionsAssigned)
                        {
                            if (start.offset != null || start.fromTime != null)
                            {
                                position(consumer, partitionsAssigned);
                            }
                        }
                    });
                }
                long lastRecordNs = System.nanoTime();
                while (maxRecords == null || printed < maxRecords)
                {
                    int polled = 0;
                    for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL))
                    {
                        out.println(recordFormat.format(record, keySeparator));
                        polled++;
                        printed++;
                        consumed.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                        if (maxRecords != null && printed >= maxRecords)
                        {
                            break;
                        }
                    }
                    out.flush();
                    final long now = System.nanoTime();
                    if (polled > 0)
                    {
                        lastRecordNs = now;
                        commit(consumer, false);
                    }
                    else if (idleTimeoutMs != null && now - lastRecordNs >= TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs))
                    {
                        break;
                    }
                }
                commit(consumer, true);
            }
            catch (final WakeupException stop)
            {
                // Ctrl-C: end like a normal stop.
            }
            finally
            {
                stopped.countDown();
                removeHook(hook);
            }
        }
        spec.commandLine().getErr().println("consumed " + printed + " record" + (printed == 1 ? "" : "s"));
        return 0;
    }

    /** In a group, commit the offsets after the records printed so far: asynchronously while running, at the end in sync. */
    private void commit(final KafkaConsumer<byte[], byte[]> consumer, final boolean last)
    {
        if (group == null || consumed.isEmpty())
        {
            return;
        }
        if (last)
        {
            consumer.commitSync(consumed);
        }
        else
        {
            consumer.commitAsync(new HashMap<>(consumed), null);
        }
    }

    private RecordFormat parseFormat()
    {
        return switch (format)
        {
            case "value" -> RecordFormat.VALUE;
            case "kv" -> RecordFormat.KV;
            case "json" -> RecordFormat.JSON;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "unknown --format '" + format + "' (value, kv or json)");
        };
    }

    /** Move each partition to where the command line says to start. */
    private void position(final KafkaConsumer<byte[], byte[]> consumer, final Collection<TopicPartition> assigned)
    {
        // seekToBeginning/seekToEnd of no partitions means all of them: never pass an empty collection.
        if (assigned.isEmpty())
        {
            return;
        }
        if (start.fromBeginning)
        {
            consumer.seekToBeginning(assigned);
        }
        else if (start.offset != null)
        {
            for (final TopicPartition partition : assigned)
            {
                consumer.seek(partition, start.offset);
            }
        }
        else if (start.fromTime != null)
        {
            final long time = TimeArgument.parseMillis(start.fromTime);
            final Map<TopicPartition, Long> query = new HashMap<>();
            assigned.forEach(partition -> query.put(partition, time));
            final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            final List<TopicPartition> pastTheEnd = new ArrayList<>();
            for (final TopicPartition partition : assigned)
            {
                final OffsetAndTimestamp at = found.get(partition);
                if (at != null)
                {
                    consumer.seek(partition, at.offset());
                }
                else
                {
                    pastTheEnd.add(partition);
                }
            }
            if (!pastTheEnd.isEmpty())
            {
                consumer.seekToEnd(pastTheEnd);
            }
        }
        else if (group == null)
        {
            consumer.seekToEnd(assigned);
        }
    }

    private void awaitStop()
    {
        try
        {
            stopped.await(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // The hook is running: the JVM is stopping anyway.
        }
    }
}
