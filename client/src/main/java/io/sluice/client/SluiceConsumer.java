package io.sluice.client;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.record.RecordBatchFlyweight;
import io.sluice.codecs.sbe.FetchRequestEncoder;
import io.sluice.codecs.sbe.FetchResponseDecoder;
import io.sluice.codecs.sbe.ListOffsetsRequestEncoder;
import io.sluice.codecs.sbe.ListOffsetsResponseDecoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.codecs.sbe.MessageHeaderEncoder;
import io.sluice.codecs.sbe.MetadataResponseDecoder;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.sluice.client.ClientErrorCodes.UNKNOWN_TOPIC_OR_PARTITION;

/**
 * Reads records from partitions it is assigned (no group membership: {@link #assign}, then {@link #seek} as
 * wanted). {@link #poll} returns a {@link RecordView} over the fetch response in place, and sends the next fetch
 * before it returns, so the broker prepares the next records while the caller handles these. Positions start
 * per {@code offsetReset} unless sought. A consumer group's offsets are committed and read back with
 * {@link #commit(String, Map)} and {@link #committed(String, Collection)}, shared with Kafka clients of the group. Batches must be uncompressed (the native producer writes them so);
 * a compressed batch fails the poll with a {@link SluiceException} naming the codec.
 *
 * <p>It keeps two connections to the broker: one carries only fetches, the other everything else. The broker
 * answers a connection's requests in order, and the fetch sent as a poll returns may wait in the broker for new
 * records (up to {@code fetchMaxWaitMs}); on one connection, a commit or a position lookup would wait behind it.
 *
 * <p>Not thread-safe: one thread calls every method; network I/O happens on that thread, inside the calls, so
 * there is no hand-off between threads on the way to the caller. Nothing is allocated per record or per poll
 * once warm.
 */
public final class SluiceConsumer implements AutoCloseable
{
    private static final long EARLIEST = -2;
    private static final long LATEST = -1;
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final ClientContext context;
    /** Fetches only: the broker answers a connection's requests in order, and a fetch may wait for records. */
    private final NativeConnection connection;
    /** Everything else, so that a commit or a position lookup is not answered after a fetch that waits. */
    private final NativeConnection controlConnection;
    private final RequestCaller caller;
    private final ControlRequests control = new ControlRequests();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final FetchRequestEncoder fetchEncoder = new FetchRequestEncoder();
    private final FetchResponseDecoder fetchResponse = new FetchResponseDecoder();
    private final RecordView view = new RecordView();
    private final long requestTimeoutNs;
    private final GroupOffsets groupOffsets;

    private final List<Assigned> assigned = new ArrayList<>();
    private UnsafeBuffer fetchBuffer;
    private ByteBuffer fetchFrame;
    private int fetchCorrelationId = -1;
    private long fetchSentNs;
    private int fetchEpoch;
    private boolean closed;

    /** One assigned partition: where the consumer is, and where the fetch in flight asked from. */
    private static final class Assigned
    {
        final String topic;
        final long idHigh;
        final long idLow;
        final int partition;
        long position = UNKNOWN;
        long resetTo;
        long fetchedFrom = UNKNOWN;

        Assigned(final TopicDescription topic, final int partition, final long resetTo)
        {
            this.topic = topic.name();
            this.idHigh = topic.id().getMostSignificantBits();
            this.idLow = topic.id().getLeastSignificantBits();
            this.partition = partition;
            this.resetTo = resetTo;
        }
    }

    public SluiceConsumer(final ClientContext context)
    {
        this.context = context.conclude();
        this.connection = new NativeConnection(context, 16);
        this.controlConnection = new NativeConnection(context, 4);
        this.caller = new RequestCaller(controlConnection, context);
        this.requestTimeoutNs = TimeUnit.MILLISECONDS.toNanos(context.requestTimeoutMs());
        this.groupOffsets = new GroupOffsets(controlConnection, caller);
    }

    /**
     * Read {@code partitions} of {@code topic} from now on (every partition when none is named), in addition to
     * what is already assigned. Looks the topic up at once.
     *
     * @throws SluiceException when the topic does not exist or a partition is out of range.
     */
    public void assign(final String topic, final int... partitions)
    {
        ensureOpen();
        final TopicDescription description = describe(topic);
        final int[] wanted = partitions.length > 0 ? partitions : range(description.partitionCount());
        final long resetTo = switch (context.offsetReset())
        {
            case EARLIEST -> EARLIEST;
            case LATEST -> LATEST;
            case NONE -> UNKNOWN;
        };
        for (final int partition : wanted)
        {
            if (partition < 0 || partition >= description.partitionCount())
            {
                throw new SluiceException(UNKNOWN_TOPIC_OR_PARTITION, "topic '" + topic + "' has " +
                    description.partitionCount() + " partitions; there is no partition " + partition);
            }
            if (find(topic, partition) == null)
            {
                assigned.add(new Assigned(description, partition, resetTo));
            }
        }
        prepareFetchBuffer();
        dropFetchInFlight();
    }

    /** Stop reading every partition. */
    public void unassign()
    {
        assigned.clear();
        dropFetchInFlight();
    }

    /** Read {@code partition} from {@code offset} on the next poll. */
    public void seek(final String topic, final int partition, final long offset)
    {
        final Assigned entry = assignedOrThrow(topic, partition);
        entry.position = offset;
        if (offset != entry.fetchedFrom)
        {
            dropFetchInFlight();
        }
    }

    public void seekToBeginning(final String topic, final int partition)
    {
        seekTo(assignedOrThrow(topic, partition), EARLIEST);
    }

    public void seekToEnd(final String topic, final int partition)
    {
        seekTo(assignedOrThrow(topic, partition), LATEST);
    }

    /** Read from the first record whose timestamp is at or after {@code timestamp} (the end when there is none). */
    public void seekToTimestamp(final String topic, final int partition, final long timestamp)
    {
        seekTo(assignedOrThrow(topic, partition), Math.max(0, timestamp));
    }

    /** The offset of the next record {@link #poll} returns for the partition (looked up now if not known yet). */
    public long position(final String topic, final int partition)
    {
        final Assigned entry = assignedOrThrow(topic, partition);
        resolvePositions();
        return entry.position;
    }

    /**
     * Wait up to {@code timeoutMs} for records of the assigned partitions.
     *
     * @return the records, possibly none; valid until the next call on this consumer.
     * @throws SluiceException when the broker refuses a partition (deleted topic, offset out of range with
     *                         {@code offsetReset} NONE) or a batch is compressed.
     */
    public RecordView poll(final long timeoutMs)
    {
        ensureOpen();
        view.reset(connection.buffer());
        if (assigned.isEmpty())
        {
            throw new IllegalStateException("no partitions assigned");
        }
        resolvePositions();
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (!connection.connect(nowNs))
            {
                if (nowNs - deadlineNs >= 0)
                {
                    return view;
                }
                connection.await(deadlineNs - nowNs);
                continue;
            }
            if (fetchEpoch != connection.epoch())
            {
                fetchCorrelationId = -1;
            }
            if (fetchCorrelationId < 0)
            {
                // The whole wait, whatever this poll's timeout: the fetch outlives the poll, so a poll(0) loop keeps
                // one fetch waiting in the broker rather than sending fetches the broker answers empty at once.
                sendFetch(nowNs, context.fetchMaxWaitMs());
            }
            if (connection.flush(nowNs) < 0 || connection.receive(nowNs) < 0)
            {
                continue;
            }
            int length;
            while ((length = connection.nextFrame()) >= 0)
            {
                final DirectBuffer buffer = connection.buffer();
                final int offset = connection.frameOffset();
                if (RequestCaller.correlationId(buffer, offset, length) != fetchCorrelationId)
                {
                    continue;
                }
                fetchCorrelationId = -1;
                if (onFetched(buffer, offset))
                {
                    // Ask for what follows now, so it is on its way while the caller reads these.
                    sendFetch(nowNs, context.fetchMaxWaitMs());
                    connection.flush(nowNs);
                    return view;
                }
            }
            if (fetchCorrelationId >= 0 && nowNs - fetchSentNs > requestTimeoutNs + TimeUnit.MILLISECONDS.toNanos(
                context.fetchMaxWaitMs()))
            {
                connection.disconnect(nowNs, "fetch from " + connection.address() + " was not answered within " +
                    context.requestTimeoutMs() + " ms");
                continue;
            }
            if (nowNs - deadlineNs >= 0)
            {
                return view;
            }
            connection.await(deadlineNs - nowNs);
        }
    }

    /**
     * Store the current positions of every assigned partition as {@code groupId}'s committed offsets.
     *
     * @throws SluiceException as {@link #commit(String, Map)}.
     */
    public void commit(final String groupId)
    {
        ensureOpen();
        resolvePositions();
        final Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (final Assigned entry : assigned)
        {
            offsets.put(new TopicPartition(entry.topic, entry.partition), new OffsetAndMetadata(entry.position));
        }
        commit(groupId, offsets);
    }

    /** Store {@code offset} (the next record to read) as {@code groupId}'s committed offset for the partition. */
    public void commit(final String groupId, final String topic, final int partition, final long offset)
    {
        commit(groupId, Map.of(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
    }

    /**
     * Store {@code offsets} (each the next record to read, with its metadata) as {@code groupId}'s committed
     * offsets, the way a Kafka consumer outside group management commits: the broker keeps them in
     * {@code __consumer_offsets}, where Kafka clients read them too, and answers once they are written. The
     * partitions need not be assigned to this consumer. Waits while the broker's group coordinator starts, up to
     * {@code requestTimeoutMs}.
     *
     * @throws SluiceException        for a topic that does not exist, or a partition the broker refuses: Kafka's
     *                                code, e.g. UNKNOWN_TOPIC_OR_PARTITION (3), OFFSET_METADATA_TOO_LARGE (12),
     *                                UNKNOWN_MEMBER_ID (25) while the group has members of its own.
     * @throws SluiceTimeoutException when the broker does not answer within {@code requestTimeoutMs}.
     */
    public void commit(final String groupId, final Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        ensureOpen();
        groupOffsets.commit(groupId, offsets, this::assignedTopicId);
    }

    /**
     * The offset {@code groupId} committed for the partition, or -1 when it has none.
     *
     * @throws SluiceException as {@link #committed(String, Collection)}.
     */
    public long committed(final String groupId, final String topic, final int partition)
    {
        final TopicPartition wanted = new TopicPartition(topic, partition);
        final OffsetAndMetadata committed = committed(groupId, List.of(wanted)).get(wanted);
        return committed != null ? committed.offset() : -1;
    }

    /**
     * {@code groupId}'s committed offsets of {@code partitions}, whichever door committed them; a partition with
     * none is not in the map. The partitions need not be assigned to this consumer.
     *
     * @return an unmodifiable map in the order of {@code partitions}.
     * @throws SluiceException        for a topic that does not exist, or when the broker refuses.
     * @throws SluiceTimeoutException when the broker does not answer within {@code requestTimeoutMs}.
     */
    public Map<TopicPartition, OffsetAndMetadata> committed(
        final String groupId, final Collection<TopicPartition> partitions)
    {
        ensureOpen();
        return groupOffsets.committed(groupId, partitions, this::assignedTopicId);
    }

    @Override
    public void close()
    {
        closed = true;
        connection.close();
        controlConnection.close();
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("consumer is closed");
        }
    }

    private TopicDescription describe(final String topic)
    {
        final int correlationId = caller.nextCorrelationId();
        final int at = caller.call(control.metadata(correlationId, List.of(topic), context.autoCreateTopics(), false),
            correlationId, MetadataResponseDecoder.TEMPLATE_ID, "Metadata for topic '" + topic + "'");
        final Map<String, Short> errors = new HashMap<>();
        final List<TopicDescription> topics = control.topics(controlConnection.buffer(), at, errors);
        if (topics.isEmpty())
        {
            final short code = errors.getOrDefault(topic, UNKNOWN_TOPIC_OR_PARTITION);
            throw new SluiceException(code, "topic '" + topic + "' " +
                (code == UNKNOWN_TOPIC_OR_PARTITION ? "does not exist" : "cannot be read: error " + code));
        }
        return topics.get(0);
    }

    private void seekTo(final Assigned entry, final long resetTo)
    {
        entry.position = UNKNOWN;
        entry.resetTo = resetTo;
        dropFetchInFlight();
    }

    /**
     * Forget a fetch that asks for what is no longer wanted. Its answer would come first on the connection (the
     * broker answers in order), after new records or the fetch's whole wait, so the connection goes with it: a new
     * one costs a loopback handshake, the wait up to {@code fetchMaxWaitMs}.
     */
    private void dropFetchInFlight()
    {
        if (fetchCorrelationId >= 0)
        {
            fetchCorrelationId = -1;
            connection.reconnectNow(System.nanoTime());
        }
    }

    /** Look up, in one request, every position that is not known yet. */
    private void resolvePositions()
    {
        int unknown = 0;
        for (int i = 0, size = assigned.size(); i < size; i++)
        {
            final Assigned entry = assigned.get(i);
            if (entry.position == UNKNOWN)
            {
                if (entry.resetTo == UNKNOWN)
                {
                    throw new SluiceException(ErrorCodes.OFFSET_OUT_OF_RANGE, entry.topic + "-" + entry.partition +
                        " has no position and offsetReset is NONE: seek first");
                }
                unknown++;
            }
        }
        if (unknown == 0)
        {
            return;
        }
        final int correlationId = caller.nextCorrelationId();
        final ExpandableArrayBuffer buffer = ControlRequests.newRequestBuffer();
        final ListOffsetsRequestEncoder request = new ListOffsetsRequestEncoder()
            .wrapAndApplyHeader(buffer, ControlRequests.MESSAGE_OFFSET, headerEncoder).correlationId(correlationId);
        final ListOffsetsRequestEncoder.PartitionsEncoder entries = request.partitionsCount(unknown);
        for (final Assigned entry : assigned)
        {
            if (entry.position == UNKNOWN)
            {
                entries.next().topicId().high(entry.idHigh).low(entry.idLow);
                entries.partition(entry.partition).timestamp(entry.resetTo);
            }
        }
        final int at = caller.call(ControlRequests.frame(buffer, MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength()),
            correlationId, ListOffsetsResponseDecoder.TEMPLATE_ID, "ListOffsets");
        headerDecoder.wrap(controlConnection.buffer(), at);
        final ListOffsetsResponseDecoder response = new ListOffsetsResponseDecoder()
            .wrapAndApplyHeader(controlConnection.buffer(), at, headerDecoder);
        boolean pastTheEnd = false;
        for (final ListOffsetsResponseDecoder.PartitionsDecoder result : response.partitions())
        {
            final Assigned entry = find(result.topicId().high(), result.topicId().low(), result.partition());
            if (result.errorCode() != ErrorCodes.NONE)
            {
                throw new SluiceException(result.errorCode(), "looking up the position of " + entry.topic + "-" +
                    entry.partition + " failed with error " + result.errorCode());
            }
            if (result.offset() >= 0)
            {
                entry.position = result.offset();
            }
            else
            {
                // No record at or after the timestamp: start at the end, as Kafka's seek by time does.
                entry.resetTo = LATEST;
                pastTheEnd = true;
            }
        }
        if (pastTheEnd)
        {
            resolvePositions();
        }
    }

    private void prepareFetchBuffer()
    {
        final int length = ControlRequests.MESSAGE_OFFSET + MessageHeaderEncoder.ENCODED_LENGTH +
            FetchRequestEncoder.BLOCK_LENGTH + FetchRequestEncoder.PartitionsEncoder.HEADER_SIZE +
            assigned.size() * FetchRequestEncoder.PartitionsEncoder.sbeBlockLength();
        fetchFrame = BufferUtil.allocateDirectAligned((length + 63) & ~63, 64);
        fetchBuffer = new UnsafeBuffer(fetchFrame);
        fetchCorrelationId = -1;
    }

    private void sendFetch(final long nowNs, final int maxWaitMs)
    {
        final int correlationId = caller.nextCorrelationId();
        fetchEncoder.wrapAndApplyHeader(fetchBuffer, ControlRequests.MESSAGE_OFFSET, headerEncoder)
            .correlationId(correlationId)
            .maxWaitMs(maxWaitMs)
            .minBytes(context.fetchMinBytes())
            .maxBytes(context.fetchMaxBytes());
        final FetchRequestEncoder.PartitionsEncoder entries = fetchEncoder.partitionsCount(assigned.size());
        for (int i = 0, size = assigned.size(); i < size; i++)
        {
            final Assigned entry = assigned.get(i);
            entries.next().topicId().high(entry.idHigh).low(entry.idLow);
            entries.partition(entry.partition).fetchOffset(entry.position).partitionMaxBytes(context.partitionMaxBytes());
            entry.fetchedFrom = entry.position;
        }
        final int messageLength = MessageHeaderEncoder.ENCODED_LENGTH + fetchEncoder.encodedLength();
        fetchBuffer.putInt(0, messageLength, ByteOrder.BIG_ENDIAN);
        fetchFrame.limit(ControlRequests.MESSAGE_OFFSET + messageLength).position(0);
        connection.enqueue(fetchFrame);
        fetchCorrelationId = correlationId;
        fetchSentNs = nowNs;
        fetchEpoch = connection.epoch();
    }

    /**
     * Read a fetch response into the view and move positions past its batches.
     *
     * @return whether it holds any batch.
     */
    private boolean onFetched(final DirectBuffer buffer, final int offset)
    {
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.templateId() != FetchResponseDecoder.TEMPLATE_ID)
        {
            throw new SluiceException(SluiceException.CLIENT_ERROR, "fetch was answered with template " +
                headerDecoder.templateId());
        }
        fetchResponse.wrapAndApplyHeader(buffer, offset, headerDecoder);
        checkBatches(buffer, offset);
        fetchResponse.wrapAndApplyHeader(buffer, offset, headerDecoder);
        for (final FetchResponseDecoder.PartitionsDecoder result : fetchResponse.partitions())
        {
            final Assigned entry = find(result.topicId().high(), result.topicId().low(), result.partition());
            final short error = result.errorCode();
            final int recordsAt = fetchResponse.limit() + FetchResponseDecoder.PartitionsDecoder.recordsHeaderLength();
            final int length = result.skipRecords();
            if (entry == null || entry.position != entry.fetchedFrom)
            {
                continue;
            }
            if (error == ErrorCodes.OFFSET_OUT_OF_RANGE && context.offsetReset() != ClientContext.OffsetReset.NONE)
            {
                entry.position = UNKNOWN;
                entry.resetTo = context.offsetReset() == ClientContext.OffsetReset.EARLIEST ? EARLIEST : LATEST;
                continue;
            }
            if (error != ErrorCodes.NONE)
            {
                throw new SluiceException(error, "fetching " + entry.topic + "-" + entry.partition + " from offset " +
                    entry.fetchedFrom + " failed with error " + error);
            }
            if (length > 0)
            {
                view.addRegion(entry.topic, entry.partition, recordsAt, length, entry.position);
                entry.position = Math.max(entry.position, nextOffset(buffer, recordsAt, recordsAt + length));
            }
        }
        return !view.isEmpty();
    }

    /** Refuse a response holding a compressed batch before any position moves. */
    private void checkBatches(final DirectBuffer buffer, final int offset)
    {
        for (final FetchResponseDecoder.PartitionsDecoder result : fetchResponse.partitions())
        {
            final int recordsAt = fetchResponse.limit() + FetchResponseDecoder.PartitionsDecoder.recordsHeaderLength();
            final int end = recordsAt + result.skipRecords();
            for (int at = recordsAt; at + RecordBatchFlyweight.HEADER_LENGTH <= end; )
            {
                final int compression = buffer.getShort(at + RecordBatchFlyweight.ATTRIBUTES_OFFSET, ByteOrder.BIG_ENDIAN) &
                    RecordBatchFlyweight.COMPRESSION_MASK;
                if (compression != 0)
                {
                    throw new SluiceException(ErrorCodes.UNSUPPORTED_FOR_MESSAGE_FORMAT, "partition " +
                        result.partition() + " holds a " + codec(compression) + "-compressed batch at offset " +
                        buffer.getLong(at + RecordBatchFlyweight.BASE_OFFSET_OFFSET, ByteOrder.BIG_ENDIAN) +
                        "; the native consumer reads uncompressed batches only");
                }
                at += RecordBatchFlyweight.LOG_OVERHEAD +
                    buffer.getInt(at + RecordBatchFlyweight.BATCH_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN);
            }
        }
    }

    private static String codec(final int compression)
    {
        return switch (compression)
        {
            case 1 -> "gzip";
            case 2 -> "snappy";
            case 3 -> "lz4";
            case 4 -> "zstd";
            default -> "codec-" + compression;
        };
    }

    /** One past the last offset of the last whole batch in {@code [at, end)}. */
    private static long nextOffset(final DirectBuffer buffer, final int start, final int end)
    {
        long next = -1;
        for (int at = start; at + RecordBatchFlyweight.HEADER_LENGTH <= end; )
        {
            final int total = RecordBatchFlyweight.LOG_OVERHEAD +
                buffer.getInt(at + RecordBatchFlyweight.BATCH_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN);
            if (at + total > end)
            {
                break;
            }
            next = buffer.getLong(at + RecordBatchFlyweight.BASE_OFFSET_OFFSET, ByteOrder.BIG_ENDIAN) +
                buffer.getInt(at + RecordBatchFlyweight.LAST_OFFSET_DELTA_OFFSET, ByteOrder.BIG_ENDIAN) + 1;
            at += total;
        }
        return next;
    }

    /** The id of {@code topic} when a partition of it is assigned, else null. */
    private UUID assignedTopicId(final String topic)
    {
        for (int i = 0, size = assigned.size(); i < size; i++)
        {
            final Assigned entry = assigned.get(i);
            if (entry.topic.equals(topic))
            {
                return new UUID(entry.idHigh, entry.idLow);
            }
        }
        return null;
    }

    private Assigned find(final String topic, final int partition)
    {
        for (int i = 0, size = assigned.size(); i < size; i++)
        {
            final Assigned entry = assigned.get(i);
            if (entry.partition == partition && entry.topic.equals(topic))
            {
                return entry;
            }
        }
        return null;
    }

    private Assigned find(final long idHigh, final long idLow, final int partition)
    {
        for (int i = 0, size = assigned.size(); i < size; i++)
        {
            final Assigned entry = assigned.get(i);
            if (entry.partition == partition && entry.idHigh == idHigh && entry.idLow == idLow)
            {
                return entry;
            }
        }
        return null;
    }

    private Assigned assignedOrThrow(final String topic, final int partition)
    {
        final Assigned entry = find(topic, partition);
        if (entry == null)
        {
            throw new IllegalStateException(topic + "-" + partition + " is not assigned to this consumer");
        }
        return entry;
    }

    private static int[] range(final int count)
    {
        final int[] partitions = new int[count];
        for (int i = 0; i < count; i++)
        {
            partitions[i] = i;
        }
        return partitions;
    }
}
