package io.sluice.perf.load.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Drives any broker that speaks the Kafka protocol (Sluice's PLAINTEXT listener, Apache Kafka) with the stock
 * kafka-clients producer, consumer and admin client. Consumers are assigned partitions directly, without a group, so
 * a run measures fetching rather than rebalancing.
 */
public final class KafkaLoadDriver implements LoadDriver
{
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrap;
    private final Map<String, String> consumerExtra;

    /**
     * @param bootstrap     host:port of the broker
     * @param consumerExtra consumer configs applied after the harness's own (empty for none)
     */
    public KafkaLoadDriver(final String bootstrap, final Map<String, String> consumerExtra)
    {
        this.bootstrap = bootstrap;
        this.consumerExtra = Map.copyOf(consumerExtra);
    }

    @Override
    public int ensureTopic(final String topic, final int partitions)
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-perf-admin");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int)SETUP_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(props))
        {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short)1)))
                .all().get(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            // an existing topic keeps its partitions; a broker without CreateTopics auto-creates on metadata
            if (!(ex.getCause() instanceof TopicExistsException) &&
                !(ex.getCause() instanceof UnsupportedVersionException))
            {
                throw new IllegalStateException("cannot create topic " + topic + ": " + ex.getCause().getMessage(), ex);
            }
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("topic " + topic + " not created within " + SETUP_TIMEOUT, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + topic, ex);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer())
        {
            return partitionsOf(consumer, topic).size();
        }
    }

    @Override
    public long recordCount(final String topic)
    {
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer())
        {
            final List<TopicPartition> partitions = partitionsOf(consumer, topic);
            final Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, SETUP_TIMEOUT);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, SETUP_TIMEOUT);
            long count = 0;
            for (final TopicPartition partition : partitions)
            {
                count += end.get(partition) - start.get(partition);
            }
            return count;
        }
    }

    @Override
    public RecordSender openSender(final String topic, final SenderSettings settings)
    {
        if (settings.invoked())
        {
            throw new IllegalArgumentException("the Kafka producer runs its own I/O thread: --spin is for --protocol native");
        }
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-perf-producer");
        props.put(ProducerConfig.ACKS_CONFIG, settings.acks());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.batchBytes());
        props.put(ProducerConfig.LINGER_MS_CONFIG, settings.lingerMs());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putAll(settings.extra());
        final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
        try
        {
            // fetch the topic's metadata now, so the first send of a run does not block on it
            producer.partitionsFor(topic);
            return new KafkaRecordSender(topic, producer);
        }
        catch (final RuntimeException ex)
        {
            producer.close();
            throw ex;
        }
    }

    @Override
    public RecordReceiver openReceiver(final String topic, final boolean fromBeginning)
    {
        final KafkaConsumer<byte[], byte[]> consumer = newConsumer();
        try
        {
            final List<TopicPartition> partitions = partitionsOf(consumer, topic);
            consumer.assign(partitions);
            if (fromBeginning)
            {
                consumer.seekToBeginning(partitions);
            }
            else
            {
                consumer.seekToEnd(partitions);
            }
            // resolve the positions now: "from the end" means records sent after this call returns
            for (final TopicPartition partition : partitions)
            {
                consumer.position(partition, SETUP_TIMEOUT);
            }
            return new KafkaRecordReceiver(consumer);
        }
        catch (final RuntimeException ex)
        {
            consumer.close();
            throw ex;
        }
    }

    @Override
    public void close()
    {
    }

    private KafkaConsumer<byte[], byte[]> newConsumer()
    {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-perf-consumer");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int)SETUP_TIMEOUT.toMillis());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putAll(consumerExtra);
        return new KafkaConsumer<>(props);
    }

    private static List<TopicPartition> partitionsOf(final KafkaConsumer<byte[], byte[]> consumer, final String topic)
    {
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, SETUP_TIMEOUT);
        if (infos == null || infos.isEmpty())
        {
            throw new IllegalStateException("topic " + topic + " has no partitions at " + consumer.toString());
        }
        final List<TopicPartition> partitions = new ArrayList<>(infos.size());
        for (final PartitionInfo info : infos)
        {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }
}
