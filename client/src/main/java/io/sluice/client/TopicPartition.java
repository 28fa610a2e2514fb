package io.sluice.client;

/**
 * A partition of a topic, by name: a key of {@link SluiceConsumer#commit(String, java.util.Map)} and
 * {@link SluiceConsumer#committed(String, java.util.Collection)}.
 */
public record TopicPartition(String topic, int partition)
{
    public TopicPartition
    {
        if (topic == null || topic.isEmpty())
        {
            throw new IllegalArgumentException("topic must be named");
        }
        if (partition < 0)
        {
            throw new IllegalArgumentException("invalid partition: " + partition);
        }
    }

    @Override
    public String toString()
    {
        return topic + "-" + partition;
    }
}
