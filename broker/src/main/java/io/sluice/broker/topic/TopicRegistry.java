package io.sluice.broker.topic;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.BrokerLog;
import io.sluice.broker.shard.Partition;
import io.sluice.broker.shard.ShardProxy;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.LogConfig;
import io.sluice.journal.PartitionLog;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The broker's topics: which exist, their ids, partitions and config overrides, kept durable in a
 * {@link TopicStore} and published to every thread as an immutable {@link TopicSnapshot}.
 *
 * <p>Threading: {@link #snapshot()} may be called from any thread. Every change ({@link #create},
 * {@link #delete}, {@link #createPartitions}, {@link #alterConfigs}) must be called on the conductor thread;
 * each is asynchronous, because the partitions' logs are opened or deleted by their shards, and calls its
 * callback later, also on the conductor thread. A change is stored before it is published, so a topic a
 * client has seen survives a crash.
 */
public final class TopicRegistry
{
    /** Most partitions one topic may have: keeps one request from opening millions of files. */
    public static final int MAX_PARTITIONS = 10_000;

    private static final Pattern PARTITION_DIR = Pattern.compile("[a-zA-Z0-9._-]+-[0-9]+");

    /** The outcome of a change: {@code errorCode} 0 with the topic as it now is, or an error and why. */
    public record TopicResult(short errorCode, String message, Topic topic)
    {
        public static TopicResult ok(final Topic topic)
        {
            return new TopicResult(ErrorCodes.NONE, null, topic);
        }

        public static TopicResult error(final short errorCode, final String message)
        {
            return new TopicResult(errorCode, message, null);
        }

        public boolean isOk()
        {
            return errorCode == ErrorCodes.NONE;
        }
    }

    private final BrokerConfig config;
    private final ShardProxy shards;
    private final Consumer<Runnable> conductor;
    private final TopicStore store;
    private final List<Path> logDirs;
    private final SecureRandom random = new SecureRandom();
    private final TreeMap<String, Topic> durable = new TreeMap<>();
    private final Map<String, List<Consumer<TopicResult>>> inFlight = new HashMap<>();
    private volatile TopicSnapshot snapshot = TopicSnapshot.EMPTY;

    /**
     * @param conductor runs a task on the conductor thread (where changes complete).
     */
    public TopicRegistry(final BrokerConfig config, final ShardProxy shards, final Consumer<Runnable> conductor)
    {
        this.config = config;
        this.shards = shards;
        this.conductor = conductor;
        this.logDirs = config.logDirs();
        this.store = new TopicStore(logDirs.get(0));
    }

    /** Every topic as last published. Any thread. */
    public TopicSnapshot snapshot()
    {
        return snapshot;
    }

    /**
     * Read the stored topics and open every partition's log (running recovery), before the shards start.
     * Partition directories that belong to no topic (a deletion cut short by a crash) are removed so a new
     * topic of the same name starts empty.
     *
     * @throws IOException when the store or a log cannot be read.
     */
    public void load() throws IOException
    {
        final Set<Path> expected = new HashSet<>();
        for (final TopicStore.StoredTopic stored : store.load())
        {
            final String invalid = TopicConfigs.invalidReason(stored.configs());
            if (invalid != null)
            {
                throw new IOException("topic " + stored.name() + " in " + store.file() + ": " + invalid);
            }
            final Partition[] partitions = newPartitions(stored.name(), stored.id(), 0, stored.partitions(), null);
            final Topic topic = newTopic(stored.name(), stored.id(), partitions, stored.configs());
            for (final Partition partition : partitions)
            {
                final Path dir = partitionDir(partition);
                expected.add(dir.toAbsolutePath().normalize());
                final PartitionLog log = PartitionLog.open(dir, topic.logConfig());
                if (!log.recoveryReport().clean)
                {
                    BrokerLog.info("recovered " + partition + ": " + log.recoveryReport());
                }
                shards.attach(partition, log);
            }
            durable.put(topic.name(), topic);
        }
        removeOrphans(expected);
        snapshot = new TopicSnapshot(new TreeMap<>(durable));
        BrokerLog.info("loaded " + durable.size() + " topics");
    }

    /**
     * Check a creation request without making anything: a legal name that does not exist yet, at least one
     * partition, replication factor 1 (or -1 for the default), valid config overrides.
     *
     * @return null when it would succeed, else the error.
     */
    public TopicResult checkCreate(
        final String name, final int partitions, final int replicationFactor, final Map<String, String> configs)
    {
        final String invalidName = TopicName.invalidReason(name);
        if (invalidName != null)
        {
            return TopicResult.error(BrokerErrorCodes.INVALID_TOPIC_EXCEPTION, invalidName);
        }
        if (durable.containsKey(name) || inFlight.containsKey(name))
        {
            return TopicResult.error(BrokerErrorCodes.TOPIC_ALREADY_EXISTS, "topic '" + name + "' already exists");
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS)
        {
            return TopicResult.error(
                BrokerErrorCodes.INVALID_PARTITIONS,
                "number of partitions must be between 1 and " + MAX_PARTITIONS + ", was " + partitions);
        }
        if (replicationFactor != 1 && replicationFactor != -1)
        {
            return TopicResult.error(
                BrokerErrorCodes.INVALID_REPLICATION_FACTOR,
                "replication factor " + replicationFactor + " is larger than the 1 broker of this cluster");
        }
        final String invalidConfig = TopicConfigs.invalidReason(configs);
        if (invalidConfig != null)
        {
            return TopicResult.error(BrokerErrorCodes.INVALID_CONFIG, invalidConfig);
        }
        return null;
    }

    /**
     * Create a topic with {@code partitions} partitions (the broker's {@code num.partitions} when -1). When
     * the same name is being created already, the callback waits for that creation and gets
     * TOPIC_ALREADY_EXISTS with the topic.
     */
    public void create(
        final String name, final int partitions, final Map<String, String> configs, final Consumer<TopicResult> onDone)
    {
        final List<Consumer<TopicResult>> waiting = inFlight.get(name);
        if (waiting != null)
        {
            if (durable.containsKey(name))
            {
                // Being created (or changed) right now: answer when that is done, as Kafka would after it.
                waiting.add(result -> onDone.accept(result.isOk() ?
                    new TopicResult(BrokerErrorCodes.TOPIC_ALREADY_EXISTS, "topic '" + name + "' already exists",
                        result.topic()) : result));
            }
            else
            {
                // Being deleted: create anew once the old logs are gone.
                waiting.add(result -> create(name, partitions, configs, onDone));
            }
            return;
        }
        final int count = partitions == -1 ? config.numPartitions() : partitions;
        final TopicResult invalid = checkCreate(name, count, 1, configs);
        if (invalid != null)
        {
            onDone.accept(invalid);
            return;
        }
        final UUID id = newTopicId();
        final Topic topic = newTopic(name, id, newPartitions(name, id, 0, count, null), configs);
        durable.put(name, topic);
        if (!persist())
        {
            durable.remove(name);
            onDone.accept(TopicResult.error(ErrorCodes.KAFKA_STORAGE_ERROR, "cannot store topic '" + name + "'"));
            return;
        }
        inFlight.put(name, new ArrayList<>());
        shards.openLogs(topic.partitions(), this::partitionDir, topic.logConfig(),
            failure -> conductor.accept(() -> finishCreate(topic, failure, onDone)));
    }

    private void finishCreate(final Topic topic, final String failure, final Consumer<TopicResult> onDone)
    {
        final TopicResult result;
        if (failure == null)
        {
            snapshot = snapshot.with(topic);
            BrokerLog.info("created topic " + topic);
            result = TopicResult.ok(topic);
        }
        else
        {
            BrokerLog.warn("creating topic " + topic.name() + " failed: " + failure);
            durable.remove(topic.name());
            persist();
            shards.deleteLogs(topic.partitions(), () -> { });
            result = TopicResult.error(ErrorCodes.KAFKA_STORAGE_ERROR, failure);
        }
        onDone.accept(result);
        release(topic.name(), result);
    }

    /** Delete topic {@code name}: it disappears from metadata at once, then its logs are deleted. */
    public void delete(final String name, final Consumer<TopicResult> onDone)
    {
        final List<Consumer<TopicResult>> waiting = inFlight.get(name);
        if (waiting != null)
        {
            waiting.add(result -> delete(name, onDone));
            return;
        }
        final Topic topic = durable.get(name);
        if (topic == null)
        {
            onDone.accept(TopicResult.error(
                BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, "topic '" + name + "' does not exist"));
            return;
        }
        if (TopicName.CONSUMER_OFFSETS.equals(name))
        {
            // Deleting it would drop every group's committed offsets under a running coordinator.
            onDone.accept(TopicResult.error(BrokerErrorCodes.INVALID_REQUEST,
                name + " holds the consumer groups' committed offsets and cannot be deleted"));
            return;
        }
        if (!config.deleteTopicEnable())
        {
            onDone.accept(TopicResult.error(
                BrokerErrorCodes.TOPIC_DELETION_DISABLED, "delete.topic.enable is false on this broker"));
            return;
        }
        durable.remove(name);
        if (!persist())
        {
            durable.put(name, topic);
            onDone.accept(TopicResult.error(ErrorCodes.KAFKA_STORAGE_ERROR, "cannot store the deletion of '" + name + "'"));
            return;
        }
        snapshot = snapshot.without(name);
        inFlight.put(name, new ArrayList<>());
        shards.deleteLogs(topic.partitions(), () -> conductor.accept(() ->
        {
            BrokerLog.info("deleted topic " + topic);
            final TopicResult result = TopicResult.ok(topic);
            onDone.accept(result);
            release(name, result);
        }));
    }

    /** Grow topic {@code name} to {@code totalCount} partitions; existing partitions keep their data. */
    public void createPartitions(final String name, final int totalCount, final Consumer<TopicResult> onDone)
    {
        final List<Consumer<TopicResult>> waiting = inFlight.get(name);
        if (waiting != null)
        {
            waiting.add(result -> createPartitions(name, totalCount, onDone));
            return;
        }
        final Topic topic = durable.get(name);
        if (topic == null)
        {
            onDone.accept(TopicResult.error(
                BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, "topic '" + name + "' does not exist"));
            return;
        }
        if (totalCount <= topic.partitionCount() || totalCount > MAX_PARTITIONS)
        {
            onDone.accept(TopicResult.error(BrokerErrorCodes.INVALID_PARTITIONS,
                "topic '" + name + "' has " + topic.partitionCount() + " partitions; the new count must be more, and at most " +
                MAX_PARTITIONS + ", was " + totalCount));
            return;
        }
        final Partition[] old = topic.partitions();
        final Partition[] all = newPartitions(name, topic.id(), old.length, totalCount, old);
        final Topic grown = new Topic(name, topic.id(), all, topic.configs(), topic.logConfig(), topic.minInsyncReplicas());
        durable.put(name, grown);
        if (!persist())
        {
            durable.put(name, topic);
            onDone.accept(TopicResult.error(ErrorCodes.KAFKA_STORAGE_ERROR, "cannot store the new partitions of '" + name + "'"));
            return;
        }
        inFlight.put(name, new ArrayList<>());
        final Partition[] added = Arrays.copyOfRange(all, old.length, all.length);
        shards.openLogs(added, this::partitionDir, grown.logConfig(), failure -> conductor.accept(() ->
        {
            final TopicResult result;
            if (failure == null)
            {
                snapshot = snapshot.with(grown);
                BrokerLog.info("grew topic " + grown);
                result = TopicResult.ok(grown);
            }
            else
            {
                durable.put(name, topic);
                persist();
                shards.deleteLogs(added, () -> { });
                result = TopicResult.error(ErrorCodes.KAFKA_STORAGE_ERROR, failure);
            }
            onDone.accept(result);
            release(name, result);
        }));
    }

    /**
     * Replace the config overrides of topic {@code name} with {@code configs} (the complete new set: what is
     * absent goes back to the broker default); the logs apply them from now on.
     */
    public void alterConfigs(final String name, final Map<String, String> configs, final Consumer<TopicResult> onDone)
    {
        final List<Consumer<TopicResult>> waiting = inFlight.get(name);
        if (waiting != null)
        {
            waiting.add(result -> alterConfigs(name, configs, onDone));
            return;
        }
        final Topic topic = durable.get(name);
        if (topic == null)
        {
            onDone.accept(TopicResult.error(
                BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, "topic '" + name + "' does not exist"));
            return;
        }
        final String invalid = TopicConfigs.invalidReason(configs);
        if (invalid != null)
        {
            onDone.accept(TopicResult.error(BrokerErrorCodes.INVALID_CONFIG, invalid));
            return;
        }
        final Topic altered = newTopic(name, topic.id(), topic.partitions(), configs);
        durable.put(name, altered);
        if (!persist())
        {
            durable.put(name, topic);
            onDone.accept(TopicResult.error(ErrorCodes.KAFKA_STORAGE_ERROR, "cannot store the configs of '" + name + "'"));
            return;
        }
        snapshot = snapshot.with(altered);
        inFlight.put(name, new ArrayList<>());
        shards.configure(altered.partitions(), altered.logConfig(), () -> conductor.accept(() ->
        {
            final TopicResult result = TopicResult.ok(altered);
            onDone.accept(result);
            release(name, result);
        }));
    }

    /** The directory of {@code partition}'s log: where it already is, else spread over the log dirs by hash. */
    public Path partitionDir(final Partition partition)
    {
        final String dirName = partition.topic() + "-" + partition.index();
        if (logDirs.size() > 1)
        {
            for (final Path logDir : logDirs)
            {
                final Path candidate = logDir.resolve(dirName);
                if (Files.isDirectory(candidate))
                {
                    return candidate;
                }
            }
        }
        return logDirs.get(ShardProxy.shardOf(partition.topic(), partition.index(), logDirs.size())).resolve(dirName);
    }

    private void release(final String name, final TopicResult result)
    {
        final List<Consumer<TopicResult>> waiting = inFlight.remove(name);
        if (waiting != null)
        {
            for (final Consumer<TopicResult> waiter : waiting)
            {
                waiter.accept(result);
            }
        }
    }

    private boolean persist()
    {
        final List<TopicStore.StoredTopic> stored = new ArrayList<>(durable.size());
        for (final Topic topic : durable.values())
        {
            stored.add(new TopicStore.StoredTopic(topic.name(), topic.id(), topic.partitionCount(), topic.configs()));
        }
        try
        {
            store.save(stored);
            return true;
        }
        catch (final IOException ex)
        {
            BrokerLog.error("cannot write " + store.file(), ex);
            return false;
        }
    }

    private Topic newTopic(final String name, final UUID id, final Partition[] partitions, final Map<String, String> configs)
    {
        return new Topic(
            name, id, partitions, configs,
            TopicConfigs.logConfig(config, configs), TopicConfigs.minInsyncReplicas(config, configs));
    }

    private Partition[] newPartitions(
        final String name, final UUID id, final int from, final int to, final Partition[] existing)
    {
        final Partition[] partitions = new Partition[to];
        if (existing != null)
        {
            System.arraycopy(existing, 0, partitions, 0, from);
        }
        for (int i = from; i < to; i++)
        {
            partitions[i] = new Partition(name, id, i, shards.shardOf(name, i));
        }
        return partitions;
    }

    /**
     * A random id as Kafka makes them: never all zeros or the reserved metadata-topic id, and never starting
     * with '-' in its base64 form (which command-line tools would read as an option).
     */
    private UUID newTopicId()
    {
        while (true)
        {
            final long most = random.nextLong();
            final long least = random.nextLong();
            if ((most == 0 && (least == 0 || least == 1)) || (most >>> 58) == 62)
            {
                continue;
            }
            final UUID id = new UUID(most, least);
            if (snapshot.topic(id) == null)
            {
                return id;
            }
        }
    }

    private void removeOrphans(final Set<Path> expected) throws IOException
    {
        for (final Path logDir : logDirs)
        {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(logDir))
            {
                for (final Path entry : entries)
                {
                    if (Files.isDirectory(entry) && PARTITION_DIR.matcher(entry.getFileName().toString()).matches() &&
                        !expected.contains(entry.toAbsolutePath().normalize()) && holdsSegments(entry))
                    {
                        BrokerLog.warn("removing " + entry + ": a partition of no topic (a deletion cut short)");
                        deleteTree(entry);
                    }
                }
            }
        }
    }

    private static boolean holdsSegments(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".log"));
        }
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : (Iterable<Path>)files.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The effective config value of {@code name} for {@code topic} on this broker (for DescribeConfigs). */
    public String configValue(final Topic topic, final String name)
    {
        return TopicConfigs.value(name, topic.configs(), config);
    }

    /** The broker configuration topics take their defaults from. */
    public BrokerConfig brokerConfig()
    {
        return config;
    }

    /** The storage settings a topic with {@code overrides} would get; for validation before a change. */
    public LogConfig logConfigFor(final Map<String, String> overrides)
    {
        return TopicConfigs.logConfig(config, overrides);
    }
}
