package io.sluice.client;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.BooleanType;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.codecs.sbe.MessageHeaderEncoder;
import io.sluice.codecs.sbe.MetadataRequestEncoder;
import io.sluice.codecs.sbe.MetadataResponseDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Encodes control requests into fresh frames and decodes their answers into objects: the low-rate half of the
 * protocol, where clarity beats saving an allocation. Not thread-safe: one per owning thread.
 */
final class ControlRequests
{
    /** Where the SBE message starts in a frame: after the 4-byte size prefix. */
    static final int MESSAGE_OFFSET = Integer.BYTES;

    final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MetadataRequestEncoder metadataRequest = new MetadataRequestEncoder();
    private final MetadataResponseDecoder metadataResponse = new MetadataResponseDecoder();

    /** A buffer to encode one request into, its message header at {@link #MESSAGE_OFFSET}. */
    static ExpandableArrayBuffer newRequestBuffer()
    {
        return new ExpandableArrayBuffer(256);
    }

    /** Finish a request encoded at {@link #MESSAGE_OFFSET}: write its size prefix and wrap it for writing. */
    static ByteBuffer frame(final ExpandableArrayBuffer buffer, final int messageLength)
    {
        buffer.putInt(0, messageLength, ByteOrder.BIG_ENDIAN);
        return ByteBuffer.wrap(buffer.byteArray(), 0, MESSAGE_OFFSET + messageLength);
    }

    ByteBuffer metadata(
        final int correlationId, final Collection<String> names, final boolean autoCreate, final boolean includeConfigs)
    {
        final ExpandableArrayBuffer buffer = newRequestBuffer();
        metadataRequest.wrapAndApplyHeader(buffer, MESSAGE_OFFSET, headerEncoder)
            .correlationId(correlationId)
            .allowAutoCreate(autoCreate ? BooleanType.TRUE : BooleanType.FALSE)
            .includeConfigs(includeConfigs ? BooleanType.TRUE : BooleanType.FALSE);
        final MetadataRequestEncoder.TopicsEncoder topics = metadataRequest.topicsCount(names.size());
        for (final String name : names)
        {
            topics.next().name(name);
        }
        return frame(buffer, MessageHeaderEncoder.ENCODED_LENGTH + metadataRequest.encodedLength());
    }

    /**
     * Decode a metadata response at {@code offset}.
     *
     * @param errors gets the error code of every topic that could not be described, by name.
     */
    List<TopicDescription> topics(final DirectBuffer buffer, final int offset, final Map<String, Short> errors)
    {
        headerDecoder.wrap(buffer, offset);
        metadataResponse.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final List<TopicDescription> topics = new ArrayList<>();
        for (final MetadataResponseDecoder.TopicsDecoder topic : metadataResponse.topics())
        {
            final short errorCode = topic.errorCode();
            final UUID id = new UUID(topic.topicId().high(), topic.topicId().low());
            final int partitionCount = topic.partitionCount();
            final Map<String, String> configs = new HashMap<>();
            for (final MetadataResponseDecoder.TopicsDecoder.ConfigsDecoder config : topic.configs())
            {
                configs.put(config.configName(), config.configValue());
            }
            final String name = topic.name();
            if (errorCode == ErrorCodes.NONE)
            {
                topics.add(new TopicDescription(name, id, partitionCount, configs));
            }
            else
            {
                errors.put(name, errorCode);
            }
        }
        return topics;
    }
}
