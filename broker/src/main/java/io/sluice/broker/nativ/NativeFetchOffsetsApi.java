package io.sluice.broker.nativ;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.group.GroupCoordinatorService;
import io.sluice.broker.group.GroupCoordinatorService.CommittedOffset;
import io.sluice.broker.group.GroupCoordinatorService.OffsetQuery;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.FetchOffsetsRequestDecoder;
import io.sluice.codecs.sbe.FetchOffsetsResponseEncoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Native committed-offset lookup through the group coordinator's {@link GroupCoordinatorService#fetchOffsets},
 * the path Kafka's OffsetFetch takes, so offsets committed by a Kafka client are read back here. Topic ids are
 * resolved on the event loop (an unknown id is answered UNKNOWN_TOPIC_ID); a partition with nothing stored is
 * answered offset -1 and empty metadata. The answer is written on the coordinator thread.
 *
 * <p>Thread-safe.
 */
final class NativeFetchOffsetsApi implements NativeApi
{
    /** The longest string a {@code varStringEncoding} (uint16 length) carries, as sbe-tool bounds it. */
    private static final int MAX_STRING_BYTES = 65534;

    private final GroupCoordinatorService groups;
    private final TopicRegistry topics;
    private final ResponseFramePool frames;

    NativeFetchOffsetsApi(final GroupCoordinatorService groups, final TopicRegistry topics, final ResponseFramePool frames)
    {
        this.groups = groups;
        this.topics = topics;
        this.frames = frames;
    }

    @Override
    public void onRequest(
        final Connection connection, final long requestSeq, final DirectBuffer frame, final int blockLength, final int version)
    {
        final FetchOffsetsRequestDecoder request = NativeCodecs.get().fetchOffsetsRequest
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final int correlationId = request.correlationId();
        final int count = NativeFrames.checkGroup(frame, request.limit(),
            FetchOffsetsRequestDecoder.PartitionsDecoder.sbeBlockLength(), "FetchOffsetsRequest.partitions");
        NativeFrames.checkCount(count, FetchOffsetsResponseEncoder.PartitionsEncoder.countMaxValue(),
            "FetchOffsetsRequest.partitions");
        // Refuse a count the frame cannot hold before sizing anything by it.
        NativeFrames.checkEnd(frame, request.limit() + FetchOffsetsRequestDecoder.PartitionsDecoder.sbeHeaderSize() +
            count * FetchOffsetsRequestDecoder.PartitionsDecoder.sbeBlockLength());
        final RequestedPartitions requested = new RequestedPartitions(topics.snapshot(), count);
        final CommittedOffset[] answers = new CommittedOffset[count];
        final List<OffsetQuery> known = new ArrayList<>(count);
        final CommittedOffset unknownId = new CommittedOffset(-1, "", BrokerErrorCodes.UNKNOWN_TOPIC_ID);
        for (final FetchOffsetsRequestDecoder.PartitionsDecoder entry : request.partitions())
        {
            final int index = requested.count();
            final Topic topic = requested.add(entry.topicId().high(), entry.topicId().low(), entry.partition());
            if (topic == null)
            {
                answers[index] = unknownId;
            }
            else
            {
                known.add(new OffsetQuery(topic.name(), requested.partition(index)));
            }
        }
        final String groupId = request.groupId();
        if (requested.noneKnown())
        {
            respond(connection, requestSeq, correlationId, requested, answers);
            return;
        }
        groups.fetchOffsets(groupId, known, offsets ->
        {
            for (int k = 0; k < offsets.size(); k++)
            {
                answers[requested.knownAt(k)] = offsets.get(k);
            }
            respond(connection, requestSeq, correlationId, requested, answers);
        });
    }

    private void respond(
        final Connection connection,
        final long requestSeq,
        final int correlationId,
        final RequestedPartitions requested,
        final CommittedOffset[] answers)
    {
        final NativeCodecs codecs = NativeCodecs.get();
        final ResponseFrame frame = frames.acquire();
        final FetchOffsetsResponseEncoder response = codecs.fetchOffsetsResponse
            .wrapAndApplyHeader(frame.buffer(), 0, codecs.headerEncoder)
            .correlationId(correlationId);
        final FetchOffsetsResponseEncoder.PartitionsEncoder entries = response.partitionsCount(requested.count());
        for (int i = 0; i < requested.count(); i++)
        {
            final CommittedOffset answer = answers[i];
            final byte[] metadata = answer.metadata() == null ? new byte[0] :
                answer.metadata().getBytes(StandardCharsets.UTF_8);
            // Only a broker whose offset.metadata.max.bytes exceeds what the field carries can store such metadata.
            final boolean fits = metadata.length <= MAX_STRING_BYTES;
            entries.next().topicId().high(requested.idHigh(i)).low(requested.idLow(i));
            entries.partition(requested.partition(i))
                .errorCode(fits ? answer.errorCode() : BrokerErrorCodes.OFFSET_METADATA_TOO_LARGE)
                .offset(fits && answer.errorCode() == ErrorCodes.NONE ? answer.offset() : -1)
                .putMetadata(metadata, 0, fits ? metadata.length : 0);
        }
        connection.respond(requestSeq, NativeCodecs.finish(frame, response.encodedLength()));
    }
}
