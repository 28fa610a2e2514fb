package io.sluice.broker.kafka;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.RawKafkaClient;
import io.sluice.broker.TestBroker;
import io.sluice.codecs.record.ErrorCodes;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka door driven request by request: versions, errors, ordering and bad input. */
@Timeout(60)
class KafkaProtocolTest
{
    private static final short PRODUCE_VERSION = 11;
    private static final short FETCH_VERSION = 12;

    @TempDir
    Path dir;

    private TestBroker broker;

    @BeforeEach
    void start()
    {
        broker = TestBroker.start(dir, "auto.create.topics.enable=false");
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldAdvertiseTheDataPlaneRangesAndProduceFromVersionZero() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.port()))
        {
            final ApiVersionsResponseData response = client.call(new ApiVersionsRequestData()
                .setClientSoftwareName("raw").setClientSoftwareVersion("1"), (short)3);

            assertThat(response.errorCode()).isEqualTo(ErrorCodes.NONE);
            assertThat(response.apiKeys().find(ApiKeys.PRODUCE.id).minVersion()).isZero();
            assertThat(response.apiKeys().find(ApiKeys.PRODUCE.id).maxVersion()).isEqualTo((short)13);
            assertThat(response.apiKeys().find(ApiKeys.FETCH.id).minVersion()).isEqualTo((short)4);
            assertThat(response.apiKeys().find(ApiKeys.FETCH.id).maxVersion()).isEqualTo((short)18);
            assertThat(response.apiKeys().find(ApiKeys.METADATA.id).maxVersion()).isEqualTo((short)13);
            assertThat(response.apiKeys().find(ApiKeys.LIST_OFFSETS.id).maxVersion()).isEqualTo((short)11);
            assertThat(response.apiKeys().find(ApiKeys.CONSUMER_GROUP_HEARTBEAT.id)).isNull();
            assertThat(response.finalizedFeatures()).isEmpty();
        }
    }

    @Test
    void shouldAnswerAnUnknownApiVersionsVersionInVersionZeroWithOurRanges() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.port()))
        {
            final ByteBuffer request = ByteBuffer.allocate(4 + 12);
            request.putInt(12).putShort(ApiKeys.API_VERSIONS.id).putShort((short)99).putInt(7).putShort((short)-1);
            request.put((byte)0).put((byte)0);
            client.sendRaw(request.array());
            final ByteBuffer frame = client.receiveFrame();
            assertThat(frame.getInt()).isEqualTo(7);
            final ApiVersionsResponseData response = new ApiVersionsResponseData();
            response.read(new org.apache.kafka.common.protocol.ByteBufferAccessor(frame), (short)0);

            assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(response.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion()).isEqualTo((short)4);
        }
    }

    @Test
    void shouldAnswerAnUnservedApiWithUnsupportedVersion() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.port()))
        {
            final ConsumerGroupHeartbeatResponseData response = client.call(new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g").setMemberId("m").setMemberEpoch(0).setRebalanceTimeoutMs(10_000), (short)0);

            assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        }
    }

    @Test
    void shouldAnswerProduceVersionsZeroToTwoWithUnsupportedVersion() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.port()))
        {
            final ByteBuffer request = ByteBuffer.allocate(64);
            request.putInt(0);
            request.putShort(ApiKeys.PRODUCE.id).putShort((short)2).putInt(11).putShort((short)-1);
            request.putShort((short)1).putInt(1000);
            request.putInt(1).putShort((short)1).put((byte)'t');
            request.putInt(1).putInt(4).putInt(0);
            request.putInt(0, request.position() - 4);
            client.sendRaw(java.util.Arrays.copyOf(request.array(), request.position()));

            final ByteBuffer frame = client.receiveFrame();
            assertThat(frame.getInt()).isEqualTo(11);
            assertThat(frame.getInt()).isEqualTo(1);
            assertThat(frame.getShort()).isEqualTo((short)1);
            assertThat(frame.get()).isEqualTo((byte)'t');
            assertThat(frame.getInt()).isEqualTo(1);
            assertThat(frame.getInt()).isEqualTo(4);
            assertThat(frame.getShort()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        }
    }

    @Test
    void shouldAnswerUnknownAndInvalidTopicsWithoutCreatingThem() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.port()))
        {
            final MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(true);
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("missing"));
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("bad name!"));
            final MetadataResponseData response = client.call(request, (short)12);

            assertThat(response.topics().find("missing").errorCode()).isEqualTo(BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(response.topics().find("bad name!").errorCode()).isEqualTo(BrokerErrorCodes.INVALID_TOPIC_EXCEPTION);
            assertThat(response.brokers()).hasSize(1);
            assertThat(response.brokers().iterator().next().port()).isEqualTo(broker.port());

            final ProduceResponseData produced = client.call(produce("missing", records(0, "a")), PRODUCE_VERSION);
            assertThat(partitionError(produced)).isEqualTo(BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);

            final CreateTopicsResponseData created = client.call(createTopic("bad name!", 1), (short)7);
            assertThat(created.topics().find("bad name!").errorCode()).isEqualTo(BrokerErrorCodes.INVALID_TOPIC_EXCEPTION);
        }
    }

    @Test
    void shouldAnswerDuplicatesGapsAndOldEpochsAsKafkaDoes() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.port()))
        {
            assertThat(client.<CreateTopicsResponseData>call(createTopic("idem", 1), (short)7)
                .topics().find("idem").errorCode()).isEqualTo(ErrorCodes.NONE);
            final InitProducerIdResponseData init = client.call(
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000), (short)4);
            final long producerId = init.producerId();
            assertThat(producerId).isNotNegative();

            final ProduceResponseData first = client.call(
                produce("idem", idempotent(producerId, (short)0, 0, "a", "b")), PRODUCE_VERSION);
            final ProduceResponseData again = client.call(
                produce("idem", idempotent(producerId, (short)0, 0, "a", "b")), PRODUCE_VERSION);
            final ProduceResponseData gap = client.call(
                produce("idem", idempotent(producerId, (short)0, 5, "c")), PRODUCE_VERSION);
            final ProduceResponseData bumped = client.call(
                produce("idem", idempotent(producerId, (short)1, 0, "d")), PRODUCE_VERSION);
            final ProduceResponseData fenced = client.call(
                produce("idem", idempotent(producerId, (short)0, 2, "e")), PRODUCE_VERSION);

            assertThat(partitionError(first)).isEqualTo(ErrorCodes.NONE);
            assertThat(baseOffset(first)).isZero();
            assertThat(partitionError(again)).isEqualTo(ErrorCodes.NONE);
            assertThat(baseOffset(again)).isZero();
            assertThat(partitionError(gap)).isEqualTo(ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER);
            assertThat(partitionError(bumped)).isEqualTo(ErrorCodes.NONE);
            assertThat(baseOffset(bumped)).isEqualTo(2);
            assertThat(partitionError(fenced)).isEqualTo(ErrorCodes.INVALID_PRODUCER_EPOCH);

            final InitProducerIdResponseData next = client.call(
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000), (short)4);
            assertThat(next.producerId()).isNotEqualTo(producerId);
        }
    }

    @Test
    void shouldRefuseACorruptBatchAndAppendNothing() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.port()))
        {
            client.call(createTopic("crc", 1), (short)7);
            final MemoryRecords records = records(0, "payload");
            final ByteBuffer bytes = records.buffer();
            bytes.put(bytes.limit() - 1, (byte)(bytes.get(bytes.limit() - 1) ^ 0x55));

            final ProduceResponseData response = client.call(produce("crc", records), PRODUCE_VERSION);
            assertThat(partitionError(response)).isEqualTo(ErrorCodes.CORRUPT_MESSAGE);

            final FetchResponseData fetched = client.call(fetch("crc", 0, 0, 0), FETCH_VERSION);
            assertThat(fetched.responses().get(0).partitions().get(0).highWatermark()).isZero();
        }
    }

    @Test
    void shouldRefuseABatchOverTheTopicsMaxMessageBytes() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.port()))
        {
            final CreateTopicsRequestData create = createTopic("small", 1);
            create.topics().find("small").configs().add(
                new CreateTopicsRequestData.CreatableTopicConfig().setName("max.message.bytes").setValue("200"));
            assertThat(client.<CreateTopicsResponseData>call(create, (short)7).topics().find("small").errorCode())
                .isEqualTo(ErrorCodes.NONE);

            final ProduceResponseData response = client.call(produce("small", records(0, "x".repeat(500))), PRODUCE_VERSION);
            assertThat(partitionError(response)).isEqualTo(ErrorCodes.MESSAGE_TOO_LARGE);
        }
    }

    @Test
    void shouldWakeAParkedFetchWhenRecordsArrive() throws Exception
    {
        try (RawKafkaClient consumer = new RawKafkaClient(broker.port());
            RawKafkaClient producer = new RawKafkaClient(broker.port()))
        {
            producer.call(createTopic("poll", 2), (short)7);
            final FetchRequestData longPoll = fetch("poll", 1, 0, 60_000);
            longPoll.topics().get(0).partitions().add(new FetchRequestData.FetchPartition()
                .setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20));
            final int id = consumer.send(longPoll, FETCH_VERSION);

            final ProduceRequestData produce = produce("poll", records(0, "wake"));
            produce.topicData().iterator().next().partitionData().get(0).setIndex(1);
            assertThat(partitionError(producer.call(produce, PRODUCE_VERSION))).isEqualTo(ErrorCodes.NONE);

            final FetchResponseData response = consumer.receive(ApiKeys.FETCH, FETCH_VERSION, id);
            final FetchResponseData.PartitionData partition = response.responses().get(0).partitions().stream()
                .filter(p -> p.partitionIndex() == 1).findFirst().orElseThrow();
            assertThat(partition.highWatermark()).isEqualTo(1);
            assertThat(((MemoryRecords)partition.records()).sizeInBytes()).isPositive();
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsInRequestOrder() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.port()))
        {
            client.call(createTopic("order", 1), (short)7);
            final int fetchId = client.send(fetch("order", 0, 0, 300), FETCH_VERSION);
            final int versionsId = client.send(new ApiVersionsRequestData(), (short)0);

            final FetchResponseData fetched = client.receive(ApiKeys.FETCH, FETCH_VERSION, fetchId);
            assertThat(fetched.responses().get(0).partitions().get(0).errorCode()).isEqualTo(ErrorCodes.NONE);
            final ApiVersionsResponseData versions = client.receive(ApiKeys.API_VERSIONS, (short)0, versionsId);
            assertThat(versions.errorCode()).isEqualTo(ErrorCodes.NONE);
        }
    }

    @Test
    void shouldCloseAConnectionThatSendsGarbageAndKeepServingOthers() throws Exception
    {
        try (RawKafkaClient good = new RawKafkaClient(broker.port());
            RawKafkaClient bad = new RawKafkaClient(broker.port()))
        {
            bad.sendRaw(new byte[]{0, 0, 0, 12, 0x7f, 0x7f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
            assertThat(bad.isClosedByPeer()).isTrue();

            final ApiVersionsResponseData response = good.call(new ApiVersionsRequestData(), (short)0);
            assertThat(response.errorCode()).isEqualTo(ErrorCodes.NONE);
        }
    }

    @Test
    void shouldCloseAConnectionWhoseProduceBodyIsTruncated() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.port()))
        {
            final byte[] header = rawHeader(ApiKeys.PRODUCE.id, PRODUCE_VERSION, 3);
            final byte[] frame = java.util.Arrays.copyOf(header, header.length + 3);
            ByteBuffer.wrap(frame).putInt(0, frame.length - 4);
            client.sendRaw(frame);
            assertThat(client.isClosedByPeer()).isTrue();
        }
    }

    private static byte[] rawHeader(final short apiKey, final short version, final int correlationId)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(4 + 10);
        buffer.putInt(10).putShort(apiKey).putShort(version).putInt(correlationId).putShort((short)-1);
        return buffer.array();
    }

    private static CreateTopicsRequestData createTopic(final String name, final int partitions)
    {
        final CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(10_000);
        request.topics().add(new CreateTopicsRequestData.CreatableTopic()
            .setName(name).setNumPartitions(partitions).setReplicationFactor((short)1));
        return request;
    }

    private static MemoryRecords records(final long timestamp, final String... values)
    {
        final SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++)
        {
            records[i] = new SimpleRecord(timestamp, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    private static MemoryRecords idempotent(
        final long producerId, final short epoch, final int sequence, final String... values)
    {
        final SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++)
        {
            records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, sequence, records);
    }

    private static ProduceRequestData produce(final String topic, final MemoryRecords records)
    {
        final ProduceRequestData request = new ProduceRequestData().setAcks((short)-1).setTimeoutMs(10_000);
        final ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        request.topicData().add(topicData);
        return request;
    }

    private static FetchRequestData fetch(final String topic, final int partition, final long offset, final int maxWaitMs)
    {
        final FetchRequestData request = new FetchRequestData()
            .setReplicaId(-1).setMaxWaitMs(maxWaitMs).setMinBytes(1).setMaxBytes(1 << 20)
            .setSessionId(0).setSessionEpoch(-1);
        request.topics().add(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(new ArrayList<>(List.of(
            new FetchRequestData.FetchPartition().setPartition(partition).setFetchOffset(offset)
                .setPartitionMaxBytes(1 << 20)))));
        return request;
    }

    private static short partitionError(final ProduceResponseData response)
    {
        return response.responses().iterator().next().partitionResponses().get(0).errorCode();
    }

    private static long baseOffset(final ProduceResponseData response)
    {
        return response.responses().iterator().next().partitionResponses().get(0).baseOffset();
    }
}
