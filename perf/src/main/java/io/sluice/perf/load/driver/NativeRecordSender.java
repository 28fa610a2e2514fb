package io.sluice.perf.load.driver;

import io.sluice.client.SendCallback;
import io.sluice.client.SluiceProducer;

/**
 * Sends with the native producer: one callback object for every record, the due time carried as the record's
 * context, so a send allocates nothing. {@link #send} is called by one thread; completions arrive on the producer's
 * I/O thread, or inside {@link #invoke()} when the producer is in invoker mode.
 */
final class NativeRecordSender implements RecordSender
{
    private final String topic;
    private final SluiceProducer producer;
    private SendCompletion completion;
    private final SendCallback callback = (topic, partition, offset, intendedNanos, error) ->
        completion.onComplete(intendedNanos, error);

    NativeRecordSender(final String topic, final SluiceProducer producer)
    {
        this.topic = topic;
        this.producer = producer;
    }

    @Override
    public void send(final byte[] key, final byte[] value, final long intendedNanos, final SendCompletion completion)
    {
        this.completion = completion;
        producer.send(topic, key, value, callback, intendedNanos);
    }

    @Override
    public int invoke()
    {
        return producer.invoke();
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
