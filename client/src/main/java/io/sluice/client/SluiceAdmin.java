package io.sluice.client;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.codecs.sbe.BooleanType;
import io.sluice.codecs.sbe.CreateTopicsRequestEncoder;
import io.sluice.codecs.sbe.CreateTopicsResponseDecoder;
import io.sluice.codecs.sbe.DeleteTopicsRequestEncoder;
import io.sluice.codecs.sbe.DeleteTopicsResponseDecoder;
import io.sluice.codecs.sbe.MessageHeaderDecoder;
import io.sluice.codecs.sbe.MessageHeaderEncoder;
import io.sluice.codecs.sbe.MetadataResponseDecoder;
import org.agrona.ExpandableArrayBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates, deletes, lists and describes topics over the native protocol. Each call is one request, answered
 * before it returns; it fails with {@link SluiceTimeoutException} after {@code requestTimeoutMs} and with
 * {@link SluiceException} (Kafka's error code and the broker's message) when the broker refuses.
 *
 * <p>Thread-safe: calls are serialised (one request at a time on one connection), made on the calling thread.
 */
public final class SluiceAdmin implements AutoCloseable
{
    private final ClientContext context;
    private final NativeConnection connection;
    private final RequestCaller caller;
    private final ControlRequests control = new ControlRequests();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    public SluiceAdmin(final ClientContext context)
    {
        this.context = context.conclude();
        this.connection = new NativeConnection(context, 4);
        this.caller = new RequestCaller(connection, context);
    }

    /**
     * Create a topic.
     *
     * @param partitions its partition count, -1 for the broker's {@code num.partitions}.
     * @param configs    topic config overrides ({@code retention.ms}, {@code cleanup.policy} ...).
     * @return the created topic.
     * @throws SluiceException with TOPIC_ALREADY_EXISTS (36), INVALID_CONFIG (40), INVALID_PARTITIONS (37) ...
     */
    public synchronized TopicDescription createTopic(
        final String name, final int partitions, final Map<String, String> configs)
    {
        return create(name, partitions, configs, false);
    }

    /** Check that {@link #createTopic} would succeed, creating nothing. */
    public synchronized void validateTopic(final String name, final int partitions, final Map<String, String> configs)
    {
        create(name, partitions, configs, true);
    }

    private TopicDescription create(
        final String name, final int partitions, final Map<String, String> configs, final boolean validateOnly)
    {
        final int correlationId = caller.nextCorrelationId();
        final ExpandableArrayBuffer buffer = ControlRequests.newRequestBuffer();
        final CreateTopicsRequestEncoder request = new CreateTopicsRequestEncoder()
            .wrapAndApplyHeader(buffer, ControlRequests.MESSAGE_OFFSET, headerEncoder)
            .correlationId(correlationId)
            .validateOnly(validateOnly ? BooleanType.TRUE : BooleanType.FALSE);
        final CreateTopicsRequestEncoder.TopicsEncoder topic = request.topicsCount(1).next()
            .partitionCount(partitions).replicationFactor((short)-1);
        final CreateTopicsRequestEncoder.TopicsEncoder.ConfigsEncoder entries = topic.configsCount(configs.size());
        for (final Map.Entry<String, String> config : configs.entrySet())
        {
            entries.next().configName(config.getKey()).configValue(config.getValue());
        }
        topic.name(name);
        final int at = caller.call(
            ControlRequests.frame(buffer, MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength()),
            correlationId, CreateTopicsResponseDecoder.TEMPLATE_ID, "CreateTopics '" + name + "'");
        headerDecoder.wrap(connection.buffer(), at);
        final CreateTopicsResponseDecoder.TopicsDecoder result = new CreateTopicsResponseDecoder()
            .wrapAndApplyHeader(connection.buffer(), at, headerDecoder).topics().next();
        final short code = result.errorCode();
        final UUID id = new UUID(result.topicId().high(), result.topicId().low());
        final int partitionCount = result.partitionCount();
        result.name();
        final String message = result.errorMessage();
        if (code != ErrorCodes.NONE)
        {
            throw new SluiceException(code, "creating topic '" + name + "' failed with error " + code + ": " + message);
        }
        return new TopicDescription(name, id, partitionCount, configs);
    }

    /**
     * Delete a topic and its data.
     *
     * @throws SluiceException with UNKNOWN_TOPIC_OR_PARTITION (3) when it does not exist, TOPIC_DELETION_DISABLED (73).
     */
    public synchronized void deleteTopic(final String name)
    {
        final int correlationId = caller.nextCorrelationId();
        final ExpandableArrayBuffer buffer = ControlRequests.newRequestBuffer();
        final DeleteTopicsRequestEncoder request = new DeleteTopicsRequestEncoder()
            .wrapAndApplyHeader(buffer, ControlRequests.MESSAGE_OFFSET, headerEncoder).correlationId(correlationId);
        request.topicsCount(1).next().name(name);
        final int at = caller.call(
            ControlRequests.frame(buffer, MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength()),
            correlationId, DeleteTopicsResponseDecoder.TEMPLATE_ID, "DeleteTopics '" + name + "'");
        headerDecoder.wrap(connection.buffer(), at);
        final DeleteTopicsResponseDecoder.TopicsDecoder result = new DeleteTopicsResponseDecoder()
            .wrapAndApplyHeader(connection.buffer(), at, headerDecoder).topics().next();
        final short code = result.errorCode();
        result.name();
        final String message = result.errorMessage();
        if (code != ErrorCodes.NONE)
        {
            throw new SluiceException(code, "deleting topic '" + name + "' failed with error " + code + ": " + message);
        }
    }

    /** The names of every topic, sorted. */
    public synchronized List<String> listTopics()
    {
        final List<String> names = new ArrayList<>();
        for (final TopicDescription topic : metadata(List.of()))
        {
            names.add(topic.name());
        }
        return names;
    }

    /**
     * Describe topics, with their config overrides.
     *
     * @throws SluiceException with UNKNOWN_TOPIC_OR_PARTITION (3) naming the first topic that does not exist.
     */
    public synchronized List<TopicDescription> describeTopics(final String... names)
    {
        final Map<String, Short> errors = new HashMap<>();
        final List<TopicDescription> topics = metadata(Arrays.asList(names), errors);
        if (!errors.isEmpty())
        {
            final Map.Entry<String, Short> first = errors.entrySet().iterator().next();
            throw new SluiceException(first.getValue(), "cannot describe topic '" + first.getKey() + "': " +
                (first.getValue() == 3 ? "it does not exist" : "error " + first.getValue()));
        }
        return topics;
    }

    private List<TopicDescription> metadata(final List<String> names)
    {
        return metadata(names, new HashMap<>());
    }

    private List<TopicDescription> metadata(final List<String> names, final Map<String, Short> errors)
    {
        final int correlationId = caller.nextCorrelationId();
        final int at = caller.call(control.metadata(correlationId, names, false, true), correlationId,
            MetadataResponseDecoder.TEMPLATE_ID, "Metadata");
        return control.topics(connection.buffer(), at, errors);
    }

    @Override
    public synchronized void close()
    {
        connection.close();
    }

    /** The broker this admin client talks to. */
    public String bootstrap()
    {
        return context.bootstrap();
    }
}
