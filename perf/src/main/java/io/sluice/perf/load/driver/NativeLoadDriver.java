package io.sluice.perf.load.driver;

import io.sluice.client.ClientContext;
import io.sluice.client.SluiceAdmin;
import io.sluice.client.SluiceConsumer;
import io.sluice.client.SluiceException;
import io.sluice.client.SluiceProducer;

import java.util.Map;

/**
 * Drives Sluice's NATIVE listener with the thin native client ({@code client/}): {@link SluiceProducer},
 * {@link SluiceConsumer} and {@link SluiceAdmin}. Batches are uncompressed (the native producer does not
 * compress), so any compression but "none" is refused.
 */
public final class NativeLoadDriver implements LoadDriver
{
    private static final short TOPIC_ALREADY_EXISTS = 36;

    private final String bootstrap;
    private final Map<String, String> consumerExtra;

    /**
     * @param bootstrap     host:port of the NATIVE listener
     * @param consumerExtra consumer settings: fetch.max.bytes, max.partition.fetch.bytes, fetch.max.wait.ms,
     *                      receive.buffer.bytes (Kafka's names), others refused
     */
    public NativeLoadDriver(final String bootstrap, final Map<String, String> consumerExtra)
    {
        this.bootstrap = bootstrap;
        this.consumerExtra = Map.copyOf(consumerExtra);
    }

    private ClientContext context()
    {
        return new ClientContext().bootstrap(bootstrap).requestTimeoutMs(30_000);
    }

    @Override
    public int ensureTopic(final String topic, final int partitions)
    {
        try (SluiceAdmin admin = new SluiceAdmin(context()))
        {
            try
            {
                admin.createTopic(topic, partitions, Map.of());
            }
            catch (final SluiceException ex)
            {
                if (ex.errorCode() != TOPIC_ALREADY_EXISTS)
                {
                    throw new IllegalStateException("cannot create topic " + topic + ": " + ex.getMessage(), ex);
                }
            }
            return admin.describeTopics(topic).get(0).partitionCount();
        }
    }

    @Override
    public long recordCount(final String topic)
    {
        try (SluiceConsumer consumer = new SluiceConsumer(context()))
        {
            consumer.assign(topic);
            final int partitions = ensureTopic(topic, 1);
            long count = 0;
            for (int partition = 0; partition < partitions; partition++)
            {
                consumer.seekToEnd(topic, partition);
                final long end = consumer.position(topic, partition);
                consumer.seekToBeginning(topic, partition);
                count += end - consumer.position(topic, partition);
            }
            return count;
        }
    }

    @Override
    public RecordSender openSender(final String topic, final SenderSettings settings)
    {
        if (!"none".equals(settings.compression()))
        {
            throw new IllegalArgumentException("the native producer sends uncompressed batches: --compression none");
        }
        final ClientContext context = context()
            .acks("all".equals(settings.acks()) ? -1 : Integer.parseInt(settings.acks()))
            .batchSizeBytes(settings.batchBytes())
            .lingerMs(settings.lingerMs())
            .producerInvoker(settings.invoked())
            .bufferMemoryBytes(Math.max(32L << 20, 64L * settings.batchBytes()));
        final SluiceProducer producer = new SluiceProducer(context);
        try
        {
            return new NativeRecordSender(topic, producer);
        }
        catch (final RuntimeException ex)
        {
            producer.close();
            throw ex;
        }
    }

    @Override
    public RecordReceiver openReceiver(final String topic, final boolean fromBeginning)
    {
        final ClientContext context = context()
            .offsetReset(fromBeginning ? ClientContext.OffsetReset.EARLIEST : ClientContext.OffsetReset.LATEST);
        consumerExtra.forEach((key, value) ->
        {
            switch (key)
            {
                case "fetch.max.bytes" -> context.fetchMaxBytes(Integer.parseInt(value));
                case "max.partition.fetch.bytes" -> context.partitionMaxBytes(Integer.parseInt(value));
                case "fetch.max.wait.ms" -> context.fetchMaxWaitMs(Integer.parseInt(value));
                case "receive.buffer.bytes" -> context.socketReceiveBufferBytes(Integer.parseInt(value));
                default -> throw new IllegalArgumentException("the native consumer has no setting " + key);
            }
        });
        final SluiceConsumer consumer = new SluiceConsumer(context);
        try
        {
            consumer.assign(topic);
            final int partitions = ensureTopic(topic, 1);
            // resolve the positions now: "from the end" means records sent after this call returns
            for (int partition = 0; partition < partitions; partition++)
            {
                consumer.position(topic, partition);
            }
            return new NativeRecordReceiver(consumer);
        }
        catch (final RuntimeException ex)
        {
            consumer.close();
            throw ex;
        }
    }

    @Override
    public void close()
    {
    }
}
