package io.sluice.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.sluice.client.CrossDoorTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A poll that returns records leaves the next fetch waiting in the broker for new ones (up to fetchMaxWaitMs), and
 * the broker answers a connection's requests in order. The consumer's commits, committed-offset reads and position
 * lookups must not queue behind that fetch: the usual poll, handle, commit loop would otherwise wait for the next
 * record, or for the fetch's whole wait, on every commit.
 */
@Timeout(60)
class ControlBehindFetchTest
{
    private static final String TOPIC = "quiet";
    private static final int FETCH_MAX_WAIT_MS = 10_000;
    private static final long PROMPT_MS = 3_000;

    @TempDir
    Path dir;

    private NativeTestBroker broker;

    @BeforeEach
    void start()
    {
        broker = NativeTestBroker.start(dir);
        try (SluiceAdmin admin = new SluiceAdmin(broker.context()))
        {
            admin.createTopic(TOPIC, 1, Map.of());
        }
        try (SluiceProducer producer = new SluiceProducer(broker.context()))
        {
            producer.send(new OutgoingRecord().topic(TOPIC).partition(0).value(bytes("only")), null, 0);
            producer.flush();
        }
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldAnswerCommitsAndLookupsWhileTheNextFetchWaitsForRecords()
    {
        try (SluiceConsumer consumer = new SluiceConsumer(broker.context()
            .fetchMaxWaitMs(FETCH_MAX_WAIT_MS)
            .offsetReset(ClientContext.OffsetReset.EARLIEST)))
        {
            consumer.assign(TOPIC, 0);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (consumer.position(TOPIC, 0) < 1)
            {
                assertThat(System.nanoTime() - deadline).as("read the record").isNegative();
                final RecordView records = consumer.poll(500);
                while (records.next())
                {
                    assertThat(records.offset()).isZero();
                }
            }

            // the fetch sent as that poll returned now waits in the broker: nothing more is produced
            final long committing = System.nanoTime();
            consumer.commit("quiet-group");
            assertThat(elapsedMs(committing)).as("ms to commit").isLessThan(PROMPT_MS);

            final long reading = System.nanoTime();
            assertThat(consumer.committed("quiet-group", List.of(new TopicPartition(TOPIC, 0))))
                .containsExactly(Map.entry(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(1, "")));
            assertThat(elapsedMs(reading)).as("ms to read the commit back").isLessThan(PROMPT_MS);

            final long seeking = System.nanoTime();
            consumer.seekToBeginning(TOPIC, 0);
            assertThat(consumer.position(TOPIC, 0)).isZero();
            assertThat(elapsedMs(seeking)).as("ms to look up the beginning").isLessThan(PROMPT_MS);
        }
    }

    private static long elapsedMs(final long startNs)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }
}
