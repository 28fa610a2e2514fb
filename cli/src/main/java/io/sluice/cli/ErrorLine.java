package io.sluice.cli;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one line a failed command prints: the cause a user can act on, without a stack trace.
 *
 * <p>Stateless.
 */
public final class ErrorLine
{
    private ErrorLine()
    {
    }

    /** The line for {@code failure}, unwrapping the future and client wrappers around the real cause. */
    public static String of(final Throwable failure)
    {
        final Throwable cause = unwrap(failure);
        if (cause instanceof CliFailure)
        {
            return cause.getMessage();
        }
        if (cause instanceof UnknownTopicOrPartitionException)
        {
            return "unknown topic or partition: " + firstLine(cause.getMessage());
        }
        if (cause instanceof GroupIdNotFoundException)
        {
            return "unknown group: " + firstLine(cause.getMessage());
        }
        if (cause instanceof TimeoutException)
        {
            return "the broker did not answer in time (" + firstLine(cause.getMessage()) + ")";
        }
        if (cause instanceof UnsupportedVersionException)
        {
            return "the broker does not support this: " + firstLine(cause.getMessage());
        }
        if (cause instanceof ApiException || cause instanceof KafkaException)
        {
            return firstLine(cause.getMessage()) + " (" + cause.getClass().getSimpleName() + ")";
        }
        if (cause instanceof java.io.IOException)
        {
            return firstLine(cause.getMessage());
        }
        return cause.getClass().getSimpleName() + ": " + firstLine(cause.getMessage());
    }

    private static Throwable unwrap(final Throwable failure)
    {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException ||
            cause instanceof picocli.CommandLine.ExecutionException) && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "no detail";
        }
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
