package io.sluice.systemtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Unmodified Apache Kafka clients pointed at a {@link BrokerProcess}: only the bootstrap address, byte-array
 * serde and bounded timeouts are set, so producers keep Kafka's defaults (idempotence on, acks=all) unless a
 * test overrides them. Stateless; every client returned belongs to the caller, who closes it.
 */
final class KafkaClients
{
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger TOPIC_SEQUENCE = new AtomicInteger();

    private KafkaClients()
    {
    }

    static Admin admin(final BrokerProcess broker)
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int)ADMIN_TIMEOUT.toMillis());
        return Admin.create(props);
    }

    static KafkaProducer<byte[], byte[]> producer(final BrokerProcess broker, final Map<String, Object> settings)
    {
        final Map<String, Object> props = new HashMap<>(settings);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static KafkaProducer<byte[], byte[]> producer(final BrokerProcess broker)
    {
        return producer(broker, Map.of());
    }

    /**
     * A consumer without a group: the tests assign partitions by hand.
     */
    static KafkaConsumer<byte[], byte[]> consumer(final BrokerProcess broker)
    {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * @return a topic name no other test in this JVM uses.
     */
    static String uniqueTopic(final String prefix)
    {
        return prefix + "-" + System.currentTimeMillis() % 100_000 + "-" + TOPIC_SEQUENCE.incrementAndGet();
    }

    static void createTopic(final Admin admin, final String name, final int partitions, final Map<String, String> configs)
        throws Exception
    {
        await(admin.createTopics(List.of(new NewTopic(name, partitions, (short)1).configs(configs))).all());
    }

    static void createTopic(final Admin admin, final String name, final int partitions) throws Exception
    {
        createTopic(admin, name, partitions, Map.of());
    }

    /**
     * Wait for an Admin result with {@link #ADMIN_TIMEOUT}; a failure surfaces as its cause.
     */
    static <T> T await(final KafkaFuture<T> future) throws Exception
    {
        try
        {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw ex.getCause() instanceof Exception ? (Exception)ex.getCause() : ex;
        }
        catch (final TimeoutException ex)
        {
            throw new AssertionError("no answer within " + ADMIN_TIMEOUT, ex);
        }
    }

    /**
     * Read the partitions from their log start to the end offsets they have when this is called, with a
     * consumer that assigns them by hand.
     *
     * @return every record, in fetch order (so in offset order within a partition).
     */
    static List<ConsumerRecord<byte[], byte[]>> readAll(
        final BrokerProcess broker, final Collection<TopicPartition> partitions, final Duration timeout)
    {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(broker))
        {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, timeout);
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, endOffsets))
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("did not read " + partitions + " to " + endOffsets + " within " + timeout +
                        "; read " + records.size() + " records");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }

        return records;
    }

    private static boolean reachedEnd(
        final KafkaConsumer<byte[], byte[]> consumer, final Map<TopicPartition, Long> endOffsets)
    {
        for (final Map.Entry<TopicPartition, Long> entry : endOffsets.entrySet())
        {
            if (consumer.position(entry.getKey(), Duration.ofSeconds(30)) < entry.getValue())
            {
                return false;
            }
        }

        return true;
    }
}
