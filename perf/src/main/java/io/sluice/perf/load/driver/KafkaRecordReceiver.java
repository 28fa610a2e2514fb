package io.sluice.perf.load.driver;

import java.time.Duration;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** A {@link RecordReceiver} over an assigned {@link KafkaConsumer}; values reach the handler through one reused view. */
final class KafkaRecordReceiver implements RecordReceiver
{
    private static final byte[] EMPTY = new byte[0];

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final UnsafeBuffer view = new UnsafeBuffer(EMPTY);

    KafkaRecordReceiver(final KafkaConsumer<byte[], byte[]> consumer)
    {
        this.consumer = consumer;
    }

    @Override
    public int poll(final RecordHandler handler, final long timeoutMs)
    {
        int count = 0;
        for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(timeoutMs)))
        {
            final byte[] value = record.value();
            final byte[] key = record.key();
            view.wrap(value == null ? EMPTY : value);
            handler.onRecord(view, view.capacity(), key == null ? 0 : key.length);
            count++;
        }
        return count;
    }

    @Override
    public void close()
    {
        consumer.close();
    }
}
