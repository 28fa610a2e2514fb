package io.sluice.broker.nativ;

import io.sluice.broker.BrokerErrorCodes;
import io.sluice.broker.group.GroupCoordinatorService;
import io.sluice.broker.group.GroupCoordinatorService.OffsetCommit;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.codecs.sbe.CommitOffsetsRequestDecoder;
import io.sluice.codecs.sbe.CommitOffsetsResponseEncoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.transport.Connection;
import io.sluice.transport.ResponseFrame;
import io.sluice.transport.ResponseFramePool;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Native offset commit: a standalone commit (no generation, no member id) through the group coordinator's
 * {@link GroupCoordinatorService#commitOffsets}, the path Kafka's OffsetCommit takes, so the offsets land in
 * {@code __consumer_offsets} and a Kafka client's {@code committed()} reads them. The request is read on the
 * event loop, topic ids resolved against the registry's snapshot (an unknown id is answered UNKNOWN_TOPIC_ID
 * there and never reaches the coordinator), and the answer is written on the coordinator thread once the
 * offsets are durable. A control-plane request: it allocates a little per request.
 *
 * <p>Thread-safe.
 */
final class NativeCommitOffsetsApi implements NativeApi
{
    private final GroupCoordinatorService groups;
    private final TopicRegistry topics;
    private final ResponseFramePool frames;

    NativeCommitOffsetsApi(final GroupCoordinatorService groups, final TopicRegistry topics, final ResponseFramePool frames)
    {
        this.groups = groups;
        this.topics = topics;
        this.frames = frames;
    }

    @Override
    public void onRequest(
        final Connection connection, final long requestSeq, final DirectBuffer frame, final int blockLength, final int version)
    {
        final CommitOffsetsRequestDecoder request = NativeCodecs.get().commitOffsetsRequest
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final int correlationId = request.correlationId();
        final int count = NativeFrames.checkGroup(frame, request.limit(),
            CommitOffsetsRequestDecoder.PartitionsDecoder.sbeBlockLength(), "CommitOffsetsRequest.partitions");
        NativeFrames.checkCount(count, CommitOffsetsResponseEncoder.PartitionsEncoder.countMaxValue(),
            "CommitOffsetsRequest.partitions");
        // Each entry holds at least its fields and its metadata's length: refuse a count the frame cannot hold
        // before sizing anything by it.
        NativeFrames.checkEnd(frame, request.limit() + CommitOffsetsRequestDecoder.PartitionsDecoder.sbeHeaderSize() +
            count * (CommitOffsetsRequestDecoder.PartitionsDecoder.sbeBlockLength() +
            CommitOffsetsRequestDecoder.PartitionsDecoder.metadataHeaderLength()));
        final RequestedPartitions requested = new RequestedPartitions(topics.snapshot(), count);
        final short[] errorCodes = new short[count];
        final List<OffsetCommit> known = new ArrayList<>(count);
        for (final CommitOffsetsRequestDecoder.PartitionsDecoder entry : request.partitions())
        {
            final int index = requested.count();
            final Topic topic = requested.add(entry.topicId().high(), entry.topicId().low(), entry.partition());
            final long offset = entry.offset();
            final String metadata = entry.metadata();
            if (topic == null)
            {
                errorCodes[index] = BrokerErrorCodes.UNKNOWN_TOPIC_ID;
            }
            else
            {
                known.add(new OffsetCommit(topic.name(), requested.partition(index), offset, metadata));
            }
        }
        final String groupId = request.groupId();
        if (requested.noneKnown())
        {
            respond(connection, requestSeq, correlationId, requested, errorCodes);
            return;
        }
        groups.commitOffsets(groupId, known, codes ->
        {
            for (int k = 0; k < codes.length; k++)
            {
                errorCodes[requested.knownAt(k)] = codes[k];
            }
            respond(connection, requestSeq, correlationId, requested, errorCodes);
        });
    }

    private void respond(
        final Connection connection,
        final long requestSeq,
        final int correlationId,
        final RequestedPartitions requested,
        final short[] errorCodes)
    {
        final NativeCodecs codecs = NativeCodecs.get();
        final ResponseFrame frame = frames.acquire();
        final CommitOffsetsResponseEncoder response = codecs.commitOffsetsResponse
            .wrapAndApplyHeader(frame.buffer(), 0, codecs.headerEncoder)
            .correlationId(correlationId);
        final CommitOffsetsResponseEncoder.PartitionsEncoder entries = response.partitionsCount(requested.count());
        for (int i = 0; i < requested.count(); i++)
        {
            entries.next().topicId().high(requested.idHigh(i)).low(requested.idLow(i));
            entries.partition(requested.partition(i)).errorCode(errorCodes[i]);
        }
        connection.respond(requestSeq, NativeCodecs.finish(frame, response.encodedLength()));
    }
}
