package io.sluice.perf.codecs;

import io.sluice.codecs.sbe.FetchResponseDecoder;
import io.sluice.codecs.sbe.FetchResponseEncoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.codecs.sbe.MessageHeaderEncoder;
import io.sluice.codecs.sbe.ProduceRequestDecoder;
import io.sluice.codecs.sbe.ProduceRequestEncoder;
import io.sluice.perf.JmhSettings;
import io.sluice.perf.SampleBatches;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * SBE encoding and decoding of the native protocol's hot messages with the generated flyweights
 * ({@code io.sluice.codecs.sbe}, from {@code sluice-native.xml}), used as the client and the broker use them:
 *
 * <ul>
 * <li>{@code ProduceRequest} with one partition and a 1021-byte RecordBatch ({@link SampleBatches}, "1 KiB"):
 * encoded with the batch copied in by {@code putRecords}; decoded as {@code NativeProduceApi} does (header, body,
 * the partition entry, the records' offset and length, the bytes left where they are).</li>
 * <li>{@code FetchResponse} header for one partition, 58 bytes: encoded as {@code NativeFetchApi} does (an empty
 * {@code records} whose length is then set to the region sent from the file); decoded as the native consumer
 * does, up to the records' offset and length.</li>
 * <li>{@code MessageHeader} alone: the 8 bytes in front of every message.</li>
 * </ul>
 *
 * <p><b>Physical reference:</b> each {@code …Plain} method, the same bytes written or read with plain
 * {@link UnsafeBuffer} {@code putLong}/{@code putInt}/{@code getLong}/{@code getInt} (little-endian, as the
 * schema) at offsets written out by hand, the 8-byte header as one {@code long}, the batch with the same
 * {@code putBytes}. The plain decoders still follow the block lengths the header and group header give (a decoder
 * that ignored them would misread a newer peer's message), so the gap to SBE is the flyweights' own overhead. Set-up
 * fails unless every plain encoder writes exactly the bytes its SBE counterpart writes and every plain decoder
 * reads the same values.
 *
 * <p>Score: ns/op. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} must be 0 B/op for every method (the
 * flyweights, their group iterators included, are allocated once).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    JmhSettings.HEAP, JmhSettings.EXPORT_MISC, JmhSettings.OPEN_NIO_CH, JmhSettings.OPEN_NIO,
    JmhSettings.OPEN_ZIP })
@State(Scope.Thread)
public class NativeCodecBenchmark
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int BATCH_TARGET_BYTES = 1024;
    private static final int FRAME_CAPACITY = 4096;
    private static final DirectBuffer NO_BYTES = new UnsafeBuffer(new byte[0]);

    // The hand-written layout (schema sluice-native.xml, little-endian; the message header is
    // blockLength, templateId, schemaId, version, each uint16).
    private static final int HEADER_LENGTH = 8;
    private static final long PRODUCE_HEADER = header(
        ProduceRequestEncoder.BLOCK_LENGTH, ProduceRequestEncoder.TEMPLATE_ID);
    private static final long FETCH_HEADER = header(
        FetchResponseEncoder.BLOCK_LENGTH, FetchResponseEncoder.TEMPLATE_ID);
    /** ProduceRequest body: correlationId int32, timeoutMs int32, acks int8; then the partitions group. */
    private static final int PRODUCE_CORRELATION_ID_AT = 8;
    private static final int PRODUCE_TIMEOUT_AT = 12;
    private static final int PRODUCE_ACKS_AT = 16;
    private static final int PRODUCE_GROUP_AT = 17;
    /** Group header (blockLength uint16, numInGroup uint16) as one int: one entry, 20 bytes before its records. */
    private static final int PRODUCE_GROUP_ONE_ENTRY = 20 | 1 << 16;
    private static final int PRODUCE_ENTRY_AT = 21;
    /** FetchResponse body: correlationId int32; then the partitions group. */
    private static final int FETCH_CORRELATION_ID_AT = 8;
    private static final int FETCH_GROUP_AT = 12;
    /** One entry, 38 bytes before its records. */
    private static final int FETCH_GROUP_ONE_ENTRY = 38 | 1 << 16;
    private static final int FETCH_ENTRY_AT = 16;
    private static final int FETCH_HEADER_BYTES = 58;
    /*
     * In an entry of either group: topicId as two int64, partition int32; then, in a fetch entry only, errorCode
     * int16, highWatermark int64, logStartOffset int64. The entry's block is followed by the records' uint32 length.
     */
    private static final int ENTRY_TOPIC_HIGH = 0;
    private static final int ENTRY_TOPIC_LOW = 8;
    private static final int ENTRY_PARTITION = 16;
    private static final int ENTRY_ERROR_CODE = 20;
    private static final int ENTRY_HIGH_WATERMARK = 22;
    private static final int ENTRY_LOG_START = 30;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ProduceRequestEncoder produceEncoder = new ProduceRequestEncoder();
    private final ProduceRequestDecoder produceDecoder = new ProduceRequestDecoder();
    private final FetchResponseEncoder fetchEncoder = new FetchResponseEncoder();
    private final FetchResponseDecoder fetchDecoder = new FetchResponseDecoder();

    private final UnsafeBuffer out = frame();
    private final UnsafeBuffer produceIn = frame();
    private final UnsafeBuffer fetchIn = frame();
    private UnsafeBuffer batch;
    private int batchLength;

    // Instance fields, not constants, so the compiler cannot fold what is written.
    private int correlationId;
    private int timeoutMs = 30_000;
    private byte acks = -1;
    private long topicHigh = 0x5EED_0001_0002_0003L;
    private long topicLow = 0x0004_0005_0006_0007L;
    private int partition = 3;
    private short errorCode = 0;
    private long highWatermark = 1_234_567L;
    private long logStartOffset = 1_000L;

    @Setup(Level.Trial)
    public void createMessages()
    {
        final ByteBuffer sample = SampleBatches.batch(BATCH_TARGET_BYTES);
        batchLength = sample.remaining();
        batch = new UnsafeBuffer(sample);

        checkSameBytes("ProduceRequest", this::encodeProduceRequest, this::encodeProduceRequestPlain);
        checkSameBytes("FetchResponse header", this::encodeFetchResponseHeader, this::encodeFetchResponseHeaderPlain);
        checkSameBytes("MessageHeader", this::encodeMessageHeader, this::encodeMessageHeaderPlain);

        produceIn.putBytes(0, out, 0, encodeProduceRequest());
        fetchIn.putBytes(0, out, 0, encodeFetchResponseHeader());
        fetchIn.putBytes(FETCH_HEADER_BYTES, batch, 0, batchLength);
        checkSameValue("ProduceRequest", decodeProduceRequest(), decodeProduceRequestPlain());
        checkSameValue("FetchResponse header", decodeFetchResponseHeader(), decodeFetchResponseHeaderPlain());
        checkSameValue("MessageHeader", decodeMessageHeader(), decodeMessageHeaderPlain());
    }

    /** @return the bytes written, header included. */
    @Benchmark
    public int encodeProduceRequest()
    {
        final ProduceRequestEncoder request = produceEncoder.wrapAndApplyHeader(out, 0, headerEncoder)
            .correlationId(++correlationId)
            .timeoutMs(timeoutMs)
            .acks(acks);
        final ProduceRequestEncoder.PartitionsEncoder entry = request.partitionsCount(1).next();
        entry.topicId().high(topicHigh).low(topicLow);
        entry.partition(partition).putRecords(batch, 0, batchLength);
        return MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength();
    }

    /** @return the bytes written, header included. */
    @Benchmark
    public int encodeProduceRequestPlain()
    {
        final UnsafeBuffer frame = out;
        frame.putLong(0, PRODUCE_HEADER, LE);
        frame.putInt(PRODUCE_CORRELATION_ID_AT, ++correlationId, LE);
        frame.putInt(PRODUCE_TIMEOUT_AT, timeoutMs, LE);
        frame.putByte(PRODUCE_ACKS_AT, acks);
        frame.putInt(PRODUCE_GROUP_AT, PRODUCE_GROUP_ONE_ENTRY, LE);
        frame.putLong(PRODUCE_ENTRY_AT + ENTRY_TOPIC_HIGH, topicHigh, LE);
        frame.putLong(PRODUCE_ENTRY_AT + ENTRY_TOPIC_LOW, topicLow, LE);
        frame.putInt(PRODUCE_ENTRY_AT + ENTRY_PARTITION, partition, LE);
        final int recordsLengthAt = PRODUCE_ENTRY_AT + (PRODUCE_GROUP_ONE_ENTRY & 0xFFFF);
        frame.putInt(recordsLengthAt, batchLength, LE);
        frame.putBytes(recordsLengthAt + Integer.BYTES, batch, 0, batchLength);
        return recordsLengthAt + Integer.BYTES + batchLength;
    }

    /** @return a sum of every field read, so that none of the reads can be dropped. */
    @Benchmark
    public long decodeProduceRequest()
    {
        final MessageHeaderDecoder header = headerDecoder.wrap(produceIn, 0);
        if (header.templateId() != ProduceRequestDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("not a ProduceRequest: template " + header.templateId());
        }
        final ProduceRequestDecoder request =
            produceDecoder.wrap(produceIn, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        long sum = request.correlationId() + request.timeoutMs() + request.acks();
        for (final ProduceRequestDecoder.PartitionsDecoder entry : request.partitions())
        {
            sum += entry.topicId().high() ^ entry.topicId().low();
            sum += entry.partition();
            final int recordsAt = request.limit() + ProduceRequestDecoder.PartitionsDecoder.recordsHeaderLength();
            sum += recordsAt + entry.skipRecords();
        }
        return sum;
    }

    /** @return the same sum as {@link #decodeProduceRequest}. */
    @Benchmark
    public long decodeProduceRequestPlain()
    {
        final UnsafeBuffer frame = produceIn;
        final long header = frame.getLong(0, LE);
        if ((int)(header >>> 16 & 0xFFFF) != ProduceRequestDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("not a ProduceRequest: template " + (header >>> 16 & 0xFFFF));
        }
        long sum = frame.getInt(PRODUCE_CORRELATION_ID_AT, LE) + frame.getInt(PRODUCE_TIMEOUT_AT, LE) +
            frame.getByte(PRODUCE_ACKS_AT);
        int at = HEADER_LENGTH + (int)(header & 0xFFFF);
        final int group = frame.getInt(at, LE);
        final int entryLength = group & 0xFFFF;
        final int count = group >>> 16;
        at += Integer.BYTES;
        for (int i = 0; i < count; i++)
        {
            sum += frame.getLong(at + ENTRY_TOPIC_HIGH, LE) ^ frame.getLong(at + ENTRY_TOPIC_LOW, LE);
            sum += frame.getInt(at + ENTRY_PARTITION, LE);
            final int recordsAt = at + entryLength + Integer.BYTES;
            final int length = frame.getInt(at + entryLength, LE);
            sum += recordsAt + length;
            at = recordsAt + length;
        }
        return sum;
    }

    /** @return the bytes written, header included. */
    @Benchmark
    public int encodeFetchResponseHeader()
    {
        final FetchResponseEncoder response = fetchEncoder.wrapAndApplyHeader(out, 0, headerEncoder)
            .correlationId(++correlationId);
        final FetchResponseEncoder.PartitionsEncoder entry = response.partitionsCount(1).next();
        entry.topicId().high(topicHigh).low(topicLow);
        entry.partition(partition)
            .errorCode(errorCode)
            .highWatermark(highWatermark)
            .logStartOffset(logStartOffset)
            .putRecords(NO_BYTES, 0, 0);
        // As the broker does: the length says what follows; the bytes come from the log file, not this buffer.
        out.putInt(response.limit() - Integer.BYTES, batchLength, LE);
        return MessageHeaderEncoder.ENCODED_LENGTH + response.encodedLength();
    }

    /** @return the bytes written, header included. */
    @Benchmark
    public int encodeFetchResponseHeaderPlain()
    {
        final UnsafeBuffer frame = out;
        frame.putLong(0, FETCH_HEADER, LE);
        frame.putInt(FETCH_CORRELATION_ID_AT, ++correlationId, LE);
        frame.putInt(FETCH_GROUP_AT, FETCH_GROUP_ONE_ENTRY, LE);
        frame.putLong(FETCH_ENTRY_AT + ENTRY_TOPIC_HIGH, topicHigh, LE);
        frame.putLong(FETCH_ENTRY_AT + ENTRY_TOPIC_LOW, topicLow, LE);
        frame.putInt(FETCH_ENTRY_AT + ENTRY_PARTITION, partition, LE);
        frame.putShort(FETCH_ENTRY_AT + ENTRY_ERROR_CODE, errorCode, LE);
        frame.putLong(FETCH_ENTRY_AT + ENTRY_HIGH_WATERMARK, highWatermark, LE);
        frame.putLong(FETCH_ENTRY_AT + ENTRY_LOG_START, logStartOffset, LE);
        frame.putInt(FETCH_HEADER_BYTES - Integer.BYTES, batchLength, LE);
        return FETCH_HEADER_BYTES;
    }

    /** @return a sum of every field read, so that none of the reads can be dropped. */
    @Benchmark
    public long decodeFetchResponseHeader()
    {
        final MessageHeaderDecoder header = headerDecoder.wrap(fetchIn, 0);
        if (header.templateId() != FetchResponseDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("not a FetchResponse: template " + header.templateId());
        }
        final FetchResponseDecoder response =
            fetchDecoder.wrap(fetchIn, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        long sum = response.correlationId();
        for (final FetchResponseDecoder.PartitionsDecoder entry : response.partitions())
        {
            sum += entry.topicId().high() ^ entry.topicId().low();
            sum += entry.partition() + entry.errorCode() + entry.highWatermark() + entry.logStartOffset();
            final int recordsAt = response.limit() + FetchResponseDecoder.PartitionsDecoder.recordsHeaderLength();
            sum += recordsAt + entry.skipRecords();
        }
        return sum;
    }

    /** @return the same sum as {@link #decodeFetchResponseHeader}. */
    @Benchmark
    public long decodeFetchResponseHeaderPlain()
    {
        final UnsafeBuffer frame = fetchIn;
        final long header = frame.getLong(0, LE);
        if ((int)(header >>> 16 & 0xFFFF) != FetchResponseDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("not a FetchResponse: template " + (header >>> 16 & 0xFFFF));
        }
        long sum = frame.getInt(FETCH_CORRELATION_ID_AT, LE);
        int at = HEADER_LENGTH + (int)(header & 0xFFFF);
        final int group = frame.getInt(at, LE);
        final int entryLength = group & 0xFFFF;
        final int count = group >>> 16;
        at += Integer.BYTES;
        for (int i = 0; i < count; i++)
        {
            sum += frame.getLong(at + ENTRY_TOPIC_HIGH, LE) ^ frame.getLong(at + ENTRY_TOPIC_LOW, LE);
            sum += frame.getInt(at + ENTRY_PARTITION, LE) + frame.getShort(at + ENTRY_ERROR_CODE, LE) +
                frame.getLong(at + ENTRY_HIGH_WATERMARK, LE) + frame.getLong(at + ENTRY_LOG_START, LE);
            final int recordsAt = at + entryLength + Integer.BYTES;
            final int length = frame.getInt(at + entryLength, LE);
            sum += recordsAt + length;
            at = recordsAt + length;
        }
        return sum;
    }

    /** @return the bytes written. */
    @Benchmark
    public int encodeMessageHeader()
    {
        headerEncoder.wrap(out, 0)
            .blockLength(ProduceRequestEncoder.BLOCK_LENGTH)
            .templateId(ProduceRequestEncoder.TEMPLATE_ID)
            .schemaId(ProduceRequestEncoder.SCHEMA_ID)
            .version(ProduceRequestEncoder.SCHEMA_VERSION);
        return MessageHeaderEncoder.ENCODED_LENGTH;
    }

    /** @return the bytes written. */
    @Benchmark
    public int encodeMessageHeaderPlain()
    {
        out.putLong(0, PRODUCE_HEADER, LE);
        return HEADER_LENGTH;
    }

    /** @return a sum of the header's four fields. */
    @Benchmark
    public int decodeMessageHeader()
    {
        final MessageHeaderDecoder header = headerDecoder.wrap(produceIn, 0);
        return header.blockLength() + header.templateId() + header.schemaId() + header.version();
    }

    /** @return the same sum as {@link #decodeMessageHeader}. */
    @Benchmark
    public int decodeMessageHeaderPlain()
    {
        final long header = produceIn.getLong(0, LE);
        return (int)((header & 0xFFFF) + (header >>> 16 & 0xFFFF) + (header >>> 32 & 0xFFFF) + (header >>> 48));
    }

    private static long header(final int blockLength, final int templateId)
    {
        return blockLength |
            (long)templateId << 16 |
            (long)MessageHeaderEncoder.SCHEMA_ID << 32 |
            (long)MessageHeaderEncoder.SCHEMA_VERSION << 48;
    }

    private static UnsafeBuffer frame()
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(FRAME_CAPACITY, 64));
    }

    /** Encode with both from the same state into a zeroed frame and compare every byte each wrote. */
    private void checkSameBytes(final String message, final IntSupplier sbe, final IntSupplier plain)
    {
        final int id = correlationId;
        final byte[] sbeBytes = encodeFresh(sbe);
        correlationId = id;
        final byte[] plainBytes = encodeFresh(plain);
        if (!Arrays.equals(sbeBytes, plainBytes))
        {
            throw new IllegalStateException(message + ": the plain encoder wrote " + plainBytes.length +
                " bytes that differ from the " + sbeBytes.length + " SBE wrote");
        }
    }

    private byte[] encodeFresh(final IntSupplier encoder)
    {
        out.setMemory(0, FRAME_CAPACITY, (byte)0);
        final byte[] bytes = new byte[encoder.getAsInt()];
        out.getBytes(0, bytes);
        return bytes;
    }

    private static void checkSameValue(final String message, final long sbe, final long plain)
    {
        if (sbe != plain)
        {
            throw new IllegalStateException(message + ": the plain decoder reads " + plain + ", SBE " + sbe);
        }
    }
}
