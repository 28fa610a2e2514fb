package io.sluice.systemtest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kafka-clients' producer with its default settings (idempotence on, acks=all, the built-in partitioner) against
 * a real broker process, read back by a consumer with manual assignment.
 */
@Tag("system")
class KeyedProduceSystemTest
{
    private static final int RECORDS = 100_000;
    private static final int PARTITIONS = 6;
    private static final int KEYS = 5_000;

    @TempDir
    static Path workDir;
    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker()
    {
        broker = new BrokerProcess(workDir).start();
    }

    @AfterAll
    static void stopBroker()
    {
        if (null != broker)
        {
            broker.close();
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldKeepEveryKeyedRecordByteExactInOrderInTheDefaultPartitionersPartition() throws Exception
    {
        final String topic = KafkaClients.uniqueTopic("keyed");
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.createTopic(admin, topic, PARTITIONS);
        }

        final List<List<Integer>> sentByPartition = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++)
        {
            sentByPartition.add(new ArrayList<>());
        }
        final ConcurrentLinkedQueue<String> sendProblems = new ConcurrentLinkedQueue<>();

        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                final byte[] key = key(i);
                final int expectedPartition = defaultPartition(key);
                sentByPartition.get(expectedPartition).add(i);
                final int index = i;
                producer.send(new ProducerRecord<>(topic, key, value(i)), (metadata, error) ->
                {
                    if (null != error)
                    {
                        sendProblems.add("record " + index + ": " + error);
                    }
                    else if (metadata.partition() != expectedPartition)
                    {
                        sendProblems.add("record " + index + " acked in partition " + metadata.partition() +
                            ", the default partitioner picks " + expectedPartition);
                    }
                });
            }
            producer.flush();
        }
        assertThat(sendProblems.size())
            .as("send failures, the first: %s", sendProblems.stream().limit(3).toList())
            .isZero();

        final List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++)
        {
            partitions.add(new TopicPartition(topic, p));
        }
        final List<ConsumerRecord<byte[], byte[]>> records =
            KafkaClients.readAll(broker, partitions, Duration.ofSeconds(120));

        assertThat(records).hasSize(RECORDS);
        final int[] nextInPartition = new int[PARTITIONS];
        for (final ConsumerRecord<byte[], byte[]> record : records)
        {
            final int partition = record.partition();
            final int position = nextInPartition[partition]++;
            final int index = sentByPartition.get(partition).get(position);
            assertThat(record.offset()).as("offset in partition %d", partition).isEqualTo(position);
            assertThat(record.key()).as("key at %s", record).isEqualTo(key(index));
            assertThat(record.value()).as("value at %s", record).isEqualTo(value(index));
            assertThat(defaultPartition(record.key())).isEqualTo(partition);
        }
        for (int p = 0; p < PARTITIONS; p++)
        {
            assertThat(nextInPartition[p]).as("records in partition %d", p).isEqualTo(sentByPartition.get(p).size());
        }
    }

    /**
     * What Kafka's BuiltInPartitioner.partitionForKey computes for a keyed record.
     */
    private static int defaultPartition(final byte[] key)
    {
        return Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
    }

    private static byte[] key(final int index)
    {
        return ("key-" + index % KEYS).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The record's index, then 0..200 pseudo-random bytes seeded by it: every value differs and can be rebuilt.
     */
    private static byte[] value(final int index)
    {
        final SplittableRandom random = new SplittableRandom(index);
        final byte[] payload = new byte[random.nextInt(201)];
        random.nextBytes(payload);
        return ByteBuffer.allocate(Integer.BYTES + payload.length).putInt(index).put(payload).array();
    }
}
