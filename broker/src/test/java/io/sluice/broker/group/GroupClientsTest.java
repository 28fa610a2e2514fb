package io.sluice.broker.group;

import io.sluice.broker.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Unmodified kafka-clients consumers in groups against an in-process broker. */
@Timeout(120)
class GroupClientsTest
{
    private static final int PARTITIONS = 6;
    private static final String TOPIC = "events";

    @TempDir
    Path dir;

    private TestBroker broker;
    private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();

    private void start()
    {
        broker = TestBroker.start(dir,
            "group.initial.rebalance.delay.ms=0",
            "group.min.session.timeout.ms=1000");
    }

    @AfterEach
    void stop()
    {
        for (final KafkaConsumer<String, String> consumer : consumers)
        {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
        }
        if (broker != null)
        {
            broker.close();
        }
    }

    @Test
    void shouldSplitPartitionsAndMoveThemToAThirdConsumerWithTheRangeAssignor() throws Exception
    {
        start();
        createTopic();
        shouldSplitAndMove(RangeAssignor.class.getName());
    }

    @Test
    void shouldSplitPartitionsAndMoveThemToAThirdConsumerWithTheCooperativeStickyAssignor() throws Exception
    {
        start();
        createTopic();
        shouldSplitAndMove(CooperativeStickyAssignor.class.getName());
    }

    private void shouldSplitAndMove(final String assignor)
    {
        final KafkaConsumer<String, String> a = consumer("split", assignor, null);
        final KafkaConsumer<String, String> b = consumer("split", assignor, null);
        pollUntil(() -> sizes(a, b).equals(List.of(3, 3)), a, b);
        assertThat(union(a, b)).hasSize(PARTITIONS);

        final KafkaConsumer<String, String> c = consumer("split", assignor, null);
        pollUntil(() -> sizes(a, b, c).equals(List.of(2, 2, 2)), a, b, c);
        assertThat(union(a, b, c)).hasSize(PARTITIONS);
    }

    @Test
    void shouldMoveTheCrashedConsumersPartitionsAfterItsSessionTimeout() throws Exception
    {
        start();
        createTopic();
        final KafkaConsumer<String, String> survivor = consumer("crash", RangeAssignor.class.getName(), null);
        final KafkaConsumer<String, String> crashed = consumer("crash", RangeAssignor.class.getName(), null);
        pollUntil(() -> sizes(survivor, crashed).equals(List.of(3, 3)), survivor, crashed);

        // Gone without a LeaveGroup, as a killed process would be: only its session timeout tells.
        // The session runs from the crashed member's last heartbeat, up to one 300 ms interval (more on a busy
        // machine) before the close; a LeaveGroup would move the partitions within tens of milliseconds.
        consumers.remove(crashed);
        final long closingAt = System.nanoTime();
        crashed.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
            .withTimeout(Duration.ofSeconds(1)));
        pollUntil(() -> survivor.assignment().size() == PARTITIONS, survivor);
        assertThat(Duration.ofNanos(System.nanoTime() - closingAt)).as("waited for the 2 s session timeout")
            .isGreaterThan(Duration.ofMillis(1_000));
    }

    @Test
    void shouldResumeFromTheCommittedOffsetsAfterABrokerRestart() throws Exception
    {
        start();
        createTopic();
        produce(0, 120);
        final Map<TopicPartition, Long> committed = new HashMap<>();
        final Set<String> seen = new HashSet<>();
        final KafkaConsumer<String, String> first = consumer("resume", RangeAssignor.class.getName(), null);
        pollUntil(() ->
        {
            for (final ConsumerRecord<String, String> record : first.poll(Duration.ofMillis(50)))
            {
                if (seen.size() < 70)
                {
                    seen.add(record.value());
                    committed.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
            }
            return seen.size() >= 70;
        });
        final Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        committed.forEach((partition, offset) -> commit.put(partition, new OffsetAndMetadata(offset, "resume here")));
        first.commitSync(commit);
        consumers.remove(first);
        first.close();
        broker.close();

        broker = TestBroker.start(dir, "group.initial.rebalance.delay.ms=0", "group.min.session.timeout.ms=1000");
        final KafkaConsumer<String, String> second = consumer("resume", RangeAssignor.class.getName(), null);
        final Set<String> rest = new HashSet<>();
        pollUntil(() ->
        {
            for (final ConsumerRecord<String, String> record : second.poll(Duration.ofMillis(50)))
            {
                assertThat(rest.add(record.value())).as("read once").isTrue();
            }
            return rest.size() + seen.size() >= 120;
        });
        for (final String value : rest)
        {
            assertThat(seen).as("nothing before the committed offsets again").doesNotContain(value);
        }
        assertThat(second.committed(committed.keySet()).get(committed.keySet().iterator().next()).metadata())
            .isEqualTo("resume here");
    }

    @Test
    void shouldLetAStaticMemberRestartWithoutARebalance() throws Exception
    {
        start();
        createTopic();
        final AtomicInteger stayingRebalances = new AtomicInteger();
        final KafkaConsumer<String, String> staying = consumer("static", RangeAssignor.class.getName(), "stays");
        staying.unsubscribe();
        staying.subscribe(List.of(TOPIC), new ConsumerRebalanceListener()
        {
            @Override
            public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
            {
            }

            @Override
            public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
            {
                stayingRebalances.incrementAndGet();
            }
        });
        final KafkaConsumer<String, String> restarting = consumer("static", RangeAssignor.class.getName(), "restarts");
        pollUntil(() -> sizes(staying, restarting).equals(List.of(3, 3)), staying, restarting);
        final Set<TopicPartition> before = new HashSet<>(restarting.assignment());
        final int generation = staying.groupMetadata().generationId();
        final int rebalances = stayingRebalances.get();

        consumers.remove(restarting);
        restarting.close();
        final KafkaConsumer<String, String> restarted = consumer("static", RangeAssignor.class.getName(), "restarts");
        pollUntil(() -> restarted.assignment().size() == 3, staying, restarted);
        for (int i = 0; i < 10; i++)
        {
            staying.poll(Duration.ofMillis(100));
            restarted.poll(Duration.ofMillis(100));
        }
        assertThat(restarted.assignment()).isEqualTo(before);
        assertThat(staying.groupMetadata().generationId()).isEqualTo(generation);
        assertThat(stayingRebalances.get()).isEqualTo(rebalances);
    }

    @Test
    void shouldListDescribeResetAndDeleteGroupsWithTheAdminClient() throws Exception
    {
        start();
        createTopic();
        produce(0, 60);
        final KafkaConsumer<String, String> member = consumer("admin", RangeAssignor.class.getName(), null);
        final AtomicInteger read = new AtomicInteger();
        pollUntil(() ->
        {
            read.addAndGet(member.poll(Duration.ofMillis(50)).count());
            return read.get() == 60;
        });
        member.commitSync();
        try (Admin admin = admin())
        {
            assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get())
                .anyMatch(group -> group.groupId().equals("admin") && group.groupState().orElseThrow() == GroupState.STABLE);
            final var description = admin.describeConsumerGroups(List.of("admin")).all().get().get("admin");
            assertThat(description.members()).hasSize(1);
            assertThat(description.members().iterator().next().assignment().topicPartitions()).hasSize(PARTITIONS);
            final Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets("admin").partitionsToOffsetAndMetadata().get();
            assertThat(offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(60);

            consumers.remove(member);
            member.close();
            final Map<TopicPartition, OffsetAndMetadata> reset = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++)
            {
                reset.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(0));
            }
            admin.alterConsumerGroupOffsets("admin", reset).all().get();
            assertThat(admin.listConsumerGroupOffsets("admin").partitionsToOffsetAndMetadata().get().values())
                .allMatch(offset -> offset.offset() == 0);

            admin.deleteConsumerGroups(List.of("admin")).all().get();
            assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get())
                .noneMatch(group -> group.groupId().equals("admin"));
        }
    }

    private KafkaConsumer<String, String> consumer(final String group, final String assignor, final String instanceId)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "2000");
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
        properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "20000");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        if (instanceId != null)
        {
            properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        final KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties);
        consumer.subscribe(List.of(TOPIC));
        consumers.add(consumer);
        return consumer;
    }

    private Admin admin()
    {
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        return Admin.create(properties);
    }

    private void createTopic() throws Exception
    {
        try (Admin admin = admin())
        {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short)1))).all().get();
        }
    }

    private void produce(final int from, final int count)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties))
        {
            for (int i = from; i < from + count; i++)
            {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    /** Poll every consumer in turn until {@code condition} holds (60 s at most). */
    @SafeVarargs
    private static void pollUntil(final BooleanSupplier condition, final KafkaConsumer<String, String>... toPoll)
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("condition not met within 60 s");
            }
            for (final KafkaConsumer<String, String> consumer : toPoll)
            {
                consumer.poll(Duration.ofMillis(50));
            }
        }
    }

    @SafeVarargs
    private static List<Integer> sizes(final KafkaConsumer<String, String>... group)
    {
        final List<Integer> sizes = new ArrayList<>();
        for (final KafkaConsumer<String, String> consumer : group)
        {
            sizes.add(consumer.assignment().size());
        }
        return sizes;
    }

    @SafeVarargs
    private static Set<TopicPartition> union(final KafkaConsumer<String, String>... group)
    {
        final Set<TopicPartition> all = new HashSet<>();
        for (final KafkaConsumer<String, String> consumer : group)
        {
            all.addAll(consumer.assignment());
        }
        return all;
    }
}
