package io.sluice.client;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once warm, the native produce and fetch path allocates nothing per record: on the sending thread, the producer's
 * I/O thread, the consumer's thread, and the broker's network and shard threads. Measured with the JVM's
 * per-thread allocation counters over a run of records, after a warm-up of the same shape.
 */
@Tag("system")
@Timeout(120)
class SteadyStateAllocationTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 200_000;
    /** Bytes per record allowed for counters' own noise (a few allocations over the whole run). */
    private static final double BYTES_PER_RECORD = 0.1;

    @TempDir
    Path dir;

    @Test
    void shouldAllocateNothingPerRecordOnceWarm() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (NativeTestBroker broker = NativeTestBroker.start(dir))
        {
            try (SluiceAdmin admin = new SluiceAdmin(broker.context()))
            {
                admin.createTopic("alloc", 1, Map.of());
            }
            final AtomicLong acknowledged = new AtomicLong();
            final AtomicLong failed = new AtomicLong();
            final SendCallback callback = (topic, partition, offset, context, error) ->
            {
                if (error != null)
                {
                    failed.incrementAndGet();
                }
                acknowledged.incrementAndGet();
            };
            try (SluiceProducer producer = new SluiceProducer(broker.context().acks(1).lingerMs(1));
                SluiceConsumer consumer = new SluiceConsumer(broker.context().offsetReset(ClientContext.OffsetReset.EARLIEST)))
            {
                consumer.assign("alloc");
                final byte[] key = new byte[8];
                final byte[] value = new byte[100];
                final long[] consumed = new long[1];

                run(threads, producer, consumer, callback, key, value, consumed, WARM_UP);
                final Map<String, Long> before = allocatedByThread(threads);
                final long sender = run(threads, producer, consumer, callback, key, value, consumed, MEASURED);
                final Map<String, Long> after = allocatedByThread(threads);

                assertThat(failed.get()).isZero();
                assertThat(consumed[0]).isEqualTo(WARM_UP + MEASURED);
                final Map<String, Double> perRecord = new HashMap<>();
                perRecord.put("send and poll calls", (double)sender / MEASURED);
                after.forEach((name, bytes) ->
                {
                    if (name.startsWith("sluice-producer-io") || name.startsWith("sluice-network") ||
                        name.startsWith("sluice-shard"))
                    {
                        perRecord.merge(name, (double)(bytes - before.getOrDefault(name, 0L)) / MEASURED, Double::sum);
                    }
                });
                System.out.println("bytes allocated per record: " + perRecord);
                assertThat(perRecord).containsKeys("sluice-producer-io", "sluice-network-0", "sluice-shard-0");
                assertThat(perRecord.values()).allSatisfy(bytes -> assertThat(bytes).isLessThan(BYTES_PER_RECORD));
            }
        }
    }

    /**
     * Send {@code count} records, reading them back as they arrive, on this one thread.
     *
     * @return the bytes this thread allocated inside {@code send} and {@code poll} (not in the final flush and wait).
     */
    private static long run(
        final com.sun.management.ThreadMXBean threads,
        final SluiceProducer producer,
        final SluiceConsumer consumer,
        final SendCallback callback,
        final byte[] key,
        final byte[] value,
        final long[] consumed,
        final int count)
    {
        final long target = consumed[0] + count;
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < count; i++)
        {
            key[0] = (byte)i;
            producer.send("alloc", key, value, callback, i);
            if ((i & 1023) == 1023)
            {
                consumed[0] += drain(consumer);
            }
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        producer.flush();
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (consumed[0] < target && System.nanoTime() < deadline)
        {
            consumed[0] += drain(consumer);
        }
        return allocated;
    }

    private static int drain(final SluiceConsumer consumer)
    {
        final RecordView records = consumer.poll(0);
        int count = 0;
        while (records.next())
        {
            count++;
        }
        return count;
    }

    private static Map<String, Long> allocatedByThread(final com.sun.management.ThreadMXBean threads)
    {
        final Map<String, Long> allocated = new HashMap<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            allocated.merge(thread.getName(), threads.getThreadAllocatedBytes(thread.getId()), Long::sum);
        }
        return allocated;
    }
}
