package io.sluice.broker.admin;

import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicConfigs;
import io.sluice.broker.topic.TopicName;
import io.sluice.broker.topic.TopicRegistry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What the incremental and the legacy AlterConfigs share: Kafka's checks of a resource, of a topic override,
 * and of the BROKER resource (Sluice has no dynamic broker configs, so changing one is refused as Kafka refuses
 * its read-only ones), and the durable change of a topic's overrides through the registry.
 *
 * <p>Conductor thread only.
 */
final class ConfigAlterations
{
    static final String RESOURCE_TWICE = "Each resource must appear at most once.";
    static final String DUPLICATE_KEYS = "Error due to duplicate config keys";

    private final TopicRegistry topics;
    private final int nodeId;

    ConfigAlterations(final TopicRegistry topics, final int nodeId)
    {
        this.topics = topics;
        this.nodeId = nodeId;
    }

    TopicRegistry topics()
    {
        return topics;
    }

    /** The refusal of a resource type other than TOPIC and BROKER, or null for those two. */
    static Outcome checkType(final byte resourceType)
    {
        final ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
        if (type == ConfigResource.Type.UNKNOWN)
        {
            return Outcome.error(Errors.INVALID_REQUEST, "Unknown resource type " + resourceType);
        }
        if (type != ConfigResource.Type.TOPIC && type != ConfigResource.Type.BROKER)
        {
            return Outcome.error(Errors.INVALID_REQUEST, type + " configs are not supported by this broker");
        }
        return null;
    }

    /** The refusal of a topic resource's name (empty: Kafka's cluster default, not allowed; illegal), or null. */
    static Outcome checkTopicName(final String name)
    {
        if (name.isEmpty())
        {
            return Outcome.error(Errors.INVALID_REQUEST, "Default topic resources are not allowed.");
        }
        final String invalid = TopicName.invalidReason(name);
        return invalid != null ? Outcome.error(Errors.INVALID_TOPIC_EXCEPTION, invalid) : null;
    }

    /** The refusal of {@code value} as a topic's override of {@code name}, or null when it is valid. */
    static Outcome checkTopicConfig(final String name, final String value)
    {
        if (!TopicConfigs.isKnown(name))
        {
            return Outcome.error(Errors.INVALID_CONFIG, "Unknown topic config name: " + name);
        }
        final String invalid = TopicConfigs.invalidReason(name, value);
        return invalid != null ? Outcome.error(Errors.INVALID_CONFIG, invalid) : null;
    }

    /**
     * The answer to changing {@code keys} on the BROKER resource {@code name}: a name other than empty or this
     * node's id is INVALID_REQUEST, and so is any key, since none can change while the broker runs.
     */
    Outcome alterBroker(final String name, final Collection<String> keys)
    {
        if (!name.isEmpty())
        {
            final String wrongNode = BrokerResources.wrongNodeReason(name, nodeId);
            if (wrongNode != null)
            {
                return Outcome.error(Errors.INVALID_REQUEST, wrongNode);
            }
        }
        if (!keys.isEmpty())
        {
            return Outcome.error(Errors.INVALID_REQUEST, "Cannot update these configs dynamically: " + new TreeSet<>(keys) +
                " (Sluice has no dynamic broker configs: set them in the broker's properties and restart)");
        }
        return Outcome.NONE;
    }

    /**
     * Make {@code overrides} (already checked) the whole set of topic {@code name}'s overrides: stored, then
     * applied to every partition's log. {@code onDone} gets UNKNOWN_TOPIC_OR_PARTITION when there is no such
     * topic, NONE at once when {@code validateOnly} or nothing changes, else the registry's result later
     * (on the conductor thread).
     */
    void replaceTopicConfigs(
        final String name, final Map<String, String> overrides, final boolean validateOnly, final Consumer<Outcome> onDone)
    {
        final Topic topic = topics.snapshot().topic(name);
        if (topic == null)
        {
            onDone.accept(Outcome.error(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist."));
            return;
        }
        if (validateOnly || overrides.equals(topic.configs()))
        {
            onDone.accept(Outcome.NONE);
            return;
        }
        topics.alterConfigs(name, overrides, done -> onDone.accept(Outcome.of(done)));
    }
}
