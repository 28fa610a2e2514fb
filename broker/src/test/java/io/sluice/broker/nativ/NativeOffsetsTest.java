package io.sluice.broker.nativ;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.TestBroker;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.BooleanType;
import io.sluice.codecs.sbe.CommitOffsetsRequestEncoder;
import io.sluice.codecs.sbe.CommitOffsetsResponseDecoder;
import io.sluice.codecs.sbe.CreateTopicsRequestEncoder;
import io.sluice.codecs.sbe.CreateTopicsResponseDecoder;
import io.sluice.codecs.sbe.ErrorResponseDecoder;
import io.sluice.codecs.sbe.FetchOffsetsRequestEncoder;
import io.sluice.codecs.sbe.FetchOffsetsResponseDecoder;
import io.sluice.codecs.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** CommitOffsets and FetchOffsets on the native door, frame by frame, through the group coordinator. */
@Timeout(60)
class NativeOffsetsTest
{
    private static final short COORDINATOR_LOAD_IN_PROGRESS = 14;
    private static final short COORDINATOR_NOT_AVAILABLE = 15;
    private static final short OFFSET_METADATA_TOO_LARGE = 12;
    private static final short UNKNOWN_MEMBER_ID = 25;
    private static final long[] UNKNOWN_ID = {0x1234_5678L, 0x9abc_def0L};

    @TempDir
    Path dir;

    private TestBroker broker;
    private RawNativeClient client;
    private int correlationId = 100;

    /** One partition's answer. */
    record Answer(long[] topicId, int partition, short errorCode, long offset, String metadata)
    {
    }

    /** One partition to commit. */
    record Offset(long[] topicId, int partition, long offset, String metadata)
    {
    }

    @BeforeEach
    void start() throws IOException
    {
        broker = TestBroker.start(dir, "listeners=PLAINTEXT://127.0.0.1:0,NATIVE://127.0.0.1:0",
            "auto.create.topics.enable=false", "offsets.topic.num.partitions=2", "offset.metadata.max.bytes=100",
            "group.initial.rebalance.delay.ms=0", "group.min.session.timeout.ms=1000");
        client = new RawNativeClient(broker.broker().port("NATIVE"));
    }

    @AfterEach
    void stop() throws IOException
    {
        client.close();
        broker.close();
    }

    @Test
    void shouldAnswerNothingStoredThenReadBackWhatWasCommitted() throws IOException
    {
        final long[] id = createTopic("orders", 2);
        List<Answer> answers = fetch("readers", List.of(new Offset(id, 0, 0, null), new Offset(id, 1, 0, null)));
        assertThat(answers).extracting(Answer::errorCode).containsOnly(ErrorCodes.NONE);
        assertThat(answers).extracting(Answer::offset).containsOnly(-1L);
        assertThat(answers).extracting(Answer::metadata).containsOnly("");

        final List<Answer> committed = commit("readers", List.of(new Offset(id, 0, 42, "checkpoint"), new Offset(id, 1, 7, "")));
        assertThat(committed).extracting(Answer::errorCode).containsExactly(ErrorCodes.NONE, ErrorCodes.NONE);
        assertThat(committed).extracting(Answer::partition).containsExactly(0, 1);
        assertThat(committed.get(0).topicId()).isEqualTo(id);

        answers = fetch("readers", List.of(new Offset(id, 1, 0, null), new Offset(id, 0, 0, null)));
        assertThat(answers).extracting(Answer::partition).containsExactly(1, 0);
        assertThat(answers).extracting(Answer::offset).containsExactly(7L, 42L);
        assertThat(answers).extracting(Answer::metadata).containsExactly("", "checkpoint");
        assertThat(fetch("others", List.of(new Offset(id, 0, 0, null))).get(0).offset())
            .as("offsets belong to their group").isEqualTo(-1);

        commit("readers", List.of(new Offset(id, 0, 43, null)));
        assertThat(fetch("readers", List.of(new Offset(id, 0, 0, null))).get(0).offset()).isEqualTo(43);
    }

    @Test
    void shouldAnswerUnknownTopicIdsAndPartitionsPerPartition() throws IOException
    {
        final long[] id = createTopic("events", 1);
        final List<Answer> committed = commit("checked", List.of(
            new Offset(UNKNOWN_ID, 0, 1, null), new Offset(id, 3, 1, null), new Offset(id, 0, 5, null)));
        assertThat(committed).extracting(Answer::errorCode).containsExactly(
            BrokerErrorCodes.UNKNOWN_TOPIC_ID, BrokerErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, ErrorCodes.NONE);
        assertThat(committed.get(0).topicId()).isEqualTo(UNKNOWN_ID);

        final List<Answer> fetched = fetch("checked", List.of(new Offset(UNKNOWN_ID, 0, 0, null), new Offset(id, 0, 0, null)));
        assertThat(fetched).extracting(Answer::errorCode).containsExactly(BrokerErrorCodes.UNKNOWN_TOPIC_ID, ErrorCodes.NONE);
        assertThat(fetched).extracting(Answer::offset).containsExactly(-1L, 5L);
    }

    @Test
    void shouldRefuseMetadataLargerThanTheLimitAndKeepTheOtherPartitions() throws IOException
    {
        final long[] id = createTopic("annotated", 2);
        final List<Answer> committed = commit("annotators",
            List.of(new Offset(id, 0, 10, "x".repeat(101)), new Offset(id, 1, 20, "y".repeat(100))));
        assertThat(committed).extracting(Answer::errorCode).containsExactly(OFFSET_METADATA_TOO_LARGE, ErrorCodes.NONE);

        final List<Answer> fetched = fetch("annotators", List.of(new Offset(id, 0, 0, null), new Offset(id, 1, 0, null)));
        assertThat(fetched).extracting(Answer::offset).containsExactly(-1L, 20L);
        assertThat(fetched.get(1).metadata()).isEqualTo("y".repeat(100));
    }

    @Test
    void shouldRefuseAStandaloneCommitWhileTheGroupHasMembers() throws IOException
    {
        final long[] id = createTopic("shared", 1);
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "members");
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> member =
            new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            member.subscribe(List.of("shared"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (member.assignment().isEmpty())
            {
                assertThat(System.nanoTime() - deadline).as("joined the group").isNegative();
                member.poll(Duration.ofMillis(100));
            }
            assertThat(commit("members", List.of(new Offset(id, 0, 3, null))))
                .extracting(Answer::errorCode).containsExactly(UNKNOWN_MEMBER_ID);
            assertThat(fetch("members", List.of(new Offset(id, 0, 0, null))).get(0).offset()).isEqualTo(-1);
        }
    }

    @Test
    void shouldAnswerMalformedOffsetRequestsWithErrorsAndKeepServing() throws IOException
    {
        final long[] id = createTopic("malformed", 1);
        // A group that claims a thousand entries and carries none.
        final CommitOffsetsRequestEncoder commit = new CommitOffsetsRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(61);
        commit.partitionsCount(1000);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + commit.encodedLength());
        ErrorResponseDecoder error = expectError();
        assertThat(error.correlationId()).isEqualTo(61);
        assertThat(error.errorCode()).isEqualTo(BrokerErrorCodes.INVALID_REQUEST);
        assertThat(error.message()).contains("malformed CommitOffsetsRequest");

        // Entries shorter than the fields the broker reads.
        final FetchOffsetsRequestEncoder fetch = new FetchOffsetsRequestEncoder()
            .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(62);
        fetch.partitionsCount(1).next().partition(0);
        fetch.groupId("g");
        client.body().putShort(MessageHeaderEncoder.ENCODED_LENGTH + FetchOffsetsRequestEncoder.BLOCK_LENGTH, (short)8,
            java.nio.ByteOrder.LITTLE_ENDIAN);
        client.send(MessageHeaderEncoder.ENCODED_LENGTH + fetch.encodedLength());
        error = expectError();
        assertThat(error.correlationId()).isEqualTo(62);
        assertThat(error.message()).contains("entries of 8 bytes");

        assertThat(fetch("g", List.of(new Offset(id, 0, 0, null)))).extracting(Answer::errorCode)
            .as("still serving, nothing committed").containsExactly(ErrorCodes.NONE);
    }

    /** Commit, asking again while the coordinator creates or loads its topic, as a client would. */
    private List<Answer> commit(final String groupId, final List<Offset> offsets) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            final int correlation = ++correlationId;
            final CommitOffsetsRequestEncoder request = new CommitOffsetsRequestEncoder()
                .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(correlation);
            final CommitOffsetsRequestEncoder.PartitionsEncoder entries = request.partitionsCount(offsets.size());
            for (final Offset offset : offsets)
            {
                entries.next().topicId().high(offset.topicId()[0]).low(offset.topicId()[1]);
                entries.partition(offset.partition()).offset(offset.offset()).metadata(offset.metadata());
            }
            request.groupId(groupId);
            client.send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
            final UnsafeBuffer frame = client.receive();
            assertThat(client.responseHeader().templateId()).isEqualTo(CommitOffsetsResponseDecoder.TEMPLATE_ID);
            final CommitOffsetsResponseDecoder response = new CommitOffsetsResponseDecoder()
                .wrapAndApplyHeader(frame, 0, client.responseHeader());
            assertThat(response.correlationId()).isEqualTo(correlation);
            final List<Answer> answers = new ArrayList<>();
            for (final CommitOffsetsResponseDecoder.PartitionsDecoder entry : response.partitions())
            {
                answers.add(new Answer(new long[] {entry.topicId().high(), entry.topicId().low()}, entry.partition(),
                    entry.errorCode(), -1, null));
            }
            if (!coordinatorBusy(answers, deadline))
            {
                return answers;
            }
        }
    }

    private List<Answer> fetch(final String groupId, final List<Offset> partitions) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            final int correlation = ++correlationId;
            final FetchOffsetsRequestEncoder request = new FetchOffsetsRequestEncoder()
                .wrapAndApplyHeader(client.body(), 0, client.header()).correlationId(correlation);
            final FetchOffsetsRequestEncoder.PartitionsEncoder entries = request.partitionsCount(partitions.size());
            for (final Offset partition : partitions)
            {
                entries.next().topicId().high(partition.topicId()[0]).low(partition.topicId()[1]);
                entries.partition(partition.partition());
            }
            request.groupId(groupId);
            client.send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
            final UnsafeBuffer frame = client.receive();
            assertThat(client.responseHeader().templateId()).isEqualTo(FetchOffsetsResponseDecoder.TEMPLATE_ID);
            final FetchOffsetsResponseDecoder response = new FetchOffsetsResponseDecoder()
                .wrapAndApplyHeader(frame, 0, client.responseHeader());
            assertThat(response.correlationId()).isEqualTo(correlation);
            final List<Answer> answers = new ArrayList<>();
            for (final FetchOffsetsResponseDecoder.PartitionsDecoder entry : response.partitions())
            {
                answers.add(new Answer(new long[] {entry.topicId().high(), entry.topicId().low()}, entry.partition(),
                    entry.errorCode(), entry.offset(), entry.metadata()));
            }
            if (!coordinatorBusy(answers, deadline))
            {
                return answers;
            }
        }
    }

    private static boolean coordinatorBusy(final List<Answer> answers, final long deadline)
    {
        for (final Answer answer : answers)
        {
            if (answer.errorCode() == COORDINATOR_LOAD_IN_PROGRESS || answer.errorCode() == COORDINATOR_NOT_AVAILABLE)
            {
                assertThat(System.nanoTime() - deadline).as("the coordinator became ready").isNegative();
                return true;
            }
        }
        return false;
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
        final CreateTopicsResponseDecoder.TopicsDecoder created = new CreateTopicsResponseDecoder()
            .wrapAndApplyHeader(client.receive(), 0, client.responseHeader()).topics().next();
        assertThat(created.errorCode()).isEqualTo(ErrorCodes.NONE);
        return new long[] {created.topicId().high(), created.topicId().low()};
    }

    private ErrorResponseDecoder expectError() throws IOException
    {
        final UnsafeBuffer frame = client.receive();
        assertThat(client.responseHeader().templateId()).isEqualTo(ErrorResponseDecoder.TEMPLATE_ID);
        return new ErrorResponseDecoder().wrapAndApplyHeader(frame, 0, client.responseHeader());
    }
}
