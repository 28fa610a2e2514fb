package io.sluice.broker.admin;

import org.apache.kafka.common.Uuid;

import java.util.UUID;

/** Topic ids between the registry's {@link UUID} and Kafka's wire {@link Uuid}. Stateless. */
final class TopicIds
{
    private TopicIds()
    {
    }

    static Uuid toKafka(final UUID id)
    {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    static UUID fromKafka(final Uuid id)
    {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
