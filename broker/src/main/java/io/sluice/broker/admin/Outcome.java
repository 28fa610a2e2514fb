package io.sluice.broker.admin;

import io.sluice.broker.topic.TopicRegistry.TopicResult;
import org.apache.kafka.common.protocol.Errors;

/** A Kafka error code and its message (null when none), as one result of an admin request carries them. */
record Outcome(short errorCode, String message)
{
    static final Outcome NONE = new Outcome(Errors.NONE.code(), null);

    static Outcome error(final Errors error, final String message)
    {
        return new Outcome(error.code(), message);
    }

    /** The code and message of a registry change's result. */
    static Outcome of(final TopicResult result)
    {
        return new Outcome(result.errorCode(), result.message());
    }
}
