package io.sluice.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.sluice.client.CrossDoorTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Timeouts with nothing (or a silent peer) at the other end, and reconnecting to a restarted broker. */
@Timeout(120)
class ReconnectTest
{
    @TempDir
    Path dir;

    @Test
    void shouldTimeOutRequestsToAnAbsentBroker() throws IOException
    {
        final int port = freePort();
        final ClientContext context = new ClientContext().bootstrap("127.0.0.1:" + port).requestTimeoutMs(500)
            .reconnectBackoffMs(20).reconnectBackoffMaxMs(100).maxBlockMs(500).deliveryTimeoutMs(800);
        try (SluiceAdmin admin = new SluiceAdmin(context))
        {
            final long start = System.nanoTime();
            assertThatThrownBy(admin::listTopics)
                .isInstanceOf(SluiceTimeoutException.class)
                .hasMessageContaining("Metadata to 127.0.0.1:" + port + " timed out after 500 ms")
                .hasMessageContaining("cannot connect");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 5_000L);
        }
        try (SluiceProducer producer = new SluiceProducer(context))
        {
            assertThatThrownBy(() -> producer.send("any", null, bytes("x")))
                .isInstanceOf(SluiceTimeoutException.class).hasMessageContaining("metadata for topic 'any'");
        }
    }

    @Test
    void shouldTimeOutAgainstAPeerThatNeverAnswers() throws IOException
    {
        try (ServerSocket silent = new ServerSocket(0))
        {
            final ClientContext context = new ClientContext().bootstrap("127.0.0.1:" + silent.getLocalPort())
                .requestTimeoutMs(300);
            try (SluiceAdmin admin = new SluiceAdmin(context))
            {
                assertThatThrownBy(() -> admin.createTopic("t", 1, Map.of()))
                    .isInstanceOf(SluiceTimeoutException.class).hasMessageContaining("CreateTopics 't'");
            }
        }
    }

    @Test
    void shouldReconnectToARestartedBrokerAndDeliverEveryRecordOnce() throws Exception
    {
        NativeTestBroker broker = NativeTestBroker.start(dir);
        final int port = broker.nativePort();
        final ClientContext context = broker.context().reconnectBackoffMs(20).reconnectBackoffMaxMs(200)
            .requestTimeoutMs(2_000).deliveryTimeoutMs(30_000);
        try (SluiceAdmin admin = new SluiceAdmin(context))
        {
            admin.createTopic("durable", 1, Map.of());
        }
        try (SluiceProducer producer = new SluiceProducer(context);
            SluiceConsumer consumer = new SluiceConsumer(broker.context().reconnectBackoffMs(20)
                .offsetReset(ClientContext.OffsetReset.EARLIEST)))
        {
            assertThat(producer.send("durable", null, bytes("before")).get(10, TimeUnit.SECONDS)).isZero();
            consumer.assign("durable");
            assertThat(ProducerConsumerTest.readValues(consumer, 1)).containsExactly("before");

            broker.close();
            final CompletableFuture<Long> during = producer.send("durable", null, bytes("during"));
            Thread.sleep(300);
            assertThat(during).isNotDone();
            broker = NativeTestBroker.start(dir, port);

            assertThat(during.get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(producer.send("durable", null, bytes("after")).get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(ProducerConsumerTest.readValues(consumer, 2)).containsExactly("during", "after");
        }
        catch (final ExecutionException ex)
        {
            throw new AssertionError(ex.getCause());
        }
        finally
        {
            broker.close();
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
