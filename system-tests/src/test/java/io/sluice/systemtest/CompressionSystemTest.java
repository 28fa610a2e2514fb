package io.sluice.systemtest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compressed batches from kafka-clients come back record for record (keys, values, headers, create times) and are
 * served in the codec they were produced with: the broker stores the batch, it does not recompress it.
 */
@Tag("system")
class CompressionSystemTest
{
    private static final int RECORDS = 2_000;

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

    @ParameterizedTest
    @ValueSource(strings = { "gzip", "snappy", "lz4", "zstd" })
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldRoundTripCompressedBatchesWithHeadersAndTimestamps(final String codec) throws Exception
    {
        final String topic = KafkaClients.uniqueTopic("compressed-" + codec);
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.createTopic(admin, topic, 1);
        }

        final long baseTimestamp = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
        final ConcurrentLinkedQueue<Exception> sendErrors = new ConcurrentLinkedQueue<>();
        final Map<String, Object> settings = Map.of(
            ProducerConfig.COMPRESSION_TYPE_CONFIG, codec,
            ProducerConfig.LINGER_MS_CONFIG, 50,
            ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker, settings))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                producer.send(
                    new ProducerRecord<>(topic, 0, timestamp(baseTimestamp, i), key(i), value(i), headers(codec, i)),
                    (metadata, error) ->
                    {
                        if (null != error)
                        {
                            sendErrors.add(error);
                        }
                    });
            }
            producer.flush();
        }
        assertThat(sendErrors).as("send errors").isEmpty();

        final List<ConsumerRecord<byte[], byte[]>> records =
            KafkaClients.readAll(broker, List.of(partition), Duration.ofSeconds(60));
        assertThat(records).hasSize(RECORDS);
        for (int i = 0; i < RECORDS; i++)
        {
            final ConsumerRecord<byte[], byte[]> record = records.get(i);
            assertThat(record.offset()).isEqualTo(i);
            assertThat(record.key()).isEqualTo(key(i));
            assertThat(record.value()).isEqualTo(value(i));
            assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(record.timestamp()).isEqualTo(timestamp(baseTimestamp, i));
            assertThat(record.headers().toArray()).containsExactly(headers(codec, i).toArray(new Header[0]));
        }

        assertBatchesServedIn(partition, CompressionType.forName(codec));
    }

    /**
     * Fetch the partition over the wire (Fetch v12) and look at the batches themselves.
     */
    private static void assertBatchesServedIn(final TopicPartition partition, final CompressionType codec)
        throws Exception
    {
        final FetchRequestData data = new FetchRequestData().setMaxWaitMs(500).setMinBytes(1);
        data.topics().add(new FetchRequestData.FetchTopic()
            .setTopic(partition.topic())
            .setPartitions(List.of(new FetchRequestData.FetchPartition()
                .setPartition(partition.partition())
                .setFetchOffset(0)
                .setPartitionMaxBytes(32 * 1024 * 1024))));

        final FetchResponseData.PartitionData partitionData;
        try (KafkaWire wire = new KafkaWire(broker))
        {
            final FetchResponse response = wire.roundTrip(new FetchRequest(data, (short)12));
            assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.NONE);
            partitionData = response.data().responses().get(0).partitions().get(0);
        }
        assertThat(Errors.forCode(partitionData.errorCode())).isEqualTo(Errors.NONE);

        int batches = 0;
        long recordsInBatches = 0;
        long largestBatch = 0;
        for (final RecordBatch batch : ((MemoryRecords)partitionData.records()).batches())
        {
            assertThat(batch.compressionType()).as("codec of batch at %d", batch.baseOffset()).isEqualTo(codec);
            batches++;
            recordsInBatches += batch.lastOffset() - batch.baseOffset() + 1;
            largestBatch = Math.max(largestBatch, batch.lastOffset() - batch.baseOffset() + 1);
        }
        assertThat(recordsInBatches).isEqualTo(RECORDS);
        assertThat(largestBatch).as("records in the largest of %d batches", batches).isGreaterThan(1);
    }

    private static long timestamp(final long base, final int index)
    {
        return base + 7L * index;
    }

    private static byte[] key(final int index)
    {
        return ("key-" + index % 37).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Repetitive text, so that every codec has something to compress.
     */
    private static byte[] value(final int index)
    {
        return ("value " + index + " ").repeat(5 + index % 40).getBytes(StandardCharsets.UTF_8);
    }

    private static List<Header> headers(final String codec, final int index)
    {
        final List<Header> headers = new ArrayList<>();
        headers.add(new RecordHeader("index", ByteBuffer.allocate(Integer.BYTES).putInt(index).array()));
        headers.add(new RecordHeader("codec", codec.getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("no-value", null));
        return headers;
    }
}
