package io.sluice.systemtest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad bytes on one connection get that connection a clear answer or closed, never the broker down: after each
 * case another client must still be served, over the wire and through kafka-clients.
 */
@Tag("system")
class MalformedInputSystemTest
{
    private static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path workDir;
    private static BrokerProcess broker;
    private static String healthyTopic;

    @BeforeAll
    static void startBroker() throws Exception
    {
        broker = new BrokerProcess(workDir)
            .override("socket.request.max.bytes", String.valueOf(MAX_REQUEST_BYTES))
            .start();
        healthyTopic = KafkaClients.uniqueTopic("healthy");
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.createTopic(admin, healthyTopic, 1);
        }
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
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldSurviveConnectionsSendingRandomBytes() throws Exception
    {
        final Random random = new Random(20_260_321L);
        for (int i = 0; i < 8; i++)
        {
            final byte[] junk = new byte[1 + random.nextInt(64 * 1024)];
            random.nextBytes(junk);
            if (i % 2 == 1)
            {
                // a plausible size prefix, so the garbage reaches request-header parsing, not just the size check
                ByteBuffer.wrap(junk).putInt(0, Math.max(0, junk.length - Integer.BYTES));
            }
            try (KafkaWire wire = new KafkaWire(broker))
            {
                writeIgnoringHangUp(wire, junk);
            }
        }

        assertServesAnotherClient();
    }

    @ParameterizedTest
    @ValueSource(ints = { Integer.MAX_VALUE, MAX_REQUEST_BYTES + 1, -1, Integer.MIN_VALUE })
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCloseConnectionWhoseSizePrefixIsOutOfBounds(final int size) throws Exception
    {
        try (KafkaWire wire = new KafkaWire(broker))
        {
            final byte[] frame = new byte[Integer.BYTES + 64];
            ByteBuffer.wrap(frame).putInt(size);
            writeIgnoringHangUp(wire, frame);
            assertThat(wire.awaitClosedByBroker(CLOSE_TIMEOUT)).as("connection closed by the broker").isTrue();
        }

        assertServesAnotherClient();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCloseConnectionWhoseFrameEndsEarly() throws Exception
    {
        try (KafkaWire wire = new KafkaWire(broker))
        {
            final ApiVersionsRequest request = new ApiVersionsRequest.Builder().build((short)3);
            final ByteBuffer whole = request.serializeWithHeader(wire.nextHeader(request));
            final byte[] truncated = new byte[Integer.BYTES + whole.remaining() / 2];
            ByteBuffer.wrap(truncated).putInt(whole.remaining()).put(whole.limit(whole.remaining() / 2));
            wire.writeRaw(truncated);
            wire.shutdownOutput();
            assertThat(wire.awaitClosedByBroker(CLOSE_TIMEOUT)).as("connection closed by the broker").isTrue();
        }

        assertServesAnotherClient();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCloseConnectionWhoseFrameIsTooShortForARequestHeader() throws Exception
    {
        try (KafkaWire wire = new KafkaWire(broker))
        {
            writeIgnoringHangUp(wire, new byte[] { 0, 0, 0, 3, 0, 18, 0 });
            assertThat(wire.awaitClosedByBroker(CLOSE_TIMEOUT)).as("connection closed by the broker").isTrue();
        }

        assertServesAnotherClient();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRejectBatchWithBadCrcAsCorruptMessageAndAppendNothing() throws Exception
    {
        final String topic = KafkaClients.uniqueTopic("bad-crc");
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.createTopic(admin, topic, 1);
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker))
            {
                for (int i = 0; i < 3; i++)
                {
                    producer.send(new ProducerRecord<>(topic, 0, null, bytes("good-" + i))).get(30, TimeUnit.SECONDS);
                }
            }

            final MemoryRecords valid = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(System.currentTimeMillis(), bytes("k"), bytes("corrupted-0")),
                new SimpleRecord(System.currentTimeMillis(), bytes("k"), bytes("corrupted-1")));
            final byte[] batch = new byte[valid.sizeInBytes()];
            valid.buffer().duplicate().get(batch);
            // the last byte is the record's header count; the one before is the last byte of its value
            batch[batch.length - 2] ^= 0x5A;

            final ProduceRequestData data = new ProduceRequestData().setAcks((short)-1).setTimeoutMs(10_000);
            final ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
            topicData.partitionData().add(new ProduceRequestData.PartitionProduceData()
                .setIndex(0)
                .setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(batch))));
            data.topicData().add(topicData);

            try (KafkaWire wire = new KafkaWire(broker))
            {
                final ProduceResponse response = wire.roundTrip(new ProduceRequest(data, (short)9));
                final ProduceResponseData.TopicProduceResponse topicResponse = response.data().responses().iterator().next();
                assertThat(topicResponse.name()).isEqualTo(topic);
                assertThat(topicResponse.partitionResponses()).singleElement()
                    .satisfies(p -> assertThat(Errors.forCode(p.errorCode())).isEqualTo(Errors.CORRUPT_MESSAGE));
            }

            final long endOffset = KafkaClients.await(admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all())
                .get(partition).offset();
            assertThat(endOffset).as("end offset after the corrupt batch").isEqualTo(3);
        }

        final List<ConsumerRecord<byte[], byte[]>> records =
            KafkaClients.readAll(broker, List.of(partition), Duration.ofSeconds(30));
        assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
            .containsExactly("good-0", "good-1", "good-2");
        assertServesAnotherClient();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseRecordOverMessageMaxBytesAsMessageTooLargeAndAppendNothing() throws Exception
    {
        final String topic = KafkaClients.uniqueTopic("too-large");
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.createTopic(admin, topic, 1);
            // the producer's own limit is raised so that the broker's message.max.bytes (default 1 MiB) decides
            final Map<String, Object> settings = Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
            try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker, settings))
            {
                final byte[] twoMegabytes = new byte[2 * 1024 * 1024];
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, null, twoMegabytes))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RecordTooLargeException.class);
            }

            final long endOffset = KafkaClients.await(admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all())
                .get(partition).offset();
            assertThat(endOffset).as("end offset after the refused record").isZero();
        }

        assertServesAnotherClient();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldAnswerApiVersionsOfUnknownVersionWithVersionZeroAndUnsupportedVersion() throws Exception
    {
        final byte[] clientId = bytes("sluice-system-test");
        final ByteBuffer frame = ByteBuffer.allocate(64);
        frame.putInt(0)
            .putShort(ApiKeys.API_VERSIONS.id)
            .putShort((short)99)
            .putInt(7)
            .putShort((short)clientId.length).put(clientId)
            .put((byte)0)
            .put((byte)1)
            .put((byte)1)
            .put((byte)0);
        frame.putInt(0, frame.position() - Integer.BYTES);

        try (KafkaWire wire = new KafkaWire(broker))
        {
            wire.writeRaw(Arrays.copyOf(frame.array(), frame.position()));
            final ByteBuffer body = wire.receiveFrame();
            final ResponseHeader header = ResponseHeader.parse(body, (short)0);
            assertThat(header.correlationId()).isEqualTo(7);
            final ApiVersionsResponse response = ApiVersionsResponse.parse(new ByteBufferAccessor(body), (short)0);
            assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
            final ApiVersion apiVersions = response.data().apiKeys().find(ApiKeys.API_VERSIONS.id);
            assertThat(apiVersions).isNotNull();
            assertThat(apiVersions.maxVersion()).isGreaterThanOrEqualTo((short)3);
        }

        assertServesAnotherClient();
    }

    /**
     * A fresh connection still gets ApiVersions answered, and kafka-clients still produce and read back.
     */
    private static void assertServesAnotherClient() throws Exception
    {
        assertThat(broker.isAlive()).as("broker process alive").isTrue();
        try (KafkaWire wire = new KafkaWire(broker))
        {
            final ApiVersionsResponse response = wire.roundTrip(new ApiVersionsRequest.Builder().build((short)3));
            assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.NONE);
            assertThat(response.data().apiKeys().find(ApiKeys.PRODUCE.id)).isNotNull();
        }

        final byte[] value = bytes("still-serving-" + System.nanoTime());
        final RecordMetadata metadata;
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker))
        {
            metadata = producer.send(new ProducerRecord<>(healthyTopic, 0, null, value)).get(30, TimeUnit.SECONDS);
        }
        final List<ConsumerRecord<byte[], byte[]>> records =
            KafkaClients.readAll(broker, List.of(new TopicPartition(healthyTopic, 0)), Duration.ofSeconds(30));
        assertThat(records).last().satisfies(r ->
        {
            assertThat(r.offset()).isEqualTo(metadata.offset());
            assertThat(r.value()).isEqualTo(value);
        });
    }

    private static void writeIgnoringHangUp(final KafkaWire wire, final byte[] bytes)
    {
        try
        {
            wire.writeRaw(bytes);
        }
        catch (final IOException hungUp)
        {
            // the broker may close the connection before it has read everything: that is a fine answer
        }
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
