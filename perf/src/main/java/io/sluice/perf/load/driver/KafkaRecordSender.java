package io.sluice.perf.load.driver;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A {@link RecordSender} over a {@link KafkaProducer}; its serialiser copies key and value into the batch in send. */
final class KafkaRecordSender implements RecordSender
{
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    KafkaRecordSender(final String topic, final KafkaProducer<byte[], byte[]> producer)
    {
        this.topic = topic;
        this.producer = producer;
    }

    @Override
    public void send(final byte[] key, final byte[] value, final long intendedNanos, final SendCompletion completion)
    {
        producer.send(new ProducerRecord<>(topic, key, value),
            (metadata, error) -> completion.onComplete(intendedNanos, error));
    }

    @Override
    public void flush()
    {
        producer.flush();
    }

    @Override
    public void close()
    {
        producer.close();
    }
}
