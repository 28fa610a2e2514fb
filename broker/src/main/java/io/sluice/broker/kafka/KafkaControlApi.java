package io.sluice.broker.kafka;

/**
 * A Kafka API served from the request as Kafka's generated classes decode it: the control plane (metadata,
 * topic administration, producer ids), where requests are rare and shapes many. Called on the thread the API
 * was registered for ({@link KafkaApiTable.Runs}); may answer later, from any thread, with
 * {@link KafkaControlRequest#respond}.
 */
@FunctionalInterface
public interface KafkaControlApi
{
    void onRequest(KafkaControlRequest request);
}
