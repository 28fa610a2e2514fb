package io.sluice.client;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.CommitOffsetsRequestEncoder;
import io.sluice.codecs.sbe.CommitOffsetsResponseDecoder;
import io.sluice.codecs.sbe.FetchOffsetsRequestEncoder;
import io.sluice.codecs.sbe.FetchOffsetsResponseDecoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.codecs.sbe.MessageHeaderEncoder;
import io.sluice.codecs.sbe.MetadataResponseDecoder;
import org.agrona.ExpandableArrayBuffer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import static io.sluice.client.ClientErrorCodes.COORDINATOR_LOAD_IN_PROGRESS;
import static io.sluice.client.ClientErrorCodes.COORDINATOR_NOT_AVAILABLE;
import static io.sluice.client.ClientErrorCodes.INVALID_GROUP_ID;
import static io.sluice.client.ClientErrorCodes.NOT_COORDINATOR;
import static io.sluice.client.ClientErrorCodes.OFFSET_METADATA_TOO_LARGE;
import static io.sluice.client.ClientErrorCodes.UNKNOWN_MEMBER_ID;
import static io.sluice.client.ClientErrorCodes.UNKNOWN_TOPIC_ID;
import static io.sluice.client.ClientErrorCodes.UNKNOWN_TOPIC_OR_PARTITION;

/**
 * A consumer group's committed offsets over the native connection: CommitOffsets and FetchOffsets, which the
 * broker serves through the same group coordinator as Kafka's OffsetCommit and OffsetFetch. Topics travel by
 * id; those the caller does not know are looked up in one metadata request. While the broker's coordinator is
 * starting (creating or loading {@code __consumer_offsets}) the request is sent again after a short pause, within
 * the request timeout; any other partition error fails the call with a one-line {@link SluiceException}.
 *
 * <p>Not thread-safe: used by the one thread that owns the connection.
 */
final class GroupOffsets
{
    private static final long RETRY_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final NativeConnection connection;
    private final RequestCaller caller;
    private final ControlRequests control = new ControlRequests();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    GroupOffsets(final NativeConnection connection, final RequestCaller caller)
    {
        this.connection = connection;
        this.caller = caller;
    }

    /**
     * Store {@code offsets} as {@code groupId}'s committed offsets; returns once the broker has written them.
     *
     * @param knownIds the ids of topics the caller knows (null for the others, which are looked up).
     */
    void commit(
        final String groupId, final Map<TopicPartition, OffsetAndMetadata> offsets, final Function<String, UUID> knownIds)
    {
        checkGroupId(groupId);
        checkCount(offsets.size());
        if (offsets.isEmpty())
        {
            return;
        }
        final long deadlineNs = caller.deadlineNs();
        final List<TopicPartition> partitions = new ArrayList<>(offsets.keySet());
        final Map<String, UUID> ids = ids(partitions, knownIds, deadlineNs);
        final String what = "committing offsets of group '" + groupId + "'";
        while (true)
        {
            final int correlationId = caller.nextCorrelationId();
            final ExpandableArrayBuffer buffer = ControlRequests.newRequestBuffer();
            final CommitOffsetsRequestEncoder request = new CommitOffsetsRequestEncoder()
                .wrapAndApplyHeader(buffer, ControlRequests.MESSAGE_OFFSET, headerEncoder).correlationId(correlationId);
            final CommitOffsetsRequestEncoder.PartitionsEncoder entries = request.partitionsCount(partitions.size());
            for (final TopicPartition partition : partitions)
            {
                final UUID id = ids.get(partition.topic());
                final OffsetAndMetadata offset = offsets.get(partition);
                entries.next().topicId().high(id.getMostSignificantBits()).low(id.getLeastSignificantBits());
                entries.partition(partition.partition()).offset(offset.offset()).metadata(offset.metadata());
            }
            request.groupId(groupId);
            final int at = caller.call(
                ControlRequests.frame(buffer, MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength()),
                correlationId, CommitOffsetsResponseDecoder.TEMPLATE_ID, what, deadlineNs);
            headerDecoder.wrap(connection.buffer(), at);
            final CommitOffsetsResponseDecoder response = new CommitOffsetsResponseDecoder()
                .wrapAndApplyHeader(connection.buffer(), at, headerDecoder);
            final short[] codes = new short[partitions.size()];
            int i = 0;
            for (final CommitOffsetsResponseDecoder.PartitionsDecoder result : response.partitions())
            {
                if (i < codes.length)
                {
                    codes[i] = result.errorCode();
                }
                i++;
            }
            checkAnswerCount(i, codes.length, what);
            if (!retry(codes, partitions, what, deadlineNs))
            {
                return;
            }
        }
    }

    /**
     * {@code groupId}'s committed offsets of {@code partitions}, in their order; a partition with none is left out.
     *
     * @param knownIds the ids of topics the caller knows (null for the others, which are looked up).
     */
    Map<TopicPartition, OffsetAndMetadata> committed(
        final String groupId, final Collection<TopicPartition> wanted, final Function<String, UUID> knownIds)
    {
        checkGroupId(groupId);
        final List<TopicPartition> partitions = new ArrayList<>(new LinkedHashSet<>(wanted));
        checkCount(partitions.size());
        if (partitions.isEmpty())
        {
            return Map.of();
        }
        final long deadlineNs = caller.deadlineNs();
        final Map<String, UUID> ids = ids(partitions, knownIds, deadlineNs);
        final String what = "reading the committed offsets of group '" + groupId + "'";
        while (true)
        {
            final int correlationId = caller.nextCorrelationId();
            final ExpandableArrayBuffer buffer = ControlRequests.newRequestBuffer();
            final FetchOffsetsRequestEncoder request = new FetchOffsetsRequestEncoder()
                .wrapAndApplyHeader(buffer, ControlRequests.MESSAGE_OFFSET, headerEncoder).correlationId(correlationId);
            final FetchOffsetsRequestEncoder.PartitionsEncoder entries = request.partitionsCount(partitions.size());
            for (final TopicPartition partition : partitions)
            {
                final UUID id = ids.get(partition.topic());
                entries.next().topicId().high(id.getMostSignificantBits()).low(id.getLeastSignificantBits());
                entries.partition(partition.partition());
            }
            request.groupId(groupId);
            final int at = caller.call(
                ControlRequests.frame(buffer, MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength()),
                correlationId, FetchOffsetsResponseDecoder.TEMPLATE_ID, what, deadlineNs);
            headerDecoder.wrap(connection.buffer(), at);
            final FetchOffsetsResponseDecoder response = new FetchOffsetsResponseDecoder()
                .wrapAndApplyHeader(connection.buffer(), at, headerDecoder);
            final short[] codes = new short[partitions.size()];
            final Map<TopicPartition, OffsetAndMetadata> committed = new LinkedHashMap<>();
            int i = 0;
            for (final FetchOffsetsResponseDecoder.PartitionsDecoder result : response.partitions())
            {
                final short code = result.errorCode();
                final long offset = result.offset();
                final String metadata = result.metadata();
                if (i < codes.length)
                {
                    codes[i] = code;
                    // A negative offset is "nothing stored" (-1), or nothing a consumer could start from.
                    if (code == ErrorCodes.NONE && offset >= 0)
                    {
                        committed.put(partitions.get(i), new OffsetAndMetadata(offset, metadata));
                    }
                }
                i++;
            }
            checkAnswerCount(i, codes.length, what);
            if (!retry(codes, partitions, what, deadlineNs))
            {
                return Collections.unmodifiableMap(committed);
            }
        }
    }

    /**
     * Whether to send the request again: a coordinator that is starting answers every partition so. Throws for
     * the first other error.
     */
    private boolean retry(
        final short[] codes, final List<TopicPartition> partitions, final String what, final long deadlineNs)
    {
        short retriable = ErrorCodes.NONE;
        for (int i = 0; i < codes.length; i++)
        {
            final short code = codes[i];
            if (code == COORDINATOR_LOAD_IN_PROGRESS || code == COORDINATOR_NOT_AVAILABLE || code == NOT_COORDINATOR)
            {
                retriable = code;
            }
            else if (code != ErrorCodes.NONE)
            {
                throw new SluiceException(code, what + " failed for " + partitions.get(i) + ": error " + code + reason(code));
            }
        }
        if (retriable == ErrorCodes.NONE)
        {
            return false;
        }
        final long nowNs = System.nanoTime();
        if (deadlineNs - nowNs <= RETRY_BACKOFF_NS)
        {
            throw new SluiceException(retriable, what + " failed: error " + retriable + reason(retriable) +
                " until the request timeout");
        }
        LockSupport.parkNanos(RETRY_BACKOFF_NS);
        return true;
    }

    /** The id of each topic named in {@code partitions}, those the caller does not know from one metadata request. */
    private Map<String, UUID> ids(
        final List<TopicPartition> partitions, final Function<String, UUID> knownIds, final long deadlineNs)
    {
        final Map<String, UUID> ids = new HashMap<>();
        final Set<String> unknown = new LinkedHashSet<>();
        for (final TopicPartition partition : partitions)
        {
            final UUID id = knownIds.apply(partition.topic());
            if (id != null)
            {
                ids.put(partition.topic(), id);
            }
            else
            {
                unknown.add(partition.topic());
            }
        }
        if (unknown.isEmpty())
        {
            return ids;
        }
        final int correlationId = caller.nextCorrelationId();
        final int at = caller.call(control.metadata(correlationId, unknown, false, false), correlationId,
            MetadataResponseDecoder.TEMPLATE_ID, "Metadata for topics " + unknown, deadlineNs);
        final Map<String, Short> errors = new HashMap<>();
        for (final TopicDescription topic : control.topics(connection.buffer(), at, errors))
        {
            ids.put(topic.name(), topic.id());
        }
        for (final String topic : unknown)
        {
            if (!ids.containsKey(topic))
            {
                final short code = errors.getOrDefault(topic, UNKNOWN_TOPIC_OR_PARTITION);
                throw new SluiceException(code, "topic '" + topic + "' " +
                    (code == UNKNOWN_TOPIC_OR_PARTITION ? "does not exist" : "cannot be described: error " + code));
            }
        }
        return ids;
    }

    private static void checkGroupId(final String groupId)
    {
        if (groupId == null || groupId.isEmpty())
        {
            throw new IllegalArgumentException("a consumer group id is required");
        }
    }

    private static void checkCount(final int count)
    {
        if (count > CommitOffsetsRequestEncoder.PartitionsEncoder.countMaxValue())
        {
            throw new IllegalArgumentException(count + " partitions in one call; at most " +
                CommitOffsetsRequestEncoder.PartitionsEncoder.countMaxValue());
        }
    }

    private static void checkAnswerCount(final int answered, final int asked, final String what)
    {
        if (answered != asked)
        {
            throw new SluiceException(SluiceException.CLIENT_ERROR,
                what + ": the broker answered " + answered + " partitions of " + asked);
        }
    }

    /** A few words on the errors a caller can do something about. */
    private static String reason(final short code)
    {
        return switch (code)
        {
            case UNKNOWN_TOPIC_OR_PARTITION -> " (no such partition)";
            case OFFSET_METADATA_TOO_LARGE -> " (metadata longer than the broker's offset.metadata.max.bytes)";
            case COORDINATOR_LOAD_IN_PROGRESS -> " (the group coordinator is loading its offsets)";
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> " (the group coordinator is not available)";
            case INVALID_GROUP_ID -> " (invalid group id)";
            case UNKNOWN_MEMBER_ID -> " (the group has members: only they commit its offsets while it does)";
            case UNKNOWN_TOPIC_ID -> " (the topic was deleted or re-created)";
            default -> "";
        };
    }
}
