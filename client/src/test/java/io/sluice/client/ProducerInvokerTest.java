package io.sluice.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.sluice.client.CrossDoorTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invoker mode: the application's thread does the producer's I/O, and no I/O thread is started. */
@Timeout(60)
class ProducerInvokerTest
{
    private static final String IO_THREAD = "sluice-producer-io";

    @TempDir
    Path dir;

    private NativeTestBroker broker;

    @BeforeEach
    void start()
    {
        broker = NativeTestBroker.start(dir, "auto.create.topics.enable=false");
        try (SluiceAdmin admin = new SluiceAdmin(broker.context()))
        {
            admin.createTopic("invoked", 1, Map.of());
        }
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldSendAndRunCallbacksOnlyOnTheInvokingThread()
    {
        final long ioThreadsBefore = ioThreads();
        final List<Long> offsets = new ArrayList<>();
        final List<Thread> callbackThreads = new ArrayList<>();
        try (SluiceProducer producer = new SluiceProducer(broker.context().producerInvoker(true).lingerMs(0)))
        {
            assertThat(ioThreads()).isEqualTo(ioThreadsBefore);
            final SendCallback callback = (topic, partition, offset, context, error) ->
            {
                assertThat(error).isNull();
                offsets.add(offset);
                callbackThreads.add(Thread.currentThread());
            };
            for (int i = 0; i < 200; i++)
            {
                // The first send waits for the topic's metadata, which only invoke() can fetch: it invokes itself.
                producer.send("invoked", null, bytes("record " + i), callback, i);
                producer.invoke();
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (offsets.size() < 200 && System.nanoTime() < deadline)
            {
                producer.invoke();
            }
        }
        assertThat(offsets).hasSize(200);
        for (int i = 0; i < offsets.size(); i++)
        {
            assertThat(offsets.get(i)).isEqualTo(i);
        }
        assertThat(callbackThreads).containsOnly(Thread.currentThread());
        assertThat(readAll()).hasSize(200).startsWith("record 0").endsWith("record 199");
    }

    @Test
    void shouldFlushAndCloseByInvokingWhenNothingElseDoes()
    {
        try (SluiceProducer producer = new SluiceProducer(broker.context().producerInvoker(true).lingerMs(1_000)))
        {
            for (int i = 0; i < 50; i++)
            {
                producer.send("invoked", null, bytes("flushed " + i), (topic, partition, offset, context, error) -> { }, i);
            }
            producer.flush();
            assertThat(readAll()).hasSize(50);
            producer.send("invoked", null, bytes("closed"), (topic, partition, offset, context, error) -> { }, 50);
        }
        assertThat(readAll()).hasSize(51).endsWith("closed");
    }

    @Test
    void shouldRunTheIoOnlyOnTheThreadThatFirstRanIt() throws Exception
    {
        try (SluiceProducer producer = new SluiceProducer(broker.context().producerInvoker(true).lingerMs(0)))
        {
            producer.invoke();
            final String expected = "invoker mode: the producer's I/O runs on thread '" +
                Thread.currentThread().getName() + "' only, not on 'stranger'";

            assertThat(onAnotherThread(producer::invoke)).isInstanceOf(IllegalStateException.class).hasMessage(expected);
            assertThat(onAnotherThread(producer::flush)).as("a flush with nothing to wait for does no I/O").isNull();
            producer.send("invoked", null, bytes("waiting"), (topic, partition, offset, context, error) -> { }, 0);
            assertThat(onAnotherThread(producer::flush)).isInstanceOf(IllegalStateException.class).hasMessage(expected);
            producer.flush();
            assertThat(onAnotherThread(producer::close)).as("nothing to wait for, but closing is I/O too")
                .isInstanceOf(IllegalStateException.class).hasMessage(expected);
        }
        assertThat(readAll()).containsExactly("waiting");
    }

    @Test
    void shouldRefuseInvokeWhenTheProducerRunsItsOwnIoThread()
    {
        try (SluiceProducer producer = new SluiceProducer(broker.context()))
        {
            assertThatThrownBy(producer::invoke)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("producerInvoker");
        }
    }

    private List<String> readAll()
    {
        try (SluiceConsumer consumer = new SluiceConsumer(broker.context()))
        {
            consumer.assign("invoked", 0);
            consumer.seekToEnd("invoked", 0);
            final long end = consumer.position("invoked", 0);
            consumer.seekToBeginning("invoked", 0);
            return ProducerConsumerTest.readValues(consumer, (int)end);
        }
    }

    /** Run {@code action} on a new thread named "stranger"; what it threw, or null. */
    private static Throwable onAnotherThread(final Runnable action) throws InterruptedException
    {
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread stranger = new Thread(() ->
        {
            try
            {
                action.run();
            }
            catch (final Throwable ex)
            {
                thrown.set(ex);
            }
        }, "stranger");
        stranger.start();
        stranger.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(stranger.isAlive()).as("the stranger finished").isFalse();
        return thrown.get();
    }

    private static long ioThreads()
    {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(IO_THREAD)).count();
    }
}
