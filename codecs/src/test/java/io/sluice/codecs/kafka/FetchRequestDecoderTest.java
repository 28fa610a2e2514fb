package io.sluice.codecs.kafka;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.sluice.codecs.kafka.KafkaWire.LEADING_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

class FetchRequestDecoderTest
{
    private final RequestHeaderDecoder header = new RequestHeaderDecoder();
    private final FetchRequestDecoder decoder = new FetchRequestDecoder();

    @Test
    void shouldDecodeEveryFieldOfEverySupportedVersion()
    {
        for (short version = ApiKeys.FETCH.oldestVersion(); version <= ApiKeys.FETCH.latestVersion(); version++)
        {
            final FetchRequestData request = request(version, true);
            final UnsafeBuffer frame = frame(request, version);
            final FetchRequestData kafka = kafkaReadBack(request, version);

            assertThat(header.wrap(frame, LEADING_BYTES, frame.capacity() - LEADING_BYTES))
                .isEqualTo(ProtocolErrorCodes.NONE);
            assertThat(decoder.wrap(frame, header.bodyOffset(), header.bodyLength(), header.apiVersion()))
                .as("v%d: %s", version, decoder.malformedReason()).isEqualTo(ProtocolErrorCodes.NONE);

            assertThat(decoder.replicaId()).as("v%d", version).isEqualTo(kafka.replicaState().replicaId() != -1 ?
                kafka.replicaState().replicaId() : kafka.replicaId());
            assertThat(decoder.replicaEpoch()).isEqualTo(kafka.replicaState().replicaEpoch());
            assertThat(decoder.maxWaitMs()).isEqualTo(kafka.maxWaitMs());
            assertThat(decoder.minBytes()).isEqualTo(kafka.minBytes());
            assertThat(decoder.maxBytes()).isEqualTo(kafka.maxBytes());
            assertThat(decoder.isolationLevel()).isEqualTo(kafka.isolationLevel());
            assertThat(decoder.sessionId()).isEqualTo(kafka.sessionId());
            assertThat(decoder.sessionEpoch()).isEqualTo(kafka.sessionEpoch());
            assertThat(KafkaWire.string(frame, decoder.rackIdOffset(), decoder.rackIdLength()))
                .isEqualTo(kafka.rackId());
            assertThat(KafkaWire.string(frame, decoder.clusterIdOffset(), decoder.clusterIdLength()))
                .isEqualTo(kafka.clusterId());
            assertThat(decoder.usesTopicIds()).isEqualTo(version >= 13);
            assertThat(decoder.topicCount()).isEqualTo(kafka.topics().size());
            assertThat(decoder.forgottenTopics().topicCount()).isEqualTo(kafka.forgottenTopicsData().size());
            assertThat(topics(decoder)).as("v%d", version).isEqualTo(topics(kafka, version));
            assertThat(forgotten(decoder)).as("v%d", version).isEqualTo(forgotten(kafka, version));
        }
    }

    @Test
    void shouldTreatAConsumerWithoutReplicaStateAsReplicaMinusOne()
    {
        for (final short version : new short[]{ 14, 15, 18 })
        {
            final FetchRequestData request = request(version, false);
            final UnsafeBuffer body = new UnsafeBuffer(KafkaWire.bytes(request, version));

            assertThat(decoder.wrap(body, 0, body.capacity(), version)).isEqualTo(ProtocolErrorCodes.NONE);
            assertThat(decoder.replicaId()).isEqualTo(FetchRequestDecoder.CONSUMER_REPLICA_ID);
            assertThat(decoder.replicaEpoch()).isEqualTo(-1L);
        }
    }

    @Test
    void shouldIterateTopicsAndForgottenTopicsIndependentlyAndRewind()
    {
        final short version = 12;
        final FetchRequestData request = request(version, true);
        final UnsafeBuffer body = new UnsafeBuffer(KafkaWire.bytes(request, version));
        decoder.wrap(body, 0, body.capacity(), version);
        final List<String> allTopics = topics(decoder);
        final List<String> allForgotten = forgotten(decoder);
        decoder.rewindTopics();
        decoder.forgottenTopics().rewind();

        final List<String> names = new ArrayList<>();
        while (decoder.nextTopic())
        {
            names.add(KafkaWire.string(body, decoder.topicNameOffset(), decoder.topicNameLength()));
            final ForgottenTopicsDecoder forgotten = decoder.forgottenTopics();
            if (forgotten.nextTopic())
            {
                names.add(KafkaWire.string(body, forgotten.topicNameOffset(), forgotten.topicNameLength()));
            }
        }
        assertThat(names).containsExactly("events-0", "gone-0", "events-1", "gone-1", "events-2");

        decoder.rewindTopics();
        decoder.forgottenTopics().rewind();
        assertThat(topics(decoder)).isEqualTo(allTopics);
        assertThat(forgotten(decoder)).isEqualTo(allForgotten);
    }

    @Test
    void shouldRefuseUnsupportedVersions()
    {
        final UnsafeBuffer body = new UnsafeBuffer(KafkaWire.bytes(request((short)4, true), (short)4));

        assertThat(decoder.wrap(body, 0, body.capacity(), 3)).isEqualTo(ProtocolErrorCodes.UNSUPPORTED_VERSION);
        assertThat(decoder.wrap(body, 0, body.capacity(), 19)).isEqualTo(ProtocolErrorCodes.UNSUPPORTED_VERSION);
        assertThat(decoder.nextTopic()).isFalse();
        assertThat(decoder.forgottenTopics().nextTopic()).isFalse();
    }

    @Test
    void shouldRefuseAKnownTaggedFieldOfTheWrongSize()
    {
        final short version = 17;
        final FetchRequestData request = request(version, false);
        final FetchRequestData.FetchPartition partition = request.topics().get(0).partitions().get(0);
        partition.setReplicaDirectoryId(Uuid.ZERO_UUID).unknownTaggedFields().clear();
        partition.unknownTaggedFields().add(new RawTaggedField(0, new byte[3]));
        final UnsafeBuffer body = new UnsafeBuffer(KafkaWire.bytes(request, version));

        assertThat(decoder.wrap(body, 0, body.capacity(), version)).isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
        assertThat(decoder.malformedReason()).isEqualTo("truncated");
    }

    @Test
    void shouldNotCarryAFailureIntoTheNextRequest()
    {
        final short version = 12;
        final byte[] body = KafkaWire.bytes(request(version, true), version);
        final short old = 4;
        final UnsafeBuffer valid = new UnsafeBuffer(KafkaWire.bytes(request(old, true), old));
        for (int length = 0; length < body.length; length++)
        {
            assertThat(decoder.wrap(new UnsafeBuffer(Arrays.copyOf(body, length)), 0, length, version))
                .isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);

            assertThat(decoder.wrap(valid, 0, valid.capacity(), old)).isEqualTo(ProtocolErrorCodes.NONE);
            assertThat(decoder.malformedReason()).isNull();
            assertThat(decoder.forgottenTopics().nextTopic()).isFalse();
            assertThat(topics(decoder)).hasSize(3 + 2 + 4);
        }
    }

    @Test
    void shouldRefuseEveryTruncationWithoutReadingPastTheEnd()
    {
        for (final short version : new short[]{ 4, 7, 11, 12, 13, 15, 18 })
        {
            final byte[] body = KafkaWire.bytes(request(version, true), version);
            for (int length = 0; length < body.length; length++)
            {
                final UnsafeBuffer truncated = new UnsafeBuffer(Arrays.copyOf(body, length));
                assertThat(decoder.wrap(truncated, 0, length, version)).as("v%d length %d", version, length)
                    .isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
                assertThat(decoder.malformedReason()).isNotNull();
                assertThat(decoder.nextTopic()).isFalse();
                assertThat(decoder.forgottenTopics().nextTopic()).isFalse();
            }
        }
    }

    @Test
    void shouldSurviveRandomCorruption()
    {
        final Random random = new Random(11);
        for (final short version : new short[]{ 4, 11, 12, 15, 18 })
        {
            final byte[] valid = KafkaWire.bytes(request(version, true), version);
            for (int i = 0; i < 5_000; i++)
            {
                final byte[] body = valid.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--)
                {
                    body[random.nextInt(body.length)] = (byte)random.nextInt(256);
                }
                final UnsafeBuffer buffer = new UnsafeBuffer(body);
                final short result = decoder.wrap(buffer, 0, body.length, version);
                assertThat(result).isIn(ProtocolErrorCodes.NONE, ProtocolErrorCodes.INVALID_REQUEST);
                if (result == ProtocolErrorCodes.NONE)
                {
                    assertThat(topics(decoder).stream().filter(line -> line.startsWith("topic")).count())
                        .isEqualTo(decoder.topicCount());
                    assertThat(forgotten(decoder)).hasSize(decoder.forgottenTopics().topicCount());
                    assertThat(decoder.rackIdOffset() + decoder.rackIdLength()).isLessThanOrEqualTo(body.length);
                }
            }
        }
    }

    private static UnsafeBuffer frame(final FetchRequestData request, final short version)
    {
        final RequestHeaderData requestHeader = new RequestHeaderData()
            .setRequestApiKey(ApiKeys.FETCH.id)
            .setRequestApiVersion(version)
            .setCorrelationId(version)
            .setClientId("consumer-1");
        return KafkaWire.frame(requestHeader, ApiKeys.FETCH.requestHeaderVersion(version), request, version);
    }

    /** Fields a version lacks come back as Kafka's defaults: the reference is what Kafka itself reads. */
    private static FetchRequestData kafkaReadBack(final FetchRequestData request, final short version)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(KafkaWire.bytes(request, version));
        return new FetchRequestData(new ByteBufferAccessor(bytes), version);
    }

    /** Every field set to a value unlike its default wherever the version has it. */
    static FetchRequestData request(final short version, final boolean fromFollower)
    {
        final boolean flexible = version >= 12;
        final FetchRequestData request = new FetchRequestData()
            .setMaxWaitMs(500 + version)
            .setMinBytes(1 + version)
            .setMaxBytes(50 << 20)
            .setIsolationLevel((byte)1)
            .setSessionId(version >= 7 ? 1234 : 0)
            .setSessionEpoch(version >= 7 ? 5 : -1)
            .setRackId("rack-" + version)
            .setClusterId(flexible ? "cluster-ö" : null);
        if (fromFollower && version >= 15)
        {
            request.setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(3).setReplicaEpoch(77L));
        }
        else if (fromFollower)
        {
            request.setReplicaId(2);
        }
        for (int t = 0; t < 3; t++)
        {
            final FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic();
            if (version >= 13)
            {
                topic.setTopicId(new Uuid(0x0F00_0000_0000_0000L + t, 0x00AB_0000_0000_0000L - t));
            }
            else
            {
                topic.setTopic("events-" + t);
            }
            for (int p = 0; p < (t == 1 ? 0 : 2 + t); p++)
            {
                final FetchRequestData.FetchPartition partition = new FetchRequestData.FetchPartition()
                    .setPartition(p * 7 + t)
                    .setCurrentLeaderEpoch(10 + p)
                    .setFetchOffset((1L << 33) + p)
                    .setLogStartOffset(100 + p)
                    .setPartitionMaxBytes(1 << 20)
                    .setReplicaDirectoryId(new Uuid(99, 100 + p))
                    .setHighWatermark(5000 + p);
                if (flexible)
                {
                    partition.setLastFetchedEpoch(9 + p);
                    partition.unknownTaggedFields().add(new RawTaggedField(6, new byte[]{ 1, 2 }));
                }
                topic.partitions().add(partition);
            }
            if (flexible)
            {
                topic.unknownTaggedFields().add(new RawTaggedField(1, new byte[]{ 7 }));
            }
            request.topics().add(topic);
        }
        if (version >= 7)
        {
            for (int t = 0; t < 2; t++)
            {
                final FetchRequestData.ForgottenTopic forgotten = new FetchRequestData.ForgottenTopic()
                    .setPartitions(t == 0 ? List.of(4, 0, Integer.MAX_VALUE) : List.of());
                if (version >= 13)
                {
                    forgotten.setTopicId(new Uuid(0xDEAD, t));
                }
                else
                {
                    forgotten.setTopic("gone-" + t);
                }
                if (flexible)
                {
                    forgotten.unknownTaggedFields().add(new RawTaggedField(2, new byte[5]));
                }
                request.forgottenTopicsData().add(forgotten);
            }
        }
        if (flexible)
        {
            request.unknownTaggedFields().add(new RawTaggedField(8, new byte[]{ 3 }));
        }
        return request;
    }

    private static List<String> topics(final FetchRequestData request, final short version)
    {
        final List<String> lines = new ArrayList<>();
        for (final FetchRequestData.FetchTopic topic : request.topics())
        {
            lines.add(version >= 13 ? "topic id " + topic.topicId() : "topic " + topic.topic());
            for (final FetchRequestData.FetchPartition p : topic.partitions())
            {
                lines.add(partition(p.partition(), p.currentLeaderEpoch(), p.fetchOffset(), p.lastFetchedEpoch(),
                    p.logStartOffset(), p.partitionMaxBytes(), p.replicaDirectoryId(), p.highWatermark()));
            }
        }
        return lines;
    }

    private static List<String> topics(final FetchRequestDecoder decoder)
    {
        final DirectBuffer buffer = decoder.buffer();
        final List<String> lines = new ArrayList<>();
        while (decoder.nextTopic())
        {
            lines.add(decoder.usesTopicIds() ?
                "topic id " + new Uuid(decoder.topicIdMostSignificantBits(), decoder.topicIdLeastSignificantBits()) :
                "topic " + KafkaWire.string(buffer, decoder.topicNameOffset(), decoder.topicNameLength()));
            int partitions = 0;
            while (decoder.nextPartition())
            {
                partitions++;
                lines.add(partition(decoder.partitionIndex(), decoder.currentLeaderEpoch(), decoder.fetchOffset(),
                    decoder.lastFetchedEpoch(), decoder.logStartOffset(), decoder.partitionMaxBytes(),
                    new Uuid(decoder.replicaDirectoryIdMostSignificantBits(),
                        decoder.replicaDirectoryIdLeastSignificantBits()),
                    decoder.highWatermark()));
            }
            assertThat(partitions).isEqualTo(decoder.partitionCount());
        }
        return lines;
    }

    private static String partition(
        final int partition, final int currentLeaderEpoch, final long fetchOffset, final int lastFetchedEpoch,
        final long logStartOffset, final int partitionMaxBytes, final Uuid directoryId, final long highWatermark)
    {
        return "  partition " + partition + " leaderEpoch " + currentLeaderEpoch + " fetchOffset " + fetchOffset +
            " lastFetchedEpoch " + lastFetchedEpoch + " logStartOffset " + logStartOffset + " maxBytes " +
            partitionMaxBytes + " directory " + directoryId + " highWatermark " + highWatermark;
    }

    private static List<String> forgotten(final FetchRequestData request, final short version)
    {
        final List<String> lines = new ArrayList<>();
        for (final FetchRequestData.ForgottenTopic topic : request.forgottenTopicsData())
        {
            lines.add((version >= 13 ? "forget id " + topic.topicId() : "forget " + topic.topic()) +
                " " + topic.partitions());
        }
        return lines;
    }

    private static List<String> forgotten(final FetchRequestDecoder decoder)
    {
        final DirectBuffer buffer = decoder.buffer();
        final ForgottenTopicsDecoder forgotten = decoder.forgottenTopics();
        final List<String> lines = new ArrayList<>();
        while (forgotten.nextTopic())
        {
            final List<Integer> partitions = new ArrayList<>();
            while (forgotten.nextPartition())
            {
                partitions.add(forgotten.partition());
            }
            assertThat(partitions).hasSize(forgotten.partitionCount());
            final String topic = decoder.usesTopicIds() ?
                "id " + new Uuid(forgotten.topicIdMostSignificantBits(), forgotten.topicIdLeastSignificantBits()) :
                KafkaWire.string(buffer, forgotten.topicNameOffset(), forgotten.topicNameLength());
            lines.add("forget " + topic + " " + partitions);
        }
        return lines;
    }
}
