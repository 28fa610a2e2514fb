package io.sluice.broker.admin;

import io.sluice.broker.kafka.KafkaControlApi;
import io.sluice.broker.kafka.KafkaControlRequest;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The legacy AlterConfigs (versions 0-2), which kafkajs and librdkafka's {@code alter_configs} still send: the
 * configs given become a topic's whole set of overrides (any not given go back to the broker default), checked
 * as in the incremental API. BROKER configs cannot change while Sluice runs and are refused.
 *
 * <p>Runs on the conductor thread (it changes the topic registry); answers from there.
 */
final class AlterConfigsHandler implements KafkaControlApi
{
    private final ConfigAlterations alterations;

    AlterConfigsHandler(final ConfigAlterations alterations)
    {
        this.alterations = alterations;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        handle(request.data(AlterConfigsRequestData.class), request::respond);
    }

    void handle(final AlterConfigsRequestData data, final Consumer<AlterConfigsResponseData> onResponse)
    {
        final Map<String, Integer> occurrences = new HashMap<>();
        for (final AlterConfigsResource resource : data.resources())
        {
            occurrences.merge(resource.resourceType() + ":" + resource.resourceName(), 1, Integer::sum);
        }
        final AlterConfigsResponseData response = new AlterConfigsResponseData().setThrottleTimeMs(0);
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
            final Map<String, String> configs = new TreeMap<>();
            final Outcome invalid = occurrences.get(resource.resourceType() + ":" + resource.resourceName()) > 1 ?
                Outcome.error(Errors.INVALID_REQUEST, ConfigAlterations.RESOURCE_TWICE) : collect(resource, configs);
            if (invalid != null)
            {
                fill(result, invalid);
            }
            else if (resource.resourceType() == ConfigResource.Type.BROKER.id())
            {
                fill(result, alterations.alterBroker(resource.resourceName(), configs.keySet()));
            }
            else
            {
                countdown.add();
                alterations.replaceTopicConfigs(resource.resourceName(), configs, data.validateOnly(), outcome ->
                {
                    fill(result, outcome);
                    countdown.countDown();
                });
            }
        }
        countdown.countDown();
    }

    /** Put the resource's configs in {@code configs}; the error when the resource or a config is refused. */
    private static Outcome collect(final AlterConfigsResource resource, final Map<String, String> configs)
    {
        final List<String> nulls = new ArrayList<>();
        for (final AlterableConfig config : resource.configs())
        {
            if (configs.containsKey(config.name()))
            {
                return Outcome.error(Errors.INVALID_REQUEST, ConfigAlterations.DUPLICATE_KEYS);
            }
            configs.put(config.name(), config.value());
            if (config.value() == null)
            {
                nulls.add(config.name());
            }
        }
        if (!nulls.isEmpty())
        {
            return Outcome.error(Errors.INVALID_REQUEST, "Null value not supported for : " + String.join(", ", nulls));
        }
        final Outcome badType = ConfigAlterations.checkType(resource.resourceType());
        if (badType != null || resource.resourceType() == ConfigResource.Type.BROKER.id())
        {
            return badType;
        }
        final Outcome badName = ConfigAlterations.checkTopicName(resource.resourceName());
        if (badName != null)
        {
            return badName;
        }
        for (final Map.Entry<String, String> config : configs.entrySet())
        {
            final Outcome invalid = ConfigAlterations.checkTopicConfig(config.getKey(), config.getValue());
            if (invalid != null)
            {
                return invalid;
            }
        }
        return null;
    }

    private static void fill(final AlterConfigsResourceResponse result, final Outcome outcome)
    {
        result.setErrorCode(outcome.errorCode()).setErrorMessage(outcome.message());
    }
}
