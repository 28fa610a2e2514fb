package io.sluice.client;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The two doors share topics and logs: what one writes, the other reads back byte for byte. */
@Timeout(120)
class CrossDoorTest
{
    private static final int RECORDS = 500;
    /** Recent, so that retention (by the records' own timestamps) keeps them. */
    private static final long BASE_TIMESTAMP = System.currentTimeMillis() - 60_000;

    @TempDir
    Path dir;

    private NativeTestBroker broker;

    /** What a record carried, from either door. */
    record Sent(int partition, long offset, long timestamp, byte[] key, byte[] value, List<String> headers)
    {
    }

    @BeforeEach
    void start()
    {
        broker = NativeTestBroker.start(dir);
        try (SluiceAdmin admin = new SluiceAdmin(broker.context()))
        {
            admin.createTopic("shared", 3, Map.of());
        }
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldReadNativelyProducedRecordsWithKafkaConsumer() throws Exception
    {
        final List<Sent> sent = new ArrayList<>();
        final CountDownLatch acknowledged = new CountDownLatch(RECORDS);
        final AtomicReference<SluiceException> failure = new AtomicReference<>();
        final long[] offsets = new long[RECORDS];
        final int[] partitions = new int[RECORDS];
        try (SluiceProducer producer = new SluiceProducer(broker.context()))
        {
            final OutgoingRecord record = new OutgoingRecord();
            final SendCallback callback = (topic, partition, offset, context, error) ->
            {
                if (error != null)
                {
                    failure.set(error);
                }
                offsets[(int)context] = offset;
                partitions[(int)context] = partition;
                acknowledged.countDown();
            };
            for (int i = 0; i < RECORDS; i++)
            {
                record.reset().topic("shared").timestamp(BASE_TIMESTAMP + i * 7L)
                    .key(i % 10 == 0 ? null : bytes("key-" + i))
                    .value(i % 50 == 0 ? null : bytes("value-" + i + "-".repeat(i % 13)));
                if (i % 3 == 0)
                {
                    record.header("trace", bytes("t" + i)).header("empty", null);
                }
                producer.send(record, callback, i);
            }
            producer.flush();
            assertThat(acknowledged.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failure.get()).isNull();
        for (int i = 0; i < RECORDS; i++)
        {
            sent.add(new Sent(partitions[i], offsets[i], BASE_TIMESTAMP + i * 7L,
                i % 10 == 0 ? null : bytes("key-" + i), i % 50 == 0 ? null : bytes("value-" + i + "-".repeat(i % 13)),
                i % 3 == 0 ? List.of("trace=t" + i, "empty=null") : List.of()));
        }

        final List<Sent> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = kafkaConsumer())
        {
            final List<TopicPartition> assignment =
                List.of(new TopicPartition("shared", 0), new TopicPartition("shared", 1), new TopicPartition("shared", 2));
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read.size() < RECORDS && System.nanoTime() < deadline)
            {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)))
                {
                    final List<String> headers = new ArrayList<>();
                    for (final Header header : record.headers())
                    {
                        headers.add(header.key() + "=" + (header.value() == null ? "null" : text(header.value())));
                    }
                    read.add(new Sent(record.partition(), record.offset(), record.timestamp(), record.key(),
                        record.value(), headers));
                }
            }
        }
        assertSameRecords(read, sent);
    }

    @Test
    void shouldReadKafkaProducedRecordsNatively() throws Exception
    {
        final List<Sent> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = kafkaProducer())
        {
            for (int i = 0; i < RECORDS; i++)
            {
                final List<Header> headers = new ArrayList<>();
                final List<String> described = new ArrayList<>();
                if (i % 4 == 0)
                {
                    headers.add(new RecordHeader("origin", bytes("kafka-" + i)));
                    described.add("origin=kafka-" + i);
                }
                final byte[] key = i % 9 == 0 ? null : bytes("k" + i);
                final byte[] value = bytes("payload " + i);
                final long timestamp = BASE_TIMESTAMP + i;
                final var metadata = producer.send(
                    new ProducerRecord<>("shared", i % 3, timestamp, key, value, headers)).get();
                sent.add(new Sent(metadata.partition(), metadata.offset(), timestamp, key, value, described));
            }
        }

        final List<Sent> read = new ArrayList<>();
        try (SluiceConsumer consumer = new SluiceConsumer(broker.context()))
        {
            consumer.assign("shared");
            for (int partition = 0; partition < 3; partition++)
            {
                consumer.seekToBeginning("shared", partition);
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read.size() < RECORDS && System.nanoTime() < deadline)
            {
                final RecordView records = consumer.poll(200);
                while (records.next())
                {
                    assertThat(records.topic()).isEqualTo("shared");
                    final List<String> headers = new ArrayList<>();
                    while (records.nextHeader())
                    {
                        headers.add(records.headerKey() + "=" + text(records.headerValue()));
                    }
                    read.add(new Sent(records.partition(), records.offset(), records.timestamp(), records.key(),
                        records.value(), headers));
                }
            }
        }
        assertSameRecords(read, sent);
    }

    private static void assertSameRecords(final List<Sent> read, final List<Sent> sent)
    {
        assertThat(read).hasSize(sent.size());
        final Comparator order = new Comparator();
        read.sort(order);
        sent.sort(order);
        for (int i = 0; i < sent.size(); i++)
        {
            final Sent expected = sent.get(i);
            final Sent actual = read.get(i);
            assertThat(actual.partition()).isEqualTo(expected.partition());
            assertThat(actual.offset()).isEqualTo(expected.offset());
            assertThat(actual.timestamp()).as("timestamp at %s", expected.offset()).isEqualTo(expected.timestamp());
            assertThat(actual.key()).as("key at %s", expected.offset()).isEqualTo(expected.key());
            assertThat(actual.value()).as("value at %s", expected.offset()).isEqualTo(expected.value());
            assertThat(actual.headers()).as("headers at %s", expected.offset()).isEqualTo(expected.headers());
        }
    }

    /** Partition, then offset. */
    private static final class Comparator implements java.util.Comparator<Sent>
    {
        @Override
        public int compare(final Sent left, final Sent right)
        {
            final int byPartition = Integer.compare(left.partition(), right.partition());
            return byPartition != 0 ? byPartition : Long.compare(left.offset(), right.offset());
        }
    }

    private KafkaConsumer<byte[], byte[]> kafkaConsumer()
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> kafkaProducer()
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.kafkaBootstrap());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(final byte[] bytes)
    {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
