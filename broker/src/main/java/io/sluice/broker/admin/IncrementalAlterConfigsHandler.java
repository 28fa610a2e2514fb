package io.sluice.broker.admin;

import io.sluice.broker.kafka.KafkaControlApi;
import io.sluice.broker.kafka.KafkaControlRequest;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicConfigs;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * IncrementalAlterConfigs (versions 0-1) for topics: SET and DELETE any topic config, APPEND and SUBTRACT for
 * list-typed ones ({@code cleanup.policy}), checked as Kafka's controller checks them (a resource or key given
 * twice and null values are INVALID_REQUEST; unknown configs, bad values and APPEND to a non-list are
 * INVALID_CONFIG; then an unknown topic is UNKNOWN_TOPIC_OR_PARTITION). A change is stored durably and applied
 * to every partition's log before it is answered; {@code validateOnly} changes nothing. Setting a BROKER
 * config is refused (Sluice has none that can change while it runs); deleting one changes nothing, as in Kafka.
 *
 * <p>Runs on the conductor thread (it changes the topic registry); answers from there.
 */
final class IncrementalAlterConfigsHandler implements KafkaControlApi
{
    private final ConfigAlterations alterations;

    IncrementalAlterConfigsHandler(final ConfigAlterations alterations)
    {
        this.alterations = alterations;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        handle(request.data(IncrementalAlterConfigsRequestData.class), request::respond);
    }

    void handle(
        final IncrementalAlterConfigsRequestData data, final Consumer<IncrementalAlterConfigsResponseData> onResponse)
    {
        final Map<String, Integer> occurrences = new HashMap<>();
        for (final AlterConfigsResource resource : data.resources())
        {
            occurrences.merge(key(resource), 1, Integer::sum);
        }
        final IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData().setThrottleTimeMs(0);
        final List<AlterConfigsResourceResponse> results = new ArrayList<>();
        final Countdown countdown = new Countdown(() ->
        {
            response.setResponses(results);
            onResponse.accept(response);
        });
        for (final AlterConfigsResource resource : data.resources())
        {
            final AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
                .setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName())
                .setErrorCode(Errors.NONE.code())
                .setErrorMessage(null);
            results.add(result);
            final Outcome invalid = occurrences.get(key(resource)) > 1 ?
                Outcome.error(Errors.INVALID_REQUEST, ConfigAlterations.RESOURCE_TWICE) : checkRequest(resource);
            if (invalid != null)
            {
                fill(result, invalid);
            }
            else if (resource.resourceType() == ConfigResource.Type.TOPIC.id())
            {
                alterTopic(resource, data.validateOnly(), result, countdown);
            }
            else
            {
                final List<String> set = new ArrayList<>();
                resource.configs().forEach(config ->
                {
                    if (config.configOperation() != OpType.DELETE.id())
                    {
                        set.add(config.name());
                    }
                });
                fill(result, alterations.alterBroker(resource.resourceName(), set));
            }
        }
        countdown.countDown();
    }

    /** The checks Kafka makes of any resource before its type matters, or null when they pass. */
    private static Outcome checkRequest(final AlterConfigsResource resource)
    {
        final Set<String> names = new HashSet<>();
        final List<String> nulls = new ArrayList<>();
        for (final AlterableConfig config : resource.configs())
        {
            if (!names.add(config.name()))
            {
                return Outcome.error(Errors.INVALID_REQUEST, ConfigAlterations.DUPLICATE_KEYS);
            }
            if (OpType.forId(config.configOperation()) == null)
            {
                return Outcome.error(Errors.INVALID_REQUEST, "Unknown operations type " + config.configOperation());
            }
            if (config.configOperation() != OpType.DELETE.id() && config.value() == null)
            {
                nulls.add(config.name());
            }
        }
        if (!nulls.isEmpty())
        {
            return Outcome.error(Errors.INVALID_REQUEST, "Null value not supported for : " + String.join(", ", nulls));
        }
        return ConfigAlterations.checkType(resource.resourceType());
    }

    private void alterTopic(
        final AlterConfigsResource resource,
        final boolean validateOnly,
        final AlterConfigsResourceResponse result,
        final Countdown countdown)
    {
        final String name = resource.resourceName();
        final Outcome badName = ConfigAlterations.checkTopicName(name);
        if (badName != null)
        {
            fill(result, badName);
            return;
        }
        final Topic topic = alterations.topics().snapshot().topic(name);
        final Map<String, String> current = topic != null ? topic.configs() : Map.of();
        final Map<String, String> altered = new TreeMap<>(current);
        final Outcome invalid = apply(resource.configs(), current, altered);
        if (invalid != null)
        {
            fill(result, invalid);
            return;
        }
        countdown.add();
        alterations.replaceTopicConfigs(name, altered, validateOnly, outcome ->
        {
            fill(result, outcome);
            countdown.countDown();
        });
    }

    /** Apply {@code ops} to {@code altered}; the error when one names an unknown config or makes a bad value. */
    private Outcome apply(
        final Iterable<AlterableConfig> ops, final Map<String, String> current, final Map<String, String> altered)
    {
        for (final AlterableConfig op : ops)
        {
            final String name = op.name();
            final OpType type = OpType.forId(op.configOperation());
            if (type == OpType.DELETE)
            {
                altered.remove(name);
                continue;
            }
            if (type == OpType.SET)
            {
                altered.put(name, op.value());
            }
            else if (ConfigDescriber.topicConfigType(name) != ConfigType.LIST)
            {
                return Outcome.error(Errors.INVALID_CONFIG,
                    "Can't " + type + " to key " + name + " because its type is not LIST.");
            }
            else
            {
                final String base = altered.containsKey(name) ? altered.get(name) :
                    TopicConfigs.value(name, current, alterations.topics().brokerConfig());
                altered.put(name, String.join(",", combine(base, op.value(), type)));
            }
            final Outcome invalid = ConfigAlterations.checkTopicConfig(name, altered.get(name));
            if (invalid != null)
            {
                return invalid;
            }
        }
        return null;
    }

    /** The items of list {@code base} with those of {@code change} appended (once each) or subtracted. */
    private static List<String> combine(final String base, final String change, final OpType type)
    {
        final List<String> items = new ArrayList<>();
        for (final String item : base.split(","))
        {
            if (!item.isEmpty())
            {
                items.add(item);
            }
        }
        for (final String item : change.split(","))
        {
            if (type == OpType.SUBTRACT)
            {
                items.remove(item);
            }
            else if (!items.contains(item))
            {
                items.add(item);
            }
        }
        return items;
    }

    private static String key(final AlterConfigsResource resource)
    {
        return resource.resourceType() + ":" + resource.resourceName();
    }

    private static void fill(final AlterConfigsResourceResponse result, final Outcome outcome)
    {
        result.setErrorCode(outcome.errorCode()).setErrorMessage(outcome.message());
    }
}
