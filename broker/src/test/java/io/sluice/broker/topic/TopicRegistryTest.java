package io.sluice.broker.topic;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.shard.ShardProxy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry with real shards and logs; the test thread plays the conductor, draining its task queue. */
@Timeout(30)
class TopicRegistryTest
{
    @TempDir
    Path dir;

    private final ConcurrentLinkedQueue<Runnable> conductor = new ConcurrentLinkedQueue<>();
    private BrokerConfig config;
    private ShardProxy shards;
    private TopicRegistry registry;

    @BeforeEach
    void start() throws Exception
    {
        config = new BrokerConfig().set("log.dirs", dir.toString()).set("num.partitions", "2").conclude();
        open();
    }

    @AfterEach
    void stop()
    {
        shards.close();
    }

    private void open() throws Exception
    {
        shards = new ShardProxy(2, 64, true, wait -> new SleepingMillisIdleStrategy(1), SystemEpochClock.INSTANCE);
        registry = new TopicRegistry(config, shards, conductor::add);
        registry.load();
        shards.start();
    }

    private void reopen() throws Exception
    {
        shards.close();
        open();
    }

    @Test
    void shouldCreateATopicAndFindItAgainAfterARestart() throws Exception
    {
        final TopicRegistry.TopicResult created = await(done -> registry.create("orders", 3, Map.of("retention.ms", "1000"), done));

        assertThat(created.isOk()).isTrue();
        assertThat(registry.snapshot().topic("orders").partitionCount()).isEqualTo(3);
        assertThat(Files.isDirectory(dir.resolve("orders-2"))).isTrue();

        reopen();

        final Topic reloaded = registry.snapshot().topic("orders");
        assertThat(reloaded.id()).isEqualTo(created.topic().id());
        assertThat(reloaded.partitionCount()).isEqualTo(3);
        assertThat(reloaded.configs()).containsEntry("retention.ms", "1000");
        assertThat(reloaded.logConfig().retentionMs()).isEqualTo(1000);
        assertThat(registry.snapshot().topic(created.topic().id())).isSameAs(reloaded);
    }

    @Test
    void shouldUseNumPartitionsWhenNoCountIsGiven() throws Exception
    {
        assertThat(await(done -> registry.create("defaulted", -1, Map.of(), done)).topic().partitionCount()).isEqualTo(2);
    }

    @Test
    void shouldRefuseBadNamesCountsConfigsAndDuplicates() throws Exception
    {
        assertThat(await(done -> registry.create("bad/name", 1, Map.of(), done)).errorCode())
            .isEqualTo(BrokerErrorCodes.INVALID_TOPIC_EXCEPTION);
        assertThat(await(done -> registry.create("x".repeat(250), 1, Map.of(), done)).errorCode())
            .isEqualTo(BrokerErrorCodes.INVALID_TOPIC_EXCEPTION);
        assertThat(await(done -> registry.create("zero", 0, Map.of(), done)).errorCode())
            .isEqualTo(BrokerErrorCodes.INVALID_PARTITIONS);
        assertThat(await(done -> registry.create("cfg", 1, Map.of("segment.bytes", "1"), done)).errorCode())
            .isEqualTo(BrokerErrorCodes.INVALID_CONFIG);
        assertThat(await(done -> registry.create("cfg", 1, Map.of("no.such.config", "1"), done)).errorCode())
            .isEqualTo(BrokerErrorCodes.INVALID_CONFIG);
        assertThat(registry.checkCreate("rf", 1, 3, Map.of()).errorCode())
            .isEqualTo(BrokerErrorCodes.INVALID_REPLICATION_FACTOR);

        assertThat(await(done -> registry.create("twice", 1, Map.of(), done)).isOk()).isTrue();
        assertThat(await(done -> registry.create("twice", 1, Map.of(), done)).errorCode())
            .isEqualTo(BrokerErrorCodes.TOPIC_ALREADY_EXISTS);
        assertThat(registry.snapshot().topics()).extracting(Topic::name).containsExactly("twice");
    }

    @Test
    void shouldAnswerAConcurrentCreationOfTheSameNameOnceItExists() throws Exception
    {
        final AtomicReference<TopicRegistry.TopicResult> first = new AtomicReference<>();
        final AtomicReference<TopicRegistry.TopicResult> second = new AtomicReference<>();
        registry.create("race", 1, Map.of(), first::set);
        registry.create("race", 1, Map.of(), second::set);
        drainUntil(() -> first.get() != null && second.get() != null);

        assertThat(first.get().isOk()).isTrue();
        assertThat(second.get().errorCode()).isEqualTo(BrokerErrorCodes.TOPIC_ALREADY_EXISTS);
        assertThat(second.get().topic()).isSameAs(first.get().topic());
    }

    @Test
    void shouldDeleteATopicAndItsLogsForGood() throws Exception
    {
        final Topic topic = await(done -> registry.create("gone", 2, Map.of(), done)).topic();
        assertThat(await(done -> registry.delete("gone", done)).isOk()).isTrue();

        assertThat(registry.snapshot().topic("gone")).isNull();
        assertThat(registry.snapshot().topic(topic.id())).isNull();
        assertThat(Files.exists(dir.resolve("gone-0"))).isFalse();
        assertThat(await(done -> registry.delete("gone", done)).errorCode())
            .isEqualTo(BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);

        reopen();
        assertThat(registry.snapshot().topic("gone")).isNull();
    }

    @Test
    void shouldGrowATopicAndKeepItsExistingPartitions() throws Exception
    {
        final Topic before = await(done -> registry.create("grow", 2, Map.of(), done)).topic();
        final Topic after = await(done -> registry.createPartitions("grow", 5, done)).topic();

        assertThat(after.partitionCount()).isEqualTo(5);
        assertThat(after.partition(0)).isSameAs(before.partition(0));
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(Files.isDirectory(dir.resolve("grow-4"))).isTrue();
        assertThat(await(done -> registry.createPartitions("grow", 3, done)).errorCode())
            .isEqualTo(BrokerErrorCodes.INVALID_PARTITIONS);

        reopen();
        assertThat(registry.snapshot().topic("grow").partitionCount()).isEqualTo(5);
    }

    @Test
    void shouldReplaceConfigOverridesDurably() throws Exception
    {
        await(done -> registry.create("tuned", 1, Map.of("retention.ms", "1000"), done));
        final Topic altered = await(done -> registry.alterConfigs("tuned", Map.of("segment.bytes", "1048576"), done)).topic();

        assertThat(altered.configs()).containsExactly(Map.entry("segment.bytes", "1048576"));
        assertThat(altered.logConfig().retentionMs()).isEqualTo(config.logConfig().retentionMs());
        assertThat(await(done -> registry.alterConfigs("tuned", Map.of("retention.ms", "x"), done)).errorCode())
            .isEqualTo(BrokerErrorCodes.INVALID_CONFIG);

        reopen();
        assertThat(registry.snapshot().topic("tuned").configs()).containsExactly(Map.entry("segment.bytes", "1048576"));
    }

    @Test
    void shouldRemovePartitionDirectoriesOfNoTopicAtStartup() throws Exception
    {
        await(done -> registry.create("kept", 1, Map.of(), done));
        final Path orphan = Files.createDirectories(dir.resolve("dropped-0"));
        Files.write(orphan.resolve("00000000000000000000.log"), new byte[0]);
        final Path unrelated = Files.createDirectories(dir.resolve("notes"));

        reopen();

        assertThat(Files.exists(orphan)).isFalse();
        assertThat(Files.exists(unrelated)).isTrue();
        assertThat(registry.snapshot().topic("kept")).isNotNull();
    }

    private TopicRegistry.TopicResult await(final Consumer<Consumer<TopicRegistry.TopicResult>> change)
    {
        final AtomicReference<TopicRegistry.TopicResult> result = new AtomicReference<>();
        change.accept(result::set);
        drainUntil(() -> result.get() != null);
        return result.get();
    }

    private void drainUntil(final java.util.function.BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean())
        {
            final Runnable task = conductor.poll();
            if (task != null)
            {
                task.run();
            }
            else if (System.nanoTime() > deadline)
            {
                throw new AssertionError("no result within 10 s");
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }
}
