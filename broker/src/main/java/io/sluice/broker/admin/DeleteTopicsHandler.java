package io.sluice.broker.admin;

import io.sluice.broker.kafka.KafkaControlApi;
import io.sluice.broker.kafka.KafkaControlRequest;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicRegistry;
import io.sluice.broker.topic.TopicSnapshot;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * DeleteTopics (versions 1-6): topics by name, or from version 6 by name or by id, with Kafka's answers for a
 * topic named twice, named and id'd at once, or neither; an unknown name (UNKNOWN_TOPIC_OR_PARTITION) or id
 * (UNKNOWN_TOPIC_ID); {@code __consumer_offsets} (INVALID_REQUEST: the registry keeps it); and
 * {@code delete.topic.enable=false} (TOPIC_DELETION_DISABLED, INVALID_REQUEST before version 3). A deleted topic
 * leaves metadata at once; the answer comes when its logs are gone.
 *
 * <p>Runs on the conductor thread (it changes the topic registry); answers from there.
 */
final class DeleteTopicsHandler implements KafkaControlApi
{
    private final TopicRegistry topics;

    DeleteTopicsHandler(final TopicRegistry topics)
    {
        this.topics = topics;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        handle(request.data(DeleteTopicsRequestData.class), request.apiVersion(), request::respond);
    }

    void handle(final DeleteTopicsRequestData data, final short version, final Consumer<DeleteTopicsResponseData> onResponse)
    {
        final DeleteTopicsResponseData response = new DeleteTopicsResponseData().setThrottleTimeMs(0);
        final List<DeletableTopicResult> results = new ArrayList<>();
        final Countdown countdown = new Countdown(() ->
        {
            results.forEach(response.responses()::add);
            onResponse.accept(response);
        });
        if (!topics.brokerConfig().deleteTopicEnable())
        {
            final short error = version < 3 ? Errors.INVALID_REQUEST.code() : Errors.TOPIC_DELETION_DISABLED.code();
            final String message = version < 3 ? "Topic deletion is disabled." : null;
            data.topicNames().forEach(name -> results.add(result(name, Uuid.ZERO_UUID, error, message)));
            data.topics().forEach(topic -> results.add(result(topic.name(), topic.topicId(), error, message)));
            countdown.countDown();
            return;
        }

        final Set<String> names = new LinkedHashSet<>();
        final Set<String> duplicateNames = new LinkedHashSet<>();
        final Set<Uuid> ids = new LinkedHashSet<>();
        final Set<Uuid> duplicateIds = new LinkedHashSet<>();
        data.topicNames().forEach(name -> addOnce(name, names, duplicateNames));
        for (final DeleteTopicState topic : data.topics())
        {
            final boolean hasId = !Uuid.ZERO_UUID.equals(topic.topicId());
            if (topic.name() == null && !hasId)
            {
                results.add(result(null, Uuid.ZERO_UUID, Errors.INVALID_REQUEST.code(),
                    "Neither topic name nor id were specified."));
            }
            else if (topic.name() == null)
            {
                addOnce(topic.topicId(), ids, duplicateIds);
            }
            else if (hasId)
            {
                results.add(result(topic.name(), topic.topicId(), Errors.INVALID_REQUEST.code(),
                    "You may not specify both topic name and topic id."));
            }
            else
            {
                addOnce(topic.name(), names, duplicateNames);
            }
        }
        duplicateNames.forEach(name ->
            results.add(result(name, Uuid.ZERO_UUID, Errors.INVALID_REQUEST.code(), "Duplicate topic name.")));
        duplicateIds.forEach(id -> results.add(result(null, id, Errors.INVALID_REQUEST.code(), "Duplicate topic id.")));

        final TopicSnapshot snapshot = topics.snapshot();
        final Map<Uuid, String> toDelete = new LinkedHashMap<>();
        for (final Uuid id : ids)
        {
            final Topic topic = snapshot.topic(TopicIds.fromKafka(id));
            if (topic == null)
            {
                results.add(result(null, id, Errors.UNKNOWN_TOPIC_ID.code(), Errors.UNKNOWN_TOPIC_ID.message()));
            }
            else
            {
                toDelete.put(id, topic.name());
            }
        }
        for (final String name : names)
        {
            final Topic topic = snapshot.topic(name);
            if (topic == null)
            {
                results.add(result(name, Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    Errors.UNKNOWN_TOPIC_OR_PARTITION.message()));
                continue;
            }
            final Uuid id = TopicIds.toKafka(topic.id());
            if (duplicateIds.contains(id) || toDelete.remove(id) != null)
            {
                results.add(result(name, id, Errors.INVALID_REQUEST.code(),
                    "The provided topic name maps to an ID that was already supplied."));
                continue;
            }
            toDelete.put(id, name);
        }

        for (final Map.Entry<Uuid, String> entry : toDelete.entrySet())
        {
            countdown.add();
            topics.delete(entry.getValue(), deleted ->
            {
                results.add(result(entry.getValue(), entry.getKey(), deleted.errorCode(), deleted.message()));
                countdown.countDown();
            });
        }
        countdown.countDown();
    }

    private static <T> void addOnce(final T key, final Set<T> once, final Set<T> duplicates)
    {
        if (duplicates.contains(key) || !once.add(key))
        {
            duplicates.add(key);
            once.remove(key);
        }
    }

    private static DeletableTopicResult result(final String name, final Uuid id, final short error, final String message)
    {
        return new DeletableTopicResult().setName(name).setTopicId(id).setErrorCode(error).setErrorMessage(message);
    }
}
