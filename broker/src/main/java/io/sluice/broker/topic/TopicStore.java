package io.sluice.broker.topic;

import io.sluice.broker.AtomicFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The topics of a broker on disk: one properties file in the first log directory, replaced atomically on
 * every change, read at startup. What it holds per topic is what cannot be rebuilt from the partition
 * directories: the id, the partition count, and the config overrides.
 *
 * <p>Not thread-safe: the registry calls it from the conductor thread (and from the main thread at startup).
 */
public final class TopicStore
{
    public static final String FILE_NAME = "sluice-topics.properties";

    private final Path file;

    public TopicStore(final Path dir)
    {
        this.file = dir.resolve(FILE_NAME);
    }

    /** One topic as stored. */
    public record StoredTopic(String name, UUID id, int partitions, Map<String, String> configs)
    {
    }

    public Path file()
    {
        return file;
    }

    /**
     * @return the stored topics, none when the file does not exist yet.
     * @throws IOException when the file cannot be read or does not parse.
     */
    public List<StoredTopic> load() throws IOException
    {
        final Properties properties = AtomicFile.read(file);
        final List<StoredTopic> topics = new ArrayList<>();
        if (properties == null)
        {
            return topics;
        }
        try
        {
            final int count = Integer.parseInt(properties.getProperty("topics", "0"));
            for (int i = 0; i < count; i++)
            {
                final String prefix = "topic." + i + ".";
                final String name = required(properties, prefix + "name");
                final UUID id = UUID.fromString(required(properties, prefix + "id"));
                final int partitions = Integer.parseInt(required(properties, prefix + "partitions"));
                final Map<String, String> configs = new TreeMap<>();
                final String configPrefix = prefix + "config.";
                for (final String key : properties.stringPropertyNames())
                {
                    if (key.startsWith(configPrefix))
                    {
                        configs.put(key.substring(configPrefix.length()), properties.getProperty(key));
                    }
                }
                topics.add(new StoredTopic(name, id, partitions, configs));
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException("corrupt " + file + ": " + ex.getMessage(), ex);
        }
        return topics;
    }

    /** Replace the stored topics with {@code topics}, durably. */
    public void save(final Collection<StoredTopic> topics) throws IOException
    {
        final Properties properties = new Properties();
        properties.setProperty("topics", Integer.toString(topics.size()));
        int i = 0;
        for (final StoredTopic topic : topics)
        {
            final String prefix = "topic." + i++ + ".";
            properties.setProperty(prefix + "name", topic.name());
            properties.setProperty(prefix + "id", topic.id().toString());
            properties.setProperty(prefix + "partitions", Integer.toString(topic.partitions()));
            for (final Map.Entry<String, String> config : topic.configs().entrySet())
            {
                properties.setProperty(prefix + "config." + config.getKey(), config.getValue());
            }
        }
        AtomicFile.write(file, properties, "Sluice topics: rewritten atomically on every change, do not edit");
    }

    private static String required(final Properties properties, final String key)
    {
        final String value = properties.getProperty(key);
        if (value == null)
        {
            throw new IllegalArgumentException("missing " + key);
        }
        return value;
    }
}
