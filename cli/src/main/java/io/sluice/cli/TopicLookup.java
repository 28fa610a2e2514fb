package io.sluice.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.List;
import java.util.concurrent.ExecutionException;

/** Looks a topic up without creating it, and turns "no such topic" into the command's one-line failure. */
public final class TopicLookup
{
    private TopicLookup()
    {
    }

    /**
     * The description of {@code topic}.
     *
     * @throws CliFailure "unknown topic 'name'" when the broker does not have it.
     */
    public static TopicDescription describe(final Admin admin, final String topic) throws InterruptedException
    {
        try
        {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof UnknownTopicOrPartitionException)
            {
                throw new CliFailure("unknown topic '" + topic + "'");
            }
            throw new CliFailure(ErrorLine.of(ex));
        }
    }
}
