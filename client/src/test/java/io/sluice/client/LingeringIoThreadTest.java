package io.sluice.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static io.sluice.client.CrossDoorTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a linger of a millisecond and records coming faster than that, a batch is always due within a millisecond.
 * The producer's I/O thread must sleep until it is due, not keep its CPU: it used to yield in a loop, and took 76 %
 * of a core at 100,000 records/s.
 */
@Timeout(60)
class LingeringIoThreadTest
{
    private static final String IO_THREAD = "sluice-producer-io";
    private static final long SENDING_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long SEND_EVERY_NS = TimeUnit.MICROSECONDS.toNanos(200);

    @TempDir
    Path dir;

    private NativeTestBroker broker;

    @BeforeEach
    void start()
    {
        broker = NativeTestBroker.start(dir).withTopic("lingering", 1);
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldSleepWhileABatchLingersForLessThanAMillisecond()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final AtomicLong acknowledged = new AtomicLong();
        final SendCallback callback = (topic, partition, offset, context, error) ->
        {
            assertThat(error).isNull();
            acknowledged.incrementAndGet();
        };
        long sent = 0;
        try (SluiceProducer producer = new SluiceProducer(broker.context().lingerMs(1)))
        {
            producer.send(new OutgoingRecord().topic("lingering").value(bytes("first")), callback, 0);
            producer.flush();
            sent++;
            final long ioThread = ioThreadId();
            final long cpuBefore = threads.getThreadCpuTime(ioThread);
            final long start = System.nanoTime();
            while (System.nanoTime() - start < SENDING_NS)
            {
                producer.send(new OutgoingRecord().topic("lingering").value(bytes("record " + sent)), callback, 0);
                sent++;
                LockSupport.parkNanos(SEND_EVERY_NS);
            }
            final long wallNs = System.nanoTime() - start;
            final long cpuNs = threads.getThreadCpuTime(ioThread) - cpuBefore;
            producer.flush();

            assertThat(acknowledged.get()).isEqualTo(sent);
            assertThat(cpuNs).as("I/O thread CPU ns in %d ns of sending %d records", wallNs, sent)
                .isLessThan(wallNs / 2);
        }
    }

    private static long ioThreadId()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().equals(IO_THREAD))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no " + IO_THREAD + " thread"))
            .getId();
    }
}
