package io.sluice.codecs.kafka;

import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProduceResponseEncoderTest
{
    private static final int OFFSET = 3;
    private final ProduceResponseEncoder encoder = new ProduceResponseEncoder();

    @Test
    void shouldWriteWhatKafkaWritesAndReadsForEverySupportedVersion()
    {
        for (short version = ApiKeys.PRODUCE.oldestVersion(); version <= ApiKeys.PRODUCE.latestVersion(); version++)
        {
            final ProduceResponseData response = response(version);
            final int correlationId = 0x5EED_0000 + version;
            final short headerVersion = ApiKeys.PRODUCE.responseHeaderVersion(version);
            final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(16);

            final int length = encode(buffer, OFFSET, version, correlationId, response);
            final byte[] written = KafkaWire.bytes(buffer, OFFSET, length);

            assertThat(written).as("v%d", version)
                .isEqualTo(KafkaWire.response(correlationId, headerVersion, response, version));

            final ByteBufferAccessor accessor = new ByteBufferAccessor(ByteBuffer.wrap(written));
            assertThat(KafkaWire.readResponseHeader(accessor, headerVersion)).isEqualTo(correlationId);
            final ProduceResponseData parsed = new ProduceResponseData(accessor, version);
            assertThat(accessor.remaining()).isZero();
            assertThat(parsed).as("v%d", version).isEqualTo(roundTrip(response, version));
            assertPartitionFields(parsed, version);
        }
    }

    @Test
    void shouldTakeTopicNamesFromStrings()
    {
        final short version = 11;
        final ProduceResponseData response = response(version);
        final UnsafeBuffer fromBuffers = new UnsafeBuffer(new byte[512]);
        final UnsafeBuffer fromStrings = new UnsafeBuffer(new byte[512]);
        final int length = encode(fromBuffers, 0, version, 1, response);

        encoder.wrap(fromStrings, 0, version, 1, response.responses().size());
        for (final ProduceResponseData.TopicProduceResponse topic : response.responses())
        {
            encoder.topic(topic.name(), topic.partitionResponses().size());
            topic.partitionResponses().forEach(p -> encoder.partition(
                p.index(), p.errorCode(), p.baseOffset(), p.logAppendTimeMs(), p.logStartOffset(), p.errorMessage()));
        }

        assertThat(encoder.finish(response.throttleTimeMs())).isEqualTo(length);
        assertThat(KafkaWire.bytes(fromStrings, 0, length)).isEqualTo(KafkaWire.bytes(fromBuffers, 0, length));
    }

    @Test
    void shouldRefuseCallsOutOfOrder()
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(64);

        encoder.wrap(buffer, 0, 9, 1, 1).topic("t", 1);
        assertThatThrownBy(() -> encoder.finish(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> encoder.topic("u", 0)).isInstanceOf(IllegalStateException.class);
        encoder.partition(0, (short)0, 0, -1, 0);
        assertThatThrownBy(() -> encoder.partition(1, (short)0, 0, -1, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> encoder.topic("v", 0)).isInstanceOf(IllegalStateException.class);

        encoder.wrap(buffer, 0, 13, 1, 1);
        assertThatThrownBy(() -> encoder.topic("by-name", 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> encoder.wrap(buffer, 0, 2, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Drive the encoder from Kafka's own response object. */
    private int encode(
        final MutableDirectBuffer buffer, final int offset, final short version, final int correlationId,
        final ProduceResponseData response)
    {
        encoder.wrap(buffer, offset, version, correlationId, response.responses().size());
        for (final ProduceResponseData.TopicProduceResponse topic : response.responses())
        {
            final int partitions = topic.partitionResponses().size();
            if (version >= 13)
            {
                encoder.topic(
                    topic.topicId().getMostSignificantBits(), topic.topicId().getLeastSignificantBits(), partitions);
            }
            else
            {
                final byte[] name = topic.name().getBytes(StandardCharsets.UTF_8);
                encoder.topic(new UnsafeBuffer(name), 0, name.length, partitions);
            }
            for (final ProduceResponseData.PartitionProduceResponse p : topic.partitionResponses())
            {
                if (p.errorMessage() == null)
                {
                    encoder.partition(
                        p.index(), p.errorCode(), p.baseOffset(), p.logAppendTimeMs(), p.logStartOffset());
                }
                else
                {
                    encoder.partition(p.index(), p.errorCode(), p.baseOffset(), p.logAppendTimeMs(),
                        p.logStartOffset(), p.errorMessage());
                }
            }
        }
        return encoder.finish(response.throttleTimeMs());
    }

    /** Fields Kafka drops in old versions come back as defaults, so compare with what Kafka itself reads back. */
    private static ProduceResponseData roundTrip(final ProduceResponseData response, final short version)
    {
        return new ProduceResponseData(
            new ByteBufferAccessor(ByteBuffer.wrap(KafkaWire.bytes(response, version))), version);
    }

    private static void assertPartitionFields(final ProduceResponseData parsed, final short version)
    {
        final ProduceResponseData.PartitionProduceResponse first =
            parsed.responses().iterator().next().partitionResponses().get(0);
        assertThat(first.index()).isEqualTo(2);
        assertThat(first.errorCode()).isEqualTo((short)0);
        assertThat(first.baseOffset()).isEqualTo(1L << 40);
        assertThat(first.logAppendTimeMs()).isEqualTo(1_700_000_000_123L);
        assertThat(first.logStartOffset()).isEqualTo(version >= 5 ? 17L : -1L);
        assertThat(first.recordErrors()).isEmpty();
        final ProduceResponseData.PartitionProduceResponse failed =
            parsed.responses().iterator().next().partitionResponses().get(1);
        assertThat(failed.errorCode()).isEqualTo((short)87);
        assertThat(failed.errorMessage()).isEqualTo(version >= 8 ? "batch 0 is not valid" : null);
        assertThat(parsed.throttleTimeMs()).isEqualTo(25);
    }

    static ProduceResponseData response(final short version)
    {
        final ProduceResponseData.TopicProduceResponseCollection topics =
            new ProduceResponseData.TopicProduceResponseCollection();
        for (int t = 0; t < 3; t++)
        {
            final ProduceResponseData.TopicProduceResponse topic = new ProduceResponseData.TopicProduceResponse();
            if (version >= 13)
            {
                topic.setTopicId(new Uuid(0x7000_0000_0000_0001L + t, 0x0BAD_CAFE_0000_0000L + t));
            }
            else
            {
                topic.setName("orders." + t);
            }
            if (t == 0)
            {
                topic.partitionResponses().add(partition(2, (short)0, 1L << 40, 1_700_000_000_123L, 17L, null));
                topic.partitionResponses().add(partition(5, (short)87, -1, -1, -1, "batch 0 is not valid"));
                topic.partitionResponses().add(partition(9, (short)6, -1, -1, -1, null));
            }
            else if (t == 2)
            {
                topic.partitionResponses().add(partition(0, (short)0, 0, -1, 0, null));
            }
            topics.add(topic);
        }
        return new ProduceResponseData().setResponses(topics).setThrottleTimeMs(25);
    }

    private static ProduceResponseData.PartitionProduceResponse partition(
        final int index, final short errorCode, final long baseOffset, final long logAppendTimeMs,
        final long logStartOffset, final String errorMessage)
    {
        return new ProduceResponseData.PartitionProduceResponse()
            .setIndex(index)
            .setErrorCode(errorCode)
            .setBaseOffset(baseOffset)
            .setLogAppendTimeMs(logAppendTimeMs)
            .setLogStartOffset(logStartOffset)
            .setErrorMessage(errorMessage);
    }
}
