package io.sluice.broker.nativ;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.TestBroker;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.BooleanType;
import io.sluice.codecs.sbe.CreateTopicsRequestEncoder;
import io.sluice.codecs.sbe.CreateTopicsResponseDecoder;
import io.sluice.codecs.sbe.DeleteTopicsRequestEncoder;
import io.sluice.codecs.sbe.DeleteTopicsResponseDecoder;
import io.sluice.codecs.sbe.ErrorResponseDecoder;
import io.sluice.codecs.sbe.FetchRequestEncoder;
import io.sluice.codecs.sbe.FetchResponseDecoder;
import io.sluice.codecs.sbe.InitProducerIdRequestEncoder;
import io.sluice.codecs.sbe.InitProducerIdResponseDecoder;
import io.sluice.codecs.sbe.ListOffsetsRequestEncoder;
import io.sluice.codecs.sbe.ListOffsetsResponseDecoder;
import io.sluice.codecs.sbe.MessageHeaderEncoder;
import io.sluice.codecs.sbe.MetadataRequestEncoder;
import io.sluice.codecs.sbe.MetadataResponseDecoder;
import io.sluice.codecs.sbe.ProduceRequestEncoder;
import io.sluice.codecs.sbe.ProduceResponseDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The native door driven frame by frame: the data path, the control requests, and frames that are wrong. */
@Timeout(60)
class NativeProtocolTest
{
    @TempDir
    Path dir;

    private TestBroker broker;
    private RawNativeClient client;

    @BeforeEach
    void start() throws IOException
    {
        broker = TestBroker.start(dir, "listeners=PLAINTEXT://127.0.0.1:0,NATIVE://127.0.0.1:0",
            "auto.create.topics.enable=false");
        client = new RawNativeClient(broker.broker().port("NATIVE"));
    }

    @AfterEach
    void stop() throws IOException
    {
        client.close();
        broker.close();
    }

    @Test
    void shouldProduceAndFetchTheSameBatchBytes() throws IOException
    {
        final long[] id = createTopic("orders", 2);
        final MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord(1_700_000_000_000L, bytes("k1"), bytes("v1")),
            new SimpleRecord(1_700_000_000_001L, bytes("k2"), bytes("v2")));
        final byte[] batch = new byte[records.sizeInBytes()];
        records.buffer().duplicate().get(batch);

        final ProduceRequestEncoder produce = new ProduceRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(7).timeoutMs(1000).acks((byte)1);
        final ProduceRequestEncoder.PartitionsEncoder entries = produce.partitionsCount(1).next();
        entries.topicId().high(id[0]).low(id[1]);
        entries.partition(1).putRecords(batch, 0, batch.length);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + produce.encodedLength());

        final UnsafeBuffer produced = client.receive();
        assertThat(client.responseHeader().templateId()).isEqualTo(ProduceResponseDecoder.TEMPLATE_ID);
        final ProduceResponseDecoder produceResponse = new ProduceResponseDecoder()
            .wrapAndApplyHeader(produced, 0, client.responseHeader());
        assertThat(produceResponse.correlationId()).isEqualTo(7);
        final ProduceResponseDecoder.PartitionsDecoder result = produceResponse.partitions().next();
        assertThat(result.partition()).isEqualTo(1);
        assertThat(result.errorCode()).isEqualTo(ErrorCodes.NONE);
        assertThat(result.baseOffset()).isZero();

        final FetchRequestEncoder fetch = new FetchRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header())
            .correlationId(8).maxWaitMs(0).minBytes(1).maxBytes(1 << 20);
        final FetchRequestEncoder.PartitionsEncoder wanted = fetch.partitionsCount(1).next();
        wanted.topicId().high(id[0]).low(id[1]);
        wanted.partition(1).fetchOffset(0).partitionMaxBytes(1 << 20);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + fetch.encodedLength());

        final UnsafeBuffer fetched = client.receive();
        final FetchResponseDecoder fetchResponse = new FetchResponseDecoder()
            .wrapAndApplyHeader(fetched, 0, client.responseHeader());
        assertThat(fetchResponse.correlationId()).isEqualTo(8);
        final FetchResponseDecoder.PartitionsDecoder partition = fetchResponse.partitions().next();
        assertThat(partition.errorCode()).isEqualTo(ErrorCodes.NONE);
        assertThat(partition.highWatermark()).isEqualTo(2);
        final byte[] served = new byte[partition.recordsLength()];
        partition.getRecords(served, 0, served.length);
        // The broker stamps the partition leader epoch (bytes 12-15) in place; every other byte is the producer's.
        batch[12] = 0;
        batch[13] = 0;
        batch[14] = 0;
        batch[15] = 0;
        assertThat(served).isEqualTo(batch);
    }

    @Test
    void shouldAnswerListOffsetsAndInitProducerIdAndDeleteTopics() throws IOException
    {
        final long[] id = createTopic("events", 1);
        final ListOffsetsRequestEncoder list = new ListOffsetsRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(3);
        final ListOffsetsRequestEncoder.PartitionsEncoder entries = list.partitionsCount(2);
        entries.next().topicId().high(id[0]).low(id[1]);
        entries.partition(0).timestamp(-1);
        entries.next().topicId().high(id[0]).low(id[1]);
        entries.partition(5).timestamp(-2);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + list.encodedLength());
        final ListOffsetsResponseDecoder listed = new ListOffsetsResponseDecoder()
            .wrapAndApplyHeader(client.receive(), 0, client.responseHeader());
        final ListOffsetsResponseDecoder.PartitionsDecoder answers = listed.partitions();
        assertThat(answers.next().errorCode()).isEqualTo(ErrorCodes.NONE);
        assertThat(answers.offset()).isZero();
        assertThat(answers.next().errorCode()).isEqualTo(BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);

        final InitProducerIdRequestEncoder init = new InitProducerIdRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(4);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + init.encodedLength());
        final InitProducerIdResponseDecoder producer = new InitProducerIdResponseDecoder()
            .wrapAndApplyHeader(client.receive(), 0, client.responseHeader());
        assertThat(producer.errorCode()).isEqualTo(ErrorCodes.NONE);
        assertThat(producer.producerId()).isNotNegative();

        final DeleteTopicsRequestEncoder delete = new DeleteTopicsRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(5);
        final DeleteTopicsRequestEncoder.TopicsEncoder names = delete.topicsCount(2);
        names.next().name("events");
        names.next().name("missing");
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + delete.encodedLength());
        final DeleteTopicsResponseDecoder deleted = new DeleteTopicsResponseDecoder()
            .wrapAndApplyHeader(client.receive(), 0, client.responseHeader());
        final DeleteTopicsResponseDecoder.TopicsDecoder results = deleted.topics();
        assertThat(results.next().errorCode()).isEqualTo(ErrorCodes.NONE);
        assertThat(results.name()).isEqualTo("events");
        results.errorMessage();
        assertThat(results.next().errorCode()).isEqualTo(BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(results.name()).isEqualTo("missing");
        assertThat(results.errorMessage()).contains("does not exist");
        assertThat(metadata("events").errorCode()).isEqualTo(BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void shouldAnswerANewerSchemaVersionWithAnErrorAndKeepServing() throws IOException
    {
        final MetadataRequestEncoder request = new MetadataRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(11);
        request.topicsCount(0);
        client.header().version(MetadataRequestEncoder.SCHEMA_VERSION + 1);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());

        final ErrorResponseDecoder error = expectError();
        assertThat(error.correlationId()).isEqualTo(11);
        assertThat(error.errorCode()).isEqualTo(BrokerErrorCodes.UNSUPPORTED_VERSION);
        assertThat(error.requestTemplateId()).isEqualTo(MetadataRequestEncoder.TEMPLATE_ID);
        assertThat(error.message()).contains("schema version 2 is newer than this broker's 1");
        assertStillServing();
    }

    @Test
    void shouldAnswerUnknownTemplatesOtherSchemasAndShortFramesWithErrors() throws IOException
    {
        final MetadataRequestEncoder request = new MetadataRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(12);
        request.topicsCount(0);
        client.header().templateId(60);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
        ErrorResponseDecoder error = expectError();
        assertThat(error.errorCode()).isEqualTo(BrokerErrorCodes.INVALID_REQUEST);
        assertThat(error.correlationId()).isEqualTo(12);
        assertThat(error.message()).isEqualTo("unknown request template 60");

        client.header().templateId(MetadataRequestEncoder.TEMPLATE_ID).schemaId(99);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
        error = expectError();
        assertThat(error.errorCode()).isEqualTo(BrokerErrorCodes.INVALID_REQUEST);
        assertThat(error.message()).contains("schema id 99 is not the Sluice native protocol");

        client.sendRaw(new byte[] {0, 0, 0, 3, 1, 2, 3});
        error = expectError();
        assertThat(error.correlationId()).isEqualTo(-1);
        assertThat(error.message()).contains("shorter than the 8-byte message header");
        assertStillServing();
    }

    @Test
    void shouldAnswerMalformedBodiesWithErrorsAndAppendNothing() throws IOException
    {
        final long[] id = createTopic("malformed", 1);
        // A group that claims five entries and carries none.
        ProduceRequestEncoder produce = new ProduceRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(21).timeoutMs(1000).acks((byte)1);
        produce.partitionsCount(5);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + produce.encodedLength());
        ErrorResponseDecoder error = expectError();
        assertThat(error.correlationId()).isEqualTo(21);
        assertThat(error.errorCode()).isEqualTo(BrokerErrorCodes.INVALID_REQUEST);
        assertThat(error.message()).contains("malformed ProduceRequest");

        // Records whose length runs far past the frame.
        produce = new ProduceRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(22).timeoutMs(1000).acks((byte)1);
        final ProduceRequestEncoder.PartitionsEncoder entry = produce.partitionsCount(1).next();
        entry.topicId().high(id[0]).low(id[1]);
        entry.partition(0).putRecords(new byte[10], 0, 10);
        client.body().putInt(produce.limit() - 14, 1_000_000, java.nio.ByteOrder.LITTLE_ENDIAN);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + produce.encodedLength());
        error = expectError();
        assertThat(error.correlationId()).isEqualTo(22);
        assertThat(error.message()).contains("runs past the end");

        // Group entries shorter than the fields the broker reads.
        final FetchRequestEncoder fetch = new FetchRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(23).maxWaitMs(0).minBytes(1).maxBytes(100);
        fetch.partitionsCount(1).next().partition(0);
        client.body().putShort(MessageHeaderEncoder.ENCODED_LENGTH + FetchRequestEncoder.BLOCK_LENGTH, (short)4,
            java.nio.ByteOrder.LITTLE_ENDIAN);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + fetch.encodedLength());
        error = expectError();
        assertThat(error.correlationId()).isEqualTo(23);
        assertThat(error.message()).contains("entries of 4 bytes");

        // A root block shorter than the template's.
        client.header().blockLength(2);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + 2);
        error = expectError();
        assertThat(error.message()).contains("root block of 2 bytes");
        assertStillServing();

        final ListOffsetsRequestEncoder list = new ListOffsetsRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(24);
        final ListOffsetsRequestEncoder.PartitionsEncoder latest = list.partitionsCount(1).next();
        latest.topicId().high(id[0]).low(id[1]);
        latest.partition(0).timestamp(-1);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + list.encodedLength());
        final ListOffsetsResponseDecoder listed = new ListOffsetsResponseDecoder()
            .wrapAndApplyHeader(client.receive(), 0, client.responseHeader());
        assertThat(listed.partitions().next().offset()).as("nothing was appended").isZero();
    }

    @Test
    void shouldRefuseDuplicateAndInvalidTopicsAndValidateOnly() throws IOException
    {
        final CreateTopicsRequestEncoder create = new CreateTopicsRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(31).validateOnly(BooleanType.TRUE);
        final CreateTopicsRequestEncoder.TopicsEncoder topics = create.topicsCount(3);
        topics.next().partitionCount(3).replicationFactor((short)1).configsCount(1).next()
            .configName("retention.ms").configValue("1000");
        topics.name("checked");
        topics.next().partitionCount(1).replicationFactor((short)3).configsCount(0);
        topics.name("replicated");
        topics.next().partitionCount(1).replicationFactor((short)1).configsCount(1).next()
            .configName("no.such.config").configValue("1");
        topics.name("configured");
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + create.encodedLength());
        final CreateTopicsResponseDecoder created = new CreateTopicsResponseDecoder()
            .wrapAndApplyHeader(client.receive(), 0, client.responseHeader());
        final CreateTopicsResponseDecoder.TopicsDecoder results = created.topics();
        assertThat(results.next().errorCode()).isEqualTo(ErrorCodes.NONE);
        assertThat(results.partitionCount()).isEqualTo(3);
        assertThat(results.name()).isEqualTo("checked");
        results.errorMessage();
        assertThat(results.next().errorCode()).isEqualTo(BrokerErrorCodes.INVALID_REPLICATION_FACTOR);
        results.name();
        results.errorMessage();
        assertThat(results.next().errorCode()).isEqualTo(BrokerErrorCodes.INVALID_CONFIG);
        assertThat(metadata("checked").errorCode()).as("validate only").isEqualTo(BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
    }

    private long[] createTopic(final String name, final int partitions) throws IOException
    {
        final CreateTopicsRequestEncoder create = new CreateTopicsRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(1).validateOnly(BooleanType.FALSE);
        final CreateTopicsRequestEncoder.TopicsEncoder topic = create.topicsCount(1).next()
            .partitionCount(partitions).replicationFactor((short)-1);
        topic.configsCount(0);
        topic.name(name);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + create.encodedLength());
        final CreateTopicsResponseDecoder response = new CreateTopicsResponseDecoder()
            .wrapAndApplyHeader(client.receive(), 0, client.responseHeader());
        final CreateTopicsResponseDecoder.TopicsDecoder created = response.topics().next();
        assertThat(created.errorCode()).isEqualTo(ErrorCodes.NONE);
        assertThat(created.partitionCount()).isEqualTo(partitions);
        final long[] id = {created.topicId().high(), created.topicId().low()};

        final MetadataResponseDecoder.TopicsDecoder described = metadata(name);
        assertThat(described.errorCode()).isEqualTo(ErrorCodes.NONE);
        assertThat(described.topicId().high()).isEqualTo(id[0]);
        assertThat(described.topicId().low()).isEqualTo(id[1]);
        assertThat(described.partitionCount()).isEqualTo(partitions);
        return id;
    }

    private MetadataResponseDecoder.TopicsDecoder metadata(final String name) throws IOException
    {
        final MetadataRequestEncoder request = new MetadataRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header())
            .correlationId(2).allowAutoCreate(BooleanType.FALSE).includeConfigs(BooleanType.TRUE);
        request.topicsCount(1).next().name(name);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
        final UnsafeBuffer frame = client.receive();
        assertThat(client.responseHeader().templateId()).isEqualTo(MetadataResponseDecoder.TEMPLATE_ID);
        final MetadataResponseDecoder response = new MetadataResponseDecoder()
            .wrapAndApplyHeader(frame, 0, client.responseHeader());
        assertThat(response.correlationId()).isEqualTo(2);
        return response.topics().next();
    }

    private ErrorResponseDecoder expectError() throws IOException
    {
        final UnsafeBuffer frame = client.receive();
        assertThat(client.responseHeader().templateId()).isEqualTo(ErrorResponseDecoder.TEMPLATE_ID);
        return new ErrorResponseDecoder().wrapAndApplyHeader(frame, 0, client.responseHeader());
    }

    private void assertStillServing() throws IOException
    {
        assertThat(metadata("absent").errorCode()).isEqualTo(BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
