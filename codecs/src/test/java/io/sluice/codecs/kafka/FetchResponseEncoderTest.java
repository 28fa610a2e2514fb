package io.sluice.codecs.kafka;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FetchResponseEncoderTest
{
    private static final int OFFSET = 3;
    private final FetchResponseEncoder encoder = new FetchResponseEncoder();

    @Test
    void shouldWriteWhatKafkaWritesAndReadsForEverySupportedVersion()
    {
        for (short version = ApiKeys.FETCH.oldestVersion(); version <= ApiKeys.FETCH.latestVersion(); version++)
        {
            final FetchResponseData response = response(version);
            final int correlationId = 0x0FE7_C400 + version;
            final short headerVersion = ApiKeys.FETCH.responseHeaderVersion(version);

            final byte[] wire = encodeAndSplice(version, correlationId, response);

            assertThat(wire).as("v%d", version)
                .isEqualTo(KafkaWire.response(correlationId, headerVersion, response, version));

            final ByteBufferAccessor accessor = new ByteBufferAccessor(ByteBuffer.wrap(wire));
            assertThat(KafkaWire.readResponseHeader(accessor, headerVersion)).isEqualTo(correlationId);
            final FetchResponseData parsed = new FetchResponseData(accessor, version);
            assertThat(accessor.remaining()).isZero();
            assertThat(parsed).as("v%d", version).isEqualTo(roundTrip(response, version));
            assertPartitionFields(parsed, version);
        }
    }

    @Test
    void shouldLetKafkaReadTheSplicedRecordBatches()
    {
        final short version = 16;
        final byte[] wire = encodeAndSplice(version, 1, response(version));

        final ByteBufferAccessor accessor = new ByteBufferAccessor(ByteBuffer.wrap(wire));
        KafkaWire.readResponseHeader(accessor, ApiKeys.FETCH.responseHeaderVersion(version));
        final FetchResponseData parsed = new FetchResponseData(accessor, version);
        final List<String> values = new ArrayList<>();
        final MemoryRecords records = (MemoryRecords)parsed.responses().get(0).partitions().get(0).records();
        for (final Record record : records.records())
        {
            values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
        }
        assertThat(values).containsExactly("first", "second");
    }

    @Test
    void shouldReturnSpliceIndicesInIncreasingOrderAndKeepRecordsOutOfTheBuffer()
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(64);
        encoder.wrap(buffer, 0, 12, 9, 0, (short)0, 0, 1).topic("t", 2);
        final int first = encoder.partition(0, (short)0, 10, 10, 0, -1, -1).records(1000);
        final int second = encoder.partition(1, (short)0, 10, 10, 0, -1, -1).records(2000);
        final int length = encoder.finish();

        assertThat(second).isGreaterThan(first);
        assertThat(length).isLessThan(100);
        assertThat(second - first).as("one partition's fields, no record bytes").isLessThan(50);
    }

    @Test
    void shouldRefuseCallsOutOfOrder()
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(64);

        encoder.wrap(buffer, 0, 12, 1, 0, (short)0, 0, 1).topic("t", 1);
        assertThatThrownBy(() -> encoder.records(0)).isInstanceOf(IllegalStateException.class);
        encoder.partition(0, (short)0, 0, 0, 0, -1, 1);
        assertThatThrownBy(() -> encoder.records(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> encoder.partition(1, (short)0, 0, 0, 0, -1, -1))
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(encoder::finish).isInstanceOf(IllegalStateException.class);
        encoder.abortedTransaction(7, 8);
        assertThatThrownBy(() -> encoder.abortedTransaction(7, 8)).isInstanceOf(IllegalStateException.class);
        encoder.records(-1);
        assertThatThrownBy(() -> encoder.topic("u", 0)).isInstanceOf(IllegalStateException.class);
        assertThat(encoder.finish()).isPositive();

        encoder.wrap(buffer, 0, 13, 1, 0, (short)0, 0, 1);
        assertThatThrownBy(() -> encoder.topic("by-name", 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> encoder.wrap(buffer, 0, 3, 1, 0, (short)0, 0, 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Drive the encoder from Kafka's own response object, then assemble what the transport would send: buffer
     * bytes with each partition's records inserted at the index {@link FetchResponseEncoder#records} returned.
     */
    private byte[] encodeAndSplice(final short version, final int correlationId, final FetchResponseData response)
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(16);
        final List<Integer> spliceAt = new ArrayList<>();
        final List<byte[]> regions = new ArrayList<>();

        encoder.wrap(buffer, OFFSET, version, correlationId, response.throttleTimeMs(), response.errorCode(),
            response.sessionId(), response.responses().size());
        for (final FetchResponseData.FetchableTopicResponse topic : response.responses())
        {
            if (version >= 13)
            {
                encoder.topic(topic.topicId().getMostSignificantBits(), topic.topicId().getLeastSignificantBits(),
                    topic.partitions().size());
            }
            else
            {
                final byte[] name = topic.topic().getBytes(StandardCharsets.UTF_8);
                encoder.topic(new UnsafeBuffer(name), 0, name.length, topic.partitions().size());
            }
            for (final FetchResponseData.PartitionData p : topic.partitions())
            {
                final List<FetchResponseData.AbortedTransaction> aborted = p.abortedTransactions();
                encoder.partition(p.partitionIndex(), p.errorCode(), p.highWatermark(), p.lastStableOffset(),
                    p.logStartOffset(), p.preferredReadReplica(), aborted == null ? -1 : aborted.size());
                if (aborted != null)
                {
                    aborted.forEach(a -> encoder.abortedTransaction(a.producerId(), a.firstOffset()));
                }
                final byte[] records = p.records() == null ?
                    null : KafkaWire.bytesOf((MemoryRecords)p.records());
                final int index = encoder.records(records == null ? -1 : records.length);
                if (records != null && records.length > 0)
                {
                    spliceAt.add(index);
                    regions.add(records);
                }
            }
        }
        final int length = encoder.finish();
        return splice(buffer, OFFSET, length, spliceAt, regions);
    }

    private static byte[] splice(
        final DirectBuffer buffer, final int offset, final int length, final List<Integer> spliceAt,
        final List<byte[]> regions)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = offset;
        for (int i = 0; i < spliceAt.size(); i++)
        {
            final int at = spliceAt.get(i);
            assertThat(at).isBetween(from, offset + length);
            out.writeBytes(KafkaWire.bytes(buffer, from, at - from));
            out.writeBytes(regions.get(i));
            from = at;
        }
        out.writeBytes(KafkaWire.bytes(buffer, from, offset + length - from));
        return out.toByteArray();
    }

    /** Fields Kafka drops in old versions come back as defaults, so compare with what Kafka itself reads back. */
    private static FetchResponseData roundTrip(final FetchResponseData response, final short version)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(KafkaWire.bytes(response, version));
        return new FetchResponseData(new ByteBufferAccessor(bytes), version);
    }

    private static void assertPartitionFields(final FetchResponseData parsed, final short version)
    {
        assertThat(parsed.throttleTimeMs()).isEqualTo(40);
        assertThat(parsed.errorCode()).isEqualTo(version >= 7 ? (short)70 : (short)0);
        assertThat(parsed.sessionId()).isEqualTo(version >= 7 ? 555 : 0);
        final FetchResponseData.PartitionData first = parsed.responses().get(0).partitions().get(0);
        assertThat(first.partitionIndex()).isEqualTo(0);
        assertThat(first.highWatermark()).isEqualTo(1000L);
        assertThat(first.lastStableOffset()).isEqualTo(990L);
        assertThat(first.logStartOffset()).isEqualTo(version >= 5 ? 10L : -1L);
        assertThat(first.abortedTransactions()).isNull();
        assertThat(first.preferredReadReplica()).isEqualTo(version >= 11 ? 4 : -1);
        final FetchResponseData.PartitionData transactional = parsed.responses().get(0).partitions().get(1);
        assertThat(transactional.abortedTransactions()).extracting(FetchResponseData.AbortedTransaction::producerId)
            .containsExactly(77L, 78L);
        final FetchResponseData.PartitionData failed = parsed.responses().get(0).partitions().get(3);
        assertThat(failed.errorCode()).isEqualTo((short)6);
        assertThat(failed.records()).isNull();
    }

    /**
     * A real batch, aborted transactions, empty records with an empty aborted list, an error with null records,
     * a topic with no partitions and one with fake bytes.
     */
    static FetchResponseData response(final short version)
    {
        final FetchResponseData response = new FetchResponseData().setThrottleTimeMs(40);
        if (version >= 7)
        {
            response.setErrorCode((short)70).setSessionId(555);
        }
        for (int t = 0; t < 3; t++)
        {
            final FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse();
            if (version >= 13)
            {
                topic.setTopicId(new Uuid(0x1234_5678L + t, 0x0FED_CBA9L - t));
            }
            else
            {
                topic.setTopic("clicks-" + t);
            }
            if (t == 0)
            {
                topic.partitions().add(partition(version, 0, (short)0, 1000, 990, 10, null, MemoryRecords.withRecords(
                    Compression.NONE, new SimpleRecord("first".getBytes(StandardCharsets.UTF_8)),
                    new SimpleRecord("second".getBytes(StandardCharsets.UTF_8)))));
                topic.partitions().add(partition(version, 1, (short)0, 2000, 1500, 0,
                    List.of(aborted(77, 1400), aborted(78, 1450)), fake(1, 333)));
                topic.partitions().add(partition(version, 2, (short)0, 0, 0, 0, List.of(), fake(2, 0)));
                topic.partitions().add(partition(version, 3, (short)6, -1, -1, -1, null, null));
            }
            else if (t == 2)
            {
                topic.partitions().add(partition(version, 9, (short)0, 5, 5, 0, null, fake(3, 70_000)));
            }
            response.responses().add(topic);
        }
        return response;
    }

    private static FetchResponseData.PartitionData partition(
        final short version, final int index, final short errorCode, final long highWatermark,
        final long lastStableOffset, final long logStartOffset,
        final List<FetchResponseData.AbortedTransaction> aborted, final MemoryRecords records)
    {
        final FetchResponseData.PartitionData partition = new FetchResponseData.PartitionData()
            .setPartitionIndex(index)
            .setErrorCode(errorCode)
            .setHighWatermark(highWatermark)
            .setLastStableOffset(lastStableOffset)
            .setLogStartOffset(logStartOffset)
            .setAbortedTransactions(aborted == null ? null : new ArrayList<>(aborted))
            .setRecords(records);
        if (version >= 11)
        {
            partition.setPreferredReadReplica(4);
        }
        return partition;
    }

    private static FetchResponseData.AbortedTransaction aborted(final long producerId, final long firstOffset)
    {
        return new FetchResponseData.AbortedTransaction().setProducerId(producerId).setFirstOffset(firstOffset);
    }

    private static MemoryRecords fake(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return MemoryRecords.readableRecords(ByteBuffer.wrap(bytes));
    }
}
