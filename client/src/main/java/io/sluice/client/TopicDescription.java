package io.sluice.client;

import java.util.Map;
import java.util.UUID;

/**
 * A topic as the broker describes it.
 *
 * @param name           the topic's name.
 * @param id             its id (a new topic of the same name gets a new one).
 * @param partitionCount its partitions, numbered from 0; the broker leads them all.
 * @param configs        its config overrides (what differs from the broker's defaults), when asked for.
 */
public record TopicDescription(String name, UUID id, int partitionCount, Map<String, String> configs)
{
    public TopicDescription
    {
        configs = Map.copyOf(configs);
    }
}
