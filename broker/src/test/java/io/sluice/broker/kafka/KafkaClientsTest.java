package io.sluice.broker.kafka;

import io.sluice.broker.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Unmodified kafka-clients against an in-process broker: the compatibility promise, end to end. */
@Timeout(60)
class KafkaClientsTest
{
    @TempDir
    Path dir;

    private TestBroker broker;

    @BeforeEach
    void start()
    {
        broker = TestBroker.start(dir);
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldRoundTripKeyedRecordsWithTheDefaultProducerAndAnAssignedConsumer() throws Exception
    {
        final int partitions = 6;
        final int count = 5_000;
        createTopic("roundtrip", partitions);

        final Map<Integer, List<Integer>> sentByPartition = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(new Properties()))
        {
            for (int i = 0; i < count; i++)
            {
                producer.send(new ProducerRecord<>("roundtrip", key(i), value(i)));
            }
            producer.flush();
        }
        for (int i = 0; i < count; i++)
        {
            final int partition = Utils.toPositive(Utils.murmur2(key(i))) % partitions;
            sentByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(i);
        }

        final Map<Integer, List<Integer>> readByPartition = new HashMap<>();
        final List<ConsumerRecord<byte[], byte[]>> records = consumeAll("roundtrip", partitions, count);
        for (final ConsumerRecord<byte[], byte[]> record : records)
        {
            final int i = Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8).substring(6));
            assertThat(record.key()).isEqualTo(key(i));
            assertThat(record.value()).isEqualTo(value(i));
            final List<Integer> read = readByPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>());
            assertThat(record.offset()).isEqualTo(read.size());
            read.add(i);
        }
        assertThat(readByPartition).isEqualTo(sentByPartition);
    }

    @Test
    void shouldAutoCreateATopicThatAProducerNames() throws Exception
    {
        try (KafkaProducer<byte[], byte[]> producer = producer(new Properties()))
        {
            final RecordMetadata metadata = producer.send(new ProducerRecord<>("auto-created", value(1))).get();
            assertThat(metadata.offset()).isZero();
        }
        try (Admin admin = admin())
        {
            assertThat(admin.listTopics().names().get()).contains("auto-created");
        }
    }

    @Test
    void shouldListOffsetsEarliestLatestMaxTimestampAndByTimestamp() throws Exception
    {
        createTopic("offsets", 1);
        final long base = System.currentTimeMillis() - 3_600_000L;
        try (KafkaProducer<byte[], byte[]> producer = producer(new Properties()))
        {
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++)
            {
                final long timestamp = i == 7 ? base + 1_000_000 : base + i * 1000L;
                sent.add(producer.send(new ProducerRecord<>("offsets", 0, timestamp, key(i), value(i))));
                producer.flush();
            }
            for (final Future<RecordMetadata> future : sent)
            {
                future.get();
            }
        }

        final TopicPartition partition = new TopicPartition("offsets", 0);
        try (Admin admin = admin())
        {
            assertThat(offset(admin, partition, OffsetSpec.earliest())).isZero();
            assertThat(offset(admin, partition, OffsetSpec.latest())).isEqualTo(10);
            final ListOffsetsResult.ListOffsetsResultInfo max =
                admin.listOffsets(Map.of(partition, OffsetSpec.maxTimestamp())).partitionResult(partition).get();
            assertThat(max.offset()).isEqualTo(7);
            assertThat(max.timestamp()).isEqualTo(base + 1_000_000);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer())
        {
            final Map<TopicPartition, OffsetAndTimestamp> found =
                consumer.offsetsForTimes(Map.of(partition, base + 2_500));
            assertThat(found.get(partition).offset()).isEqualTo(3);
            assertThat(consumer.offsetsForTimes(Map.of(partition, base + 2_000_000)).get(partition)).isNull();
        }
    }

    @Test
    void shouldKeepTopicsTheirIdsAndRecordsAcrossARestart() throws Exception
    {
        createTopic("durable", 3);
        final UUID idBefore = broker.broker().topics().snapshot().topic("durable").id();
        try (KafkaProducer<byte[], byte[]> producer = producer(new Properties()))
        {
            for (int i = 0; i < 300; i++)
            {
                producer.send(new ProducerRecord<>("durable", key(i), value(i)));
            }
            producer.flush();
        }

        broker.close();
        broker = TestBroker.start(dir);

        assertThat(broker.broker().topics().snapshot().topic("durable").id()).isEqualTo(idBefore);
        assertThat(consumeAll("durable", 3, 300)).hasSize(300);
    }

    @Test
    void shouldProduceWithAcksZeroAndOne() throws Exception
    {
        createTopic("acks", 1);
        for (final String acks : new String[]{"0", "1"})
        {
            final Properties properties = new Properties();
            properties.put(ProducerConfig.ACKS_CONFIG, acks);
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
            try (KafkaProducer<byte[], byte[]> producer = producer(properties))
            {
                for (int i = 0; i < 100; i++)
                {
                    producer.send(new ProducerRecord<>("acks", key(i), value(i)));
                }
                producer.flush();
            }
        }
        assertThat(consumeAll("acks", 1, 200)).hasSize(200);
    }

    @Test
    void shouldStoreCompressedBatchesUntouchedWithHeadersAndTimestamps() throws Exception
    {
        final String[] codecs = {"gzip", "snappy", "lz4", "zstd"};
        createTopic("compressed", 1);
        final long timestamp = System.currentTimeMillis() - 60_000;
        for (final String codec : codecs)
        {
            final Properties properties = new Properties();
            properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
            try (KafkaProducer<byte[], byte[]> producer = producer(properties))
            {
                for (int i = 0; i < 50; i++)
                {
                    final ProducerRecord<byte[], byte[]> record =
                        new ProducerRecord<>("compressed", 0, timestamp + i, key(i), value(i));
                    record.headers().add("codec", codec.getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }
                producer.flush();
            }
        }

        final List<ConsumerRecord<byte[], byte[]>> records = consumeAll("compressed", 1, 200);
        assertThat(records).hasSize(200);
        for (int n = 0; n < records.size(); n++)
        {
            final ConsumerRecord<byte[], byte[]> record = records.get(n);
            final int i = n % 50;
            assertThat(record.value()).isEqualTo(value(i));
            assertThat(record.timestamp()).isEqualTo(timestamp + i);
            assertThat(new String(record.headers().lastHeader("codec").value(), StandardCharsets.UTF_8))
                .isEqualTo(codecs[n / 50]);
        }
    }

    private void createTopic(final String name, final int partitions) throws Exception
    {
        try (Admin admin = admin())
        {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short)1))).all().get();
        }
    }

    private static long offset(final Admin admin, final TopicPartition partition, final OffsetSpec spec) throws Exception
    {
        return admin.listOffsets(Map.of(partition, spec)).partitionResult(partition).get().offset();
    }

    private List<ConsumerRecord<byte[], byte[]>> consumeAll(final String topic, final int partitions, final int expected)
    {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer())
        {
            final List<TopicPartition> assigned = new ArrayList<>();
            for (int i = 0; i < partitions; i++)
            {
                assigned.add(new TopicPartition(topic, i));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            final long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline)
            {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private Admin admin()
    {
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        return Admin.create(properties);
    }

    private KafkaProducer<byte[], byte[]> producer(final Properties extra)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        properties.putAll(extra);
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer()
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static byte[] key(final int i)
    {
        return ("key-" + (i % 97)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(final int i)
    {
        return ("value-" + i).getBytes(StandardCharsets.UTF_8);
    }
}
