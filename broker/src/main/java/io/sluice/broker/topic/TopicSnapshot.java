package io.sluice.broker.topic;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Every topic at one moment, by name and by id. Immutable; the registry publishes a new one per change. */
public final class TopicSnapshot
{
    static final TopicSnapshot EMPTY = new TopicSnapshot(new TreeMap<>());

    private final TreeMap<String, Topic> byName;
    private final Map<UUID, Topic> byId = new HashMap<>();

    TopicSnapshot(final TreeMap<String, Topic> byName)
    {
        this.byName = byName;
        for (final Topic topic : byName.values())
        {
            byId.put(topic.id(), topic);
        }
    }

    /** The topic named {@code name}, or null. */
    public Topic topic(final String name)
    {
        return byName.get(name);
    }

    /** The topic with id {@code id}, or null. */
    public Topic topic(final UUID id)
    {
        return byId.get(id);
    }

    /** Every topic, sorted by name. */
    public Collection<Topic> topics()
    {
        return Collections.unmodifiableCollection(byName.values());
    }

    TopicSnapshot with(final Topic topic)
    {
        final TreeMap<String, Topic> next = new TreeMap<>(byName);
        next.put(topic.name(), topic);
        return new TopicSnapshot(next);
    }

    TopicSnapshot without(final String name)
    {
        final TreeMap<String, Topic> next = new TreeMap<>(byName);
        next.remove(name);
        return new TopicSnapshot(next);
    }
}
