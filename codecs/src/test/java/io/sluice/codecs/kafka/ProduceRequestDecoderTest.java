package io.sluice.codecs.kafka;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchValidator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.sluice.codecs.kafka.KafkaWire.LEADING_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

class ProduceRequestDecoderTest
{
    private final RequestHeaderDecoder header = new RequestHeaderDecoder();
    private final ProduceRequestDecoder decoder = new ProduceRequestDecoder();

    @Test
    void shouldDecodeEveryFieldOfEverySupportedVersion()
    {
        for (short version = ApiKeys.PRODUCE.oldestVersion(); version <= ApiKeys.PRODUCE.latestVersion(); version++)
        {
            final ProduceRequestData request = request(version);
            final UnsafeBuffer frame = frame(request, version);

            assertThat(header.wrap(frame, LEADING_BYTES, frame.capacity() - LEADING_BYTES))
                .isEqualTo(ProtocolErrorCodes.NONE);
            assertThat(decoder.wrap(frame, header.bodyOffset(), header.bodyLength(), header.apiVersion()))
                .as("v%d: %s", version, decoder.malformedReason()).isEqualTo(ProtocolErrorCodes.NONE);

            assertThat(KafkaWire.string(frame, decoder.transactionalIdOffset(), decoder.transactionalIdLength()))
                .isEqualTo(request.transactionalId());
            assertThat(decoder.acks()).isEqualTo(request.acks());
            assertThat(decoder.timeoutMs()).isEqualTo(request.timeoutMs());
            assertThat(decoder.usesTopicIds()).isEqualTo(version >= 13);
            assertThat(decoder.topicCount()).isEqualTo(request.topicData().size());
            assertThat(decoded(decoder)).as("v%d", version).isEqualTo(expected(request, version));
        }
    }

    @Test
    void shouldPointAtRecordBatchesInPlace()
    {
        final short version = 9;
        final UnsafeBuffer frame = frame(request(version), version);
        header.wrap(frame, LEADING_BYTES, frame.capacity() - LEADING_BYTES);
        decoder.wrap(frame, header.bodyOffset(), header.bodyLength(), version);

        assertThat(decoder.nextTopic()).isTrue();
        assertThat(decoder.nextPartition()).isTrue();
        final RecordBatchValidator validator = new RecordBatchValidator();
        assertThat(validator.validate(frame, decoder.recordsOffset(), decoder.recordsLength(), 1 << 20))
            .isEqualTo(ErrorCodes.NONE);
        assertThat(validator.recordCount()).isEqualTo(2);
    }

    @Test
    void shouldSkipUnreadPartitionsAndRewind()
    {
        final short version = 12;
        final ProduceRequestData request = request(version);
        final UnsafeBuffer frame = frame(request, version);
        header.wrap(frame, LEADING_BYTES, frame.capacity() - LEADING_BYTES);
        decoder.wrap(frame, header.bodyOffset(), header.bodyLength(), version);
        final List<String> whole = decoded(decoder);

        decoder.rewindTopics();
        final List<String> names = new ArrayList<>();
        while (decoder.nextTopic())
        {
            names.add(KafkaWire.string(frame, decoder.topicNameOffset(), decoder.topicNameLength()));
        }
        assertThat(names).containsExactly("tópic-0", "tópic-1", "tópic-2");

        decoder.rewindTopics();
        assertThat(decoded(decoder)).isEqualTo(whole);
    }

    @Test
    void shouldRefuseUnsupportedVersions()
    {
        final UnsafeBuffer body = new UnsafeBuffer(KafkaWire.bytes(request((short)3), (short)3));

        assertThat(decoder.wrap(body, 0, body.capacity(), 2)).isEqualTo(ProtocolErrorCodes.UNSUPPORTED_VERSION);
        assertThat(decoder.wrap(body, 0, body.capacity(), 14)).isEqualTo(ProtocolErrorCodes.UNSUPPORTED_VERSION);
        assertThat(decoder.nextTopic()).isFalse();
    }

    @Test
    void shouldRefuseEveryTruncationWithoutReadingPastTheEnd()
    {
        for (final short version : new short[]{ 3, 8, 9, 13 })
        {
            final byte[] body = KafkaWire.bytes(request(version), version);
            for (int length = 0; length < body.length; length++)
            {
                final UnsafeBuffer truncated = new UnsafeBuffer(Arrays.copyOf(body, length));
                assertThat(decoder.wrap(truncated, 0, length, version)).as("v%d length %d", version, length)
                    .isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
                assertThat(decoder.malformedReason()).isNotNull();
                assertThat(decoder.nextTopic()).isFalse();
                assertThat(decoder.nextPartition()).isFalse();
            }
        }
    }

    @Test
    void shouldRefuseNegativeCountsAndLengths()
    {
        final ByteBuffer classic = ByteBuffer.allocate(64);
        classic.putShort((short)-1).putShort((short)1).putInt(1000).putInt(-1);
        assertThat(decode(classic, 3)).isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
        assertThat(decoder.malformedReason()).isEqualTo("null where the schema forbids it");

        classic.clear();
        classic.putShort((short)-1).putShort((short)1).putInt(1000).putInt(1)
            .putShort((short)1).put((byte)'t').putInt(1).putInt(0).putInt(-2);
        assertThat(decode(classic, 3)).isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
        assertThat(decoder.malformedReason()).isEqualTo("negative length");

        classic.clear();
        classic.putShort((short)-1).putShort((short)1).putInt(1000).putInt(Integer.MAX_VALUE);
        assertThat(decode(classic, 3)).isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
        assertThat(decoder.malformedReason()).isEqualTo("array count past the end");
    }

    @Test
    void shouldRefuseOverlongAndOverflowingVarints()
    {
        final ByteBuffer compact = ByteBuffer.allocate(64);
        compact.put((byte)0).putShort((short)1).putInt(1000)
            .put(new byte[]{ (byte)0x81, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, 0x00 });
        assertThat(decode(compact, 9)).isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
        assertThat(decoder.malformedReason()).isEqualTo("varint longer than five bytes");

        compact.clear();
        compact.put((byte)0).putShort((short)1).putInt(1000)
            .put(new byte[]{ (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x7F });
        assertThat(decode(compact, 9)).isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
        assertThat(decoder.malformedReason()).isEqualTo("varint overflows 32 bits");

        compact.clear();
        compact.put((byte)0).putShort((short)1).putInt(1000)
            .put(new byte[]{ (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x0F });
        assertThat(decode(compact, 9)).isEqualTo(ProtocolErrorCodes.INVALID_REQUEST);
        assertThat(decoder.malformedReason()).isEqualTo("length over the type's maximum");
    }

    @Test
    void shouldSurviveRandomCorruption()
    {
        final Random random = new Random(7);
        for (final short version : new short[]{ 3, 9, 13 })
        {
            final byte[] valid = KafkaWire.bytes(request(version), version);
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
                    while (decoder.nextTopic())
                    {
                        while (decoder.nextPartition())
                        {
                            assertThat(decoder.recordsOffset() + Math.max(0, decoder.recordsLength()))
                                .isLessThanOrEqualTo(body.length);
                        }
                    }
                }
            }
        }
    }

    private short decode(final ByteBuffer body, final int version)
    {
        final byte[] exact = Arrays.copyOf(body.array(), body.position());
        return decoder.wrap(new UnsafeBuffer(exact), 0, exact.length, version);
    }

    private static UnsafeBuffer frame(final ProduceRequestData request, final short version)
    {
        final RequestHeaderData requestHeader = new RequestHeaderData()
            .setRequestApiKey(ApiKeys.PRODUCE.id)
            .setRequestApiVersion(version)
            .setCorrelationId(version)
            .setClientId("producer-1");
        return KafkaWire.frame(requestHeader, ApiKeys.PRODUCE.requestHeaderVersion(version), request, version);
    }

    /** Three topics: real batches and fake bytes, no partitions at all, and null and empty record sets. */
    static ProduceRequestData request(final short version)
    {
        final boolean flexible = version >= 9;
        final ProduceRequestData.TopicProduceDataCollection topics =
            new ProduceRequestData.TopicProduceDataCollection();
        for (int t = 0; t < 3; t++)
        {
            final ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData();
            if (version >= 13)
            {
                topic.setTopicId(new Uuid(0x0102_0304_0506_0708L + t, -0x1122_3344_5566_7788L - t));
            }
            else
            {
                topic.setName("tópic-" + t);
            }
            if (t == 0)
            {
                topic.partitionData().add(partition(7, MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)),
                    new SimpleRecord(null, new byte[300]))));
                topic.partitionData().add(partition(0, fake(1, 5)));
                topic.partitionData().add(partition(Integer.MAX_VALUE, fake(2, 200)));
            }
            else if (t == 2)
            {
                topic.partitionData().add(partition(3, null));
                topic.partitionData().add(partition(4, fake(3, 0)));
            }
            if (flexible)
            {
                topic.partitionData().forEach(
                    p -> p.unknownTaggedFields().add(new RawTaggedField(9, new byte[]{ 1 })));
                topic.unknownTaggedFields().add(new RawTaggedField(0, new byte[]{ 2, 3 }));
            }
            topics.add(topic);
        }
        final ProduceRequestData request = new ProduceRequestData()
            .setTransactionalId(version % 2 == 0 ? null : "txn-é-" + version)
            .setAcks((short)(version % 3 - 1))
            .setTimeoutMs(30_000 + version)
            .setTopicData(topics);
        if (flexible)
        {
            request.unknownTaggedFields().add(new RawTaggedField(4, new byte[130]));
        }
        return request;
    }

    private static ProduceRequestData.PartitionProduceData partition(final int index, final MemoryRecords records)
    {
        return new ProduceRequestData.PartitionProduceData().setIndex(index).setRecords(records);
    }

    private static MemoryRecords fake(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return MemoryRecords.readableRecords(ByteBuffer.wrap(bytes));
    }

    private static List<String> expected(final ProduceRequestData request, final short version)
    {
        final List<String> lines = new ArrayList<>();
        for (final ProduceRequestData.TopicProduceData topic : request.topicData())
        {
            lines.add(version >= 13 ? "topic id " + topic.topicId() : "topic " + topic.name());
            for (final ProduceRequestData.PartitionProduceData partition : topic.partitionData())
            {
                final MemoryRecords records = (MemoryRecords)partition.records();
                lines.add("  partition " + partition.index() + " records " +
                    (records == null ? "null" : Arrays.toString(KafkaWire.bytesOf(records))));
            }
        }
        return lines;
    }

    private static List<String> decoded(final ProduceRequestDecoder decoder)
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
                final byte[] records = KafkaWire.bytes(buffer, decoder.recordsOffset(), decoder.recordsLength());
                lines.add("  partition " + decoder.partitionIndex() + " records " +
                    (records == null ? "null" : Arrays.toString(records)));
            }
            assertThat(partitions).isEqualTo(decoder.partitionCount());
        }
        return lines;
    }
}
