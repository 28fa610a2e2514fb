package io.sluice.broker.admin;

import io.sluice.broker.BrokerConfig;
import io.sluice.broker.kafka.KafkaControlApi;
import io.sluice.broker.kafka.KafkaControlRequest;
import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicConfigs;
import io.sluice.broker.topic.TopicName;
import io.sluice.broker.topic.TopicRegistry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * DescribeConfigs (versions 1-4) for TOPIC resources (every topic config Sluice has, with its effective value
 * and source) and the BROKER resource named by this node's id (every broker property, read-only, since Sluice
 * has no dynamic broker configs; the empty name, Kafka's cluster-wide dynamic defaults, has none). Synonyms
 * are listed when asked for; documentation is not given. Other resource types (broker loggers, groups, client
 * metrics) get INVALID_REQUEST with a message.
 *
 * <p>Runs on the conductor thread; reads the published topic snapshot and the immutable broker config.
 */
final class DescribeConfigsHandler implements KafkaControlApi
{
    private final TopicRegistry topics;
    private final ConfigDescriber describer;
    private final int nodeId;

    DescribeConfigsHandler(final TopicRegistry topics, final ConfigDescriber describer, final int nodeId)
    {
        this.topics = topics;
        this.describer = describer;
        this.nodeId = nodeId;
    }

    @Override
    public void onRequest(final KafkaControlRequest request)
    {
        handle(request.data(DescribeConfigsRequestData.class), request::respond);
    }

    void handle(final DescribeConfigsRequestData data, final Consumer<DescribeConfigsResponseData> onResponse)
    {
        final DescribeConfigsResponseData response = new DescribeConfigsResponseData().setThrottleTimeMs(0);
        for (final DescribeConfigsResource resource : data.resources())
        {
            final DescribeConfigsResult result = new DescribeConfigsResult()
                .setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName())
                .setErrorCode(Errors.NONE.code())
                .setErrorMessage(null);
            describe(resource, data.includeSynonyms(), result);
            response.results().add(result);
        }
        onResponse.accept(response);
    }

    private void describe(final DescribeConfigsResource resource, final boolean synonyms, final DescribeConfigsResult result)
    {
        final ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        final String name = resource.resourceName();
        if (type == ConfigResource.Type.TOPIC)
        {
            final String invalid = TopicName.invalidReason(name);
            final Topic topic = invalid == null ? topics.snapshot().topic(name) : null;
            if (invalid != null)
            {
                fail(result, Errors.INVALID_TOPIC_EXCEPTION, invalid);
            }
            else if (topic == null)
            {
                fail(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
            }
            else
            {
                final List<DescribeConfigsResourceResult> configs = new ArrayList<>();
                for (final String config : TopicConfigs.names())
                {
                    if (wanted(resource, config))
                    {
                        configs.add(describer.topicConfig(config, topic.configs(), synonyms));
                    }
                }
                result.setConfigs(configs);
            }
        }
        else if (type == ConfigResource.Type.BROKER)
        {
            if (name == null || name.isEmpty())
            {
                return;
            }
            final String wrongNode = BrokerResources.wrongNodeReason(name, nodeId);
            if (wrongNode != null)
            {
                fail(result, Errors.INVALID_REQUEST, wrongNode);
                return;
            }
            final List<DescribeConfigsResourceResult> configs = new ArrayList<>();
            for (final String key : BrokerConfig.defaults().keySet())
            {
                if (wanted(resource, key))
                {
                    configs.add(describer.brokerConfig(key, synonyms));
                }
            }
            result.setConfigs(configs);
        }
        else if (type == ConfigResource.Type.UNKNOWN)
        {
            fail(result, Errors.INVALID_REQUEST, "Unsupported resource type: " + resource.resourceType());
        }
        else
        {
            fail(result, Errors.INVALID_REQUEST, type + " configs are not supported by this broker");
        }
    }

    /** Kafka treats a null or empty key list as "every config". */
    private static boolean wanted(final DescribeConfigsResource resource, final String config)
    {
        return resource.configurationKeys() == null || resource.configurationKeys().isEmpty() ||
            resource.configurationKeys().contains(config);
    }

    private static void fail(final DescribeConfigsResult result, final Errors error, final String message)
    {
        result.setErrorCode(error.code()).setErrorMessage(message).setConfigs(new ArrayList<>());
    }
}
