package io.sluice.perf.load.driver;

import io.sluice.client.RecordView;
import io.sluice.client.SluiceConsumer;
import org.agrona.concurrent.UnsafeBuffer;

/** Receives with the native consumer: each value is handed over in place, through one reused view. One thread. */
final class NativeRecordReceiver implements RecordReceiver
{
    private final SluiceConsumer consumer;
    private final UnsafeBuffer value = new UnsafeBuffer(0, 0);

    NativeRecordReceiver(final SluiceConsumer consumer)
    {
        this.consumer = consumer;
    }

    @Override
    public int poll(final RecordHandler handler, final long timeoutMs)
    {
        final RecordView records = consumer.poll(timeoutMs);
        int count = 0;
        while (records.next())
        {
            final int length = Math.max(0, records.valueLength());
            value.wrap(records.buffer(), records.valueOffset(), length);
            handler.onRecord(value, length, Math.max(0, records.keyLength()));
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
