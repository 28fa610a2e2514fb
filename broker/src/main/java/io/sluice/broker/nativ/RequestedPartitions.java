package io.sluice.broker.nativ;

import java.util.UUID;

import io.sluice.broker.topic.Topic;
import io.sluice.broker.topic.TopicSnapshot;

/**
 * The partitions a native group-offsets request names (CommitOffsets, FetchOffsets), in request order, as its
 * answer lists them again: each one's topic id and partition, and which of them name a topic the registry knows,
 * the only ones the group coordinator is asked about (the others are answered UNKNOWN_TOPIC_ID).
 *
 * <p>Not thread-safe: filled on the event loop, then read by the coordinator's thread that answers (the hand-off
 * to the coordinator orders the two).
 */
final class RequestedPartitions
{
    private final TopicSnapshot snapshot;
    private final long[] topicIds;
    private final int[] partitions;
    private final int[] knownAt;
    private int count;
    private int knownCount;

    RequestedPartitions(final TopicSnapshot snapshot, final int capacity)
    {
        this.snapshot = snapshot;
        this.topicIds = new long[2 * capacity];
        this.partitions = new int[capacity];
        this.knownAt = new int[capacity];
    }

    /**
     * Add the next partition of the request.
     *
     * @return its topic, or null when no topic has the id.
     */
    Topic add(final long idHigh, final long idLow, final int partition)
    {
        topicIds[2 * count] = idHigh;
        topicIds[2 * count + 1] = idLow;
        partitions[count] = partition;
        final Topic topic = snapshot.topic(new UUID(idHigh, idLow));
        if (topic != null)
        {
            knownAt[knownCount++] = count;
        }
        count++;
        return topic;
    }

    int count()
    {
        return count;
    }

    boolean noneKnown()
    {
        return knownCount == 0;
    }

    /** Where in the request the {@code k}th partition of a known topic is. */
    int knownAt(final int k)
    {
        return knownAt[k];
    }

    long idHigh(final int index)
    {
        return topicIds[2 * index];
    }

    long idLow(final int index)
    {
        return topicIds[2 * index + 1];
    }

    int partition(final int index)
    {
        return partitions[index];
    }
}
