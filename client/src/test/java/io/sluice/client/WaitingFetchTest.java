package io.sluice.client;

import io.sluice.broker.metrics.CounterType;
import io.sluice.broker.metrics.CountersSnapshot;
import io.sluice.broker.metrics.MetricsFile;
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
 * A poll leaves a fetch waiting in the broker for new records (up to fetchMaxWaitMs), and the broker answers a
 * connection's requests in order. Nothing else the consumer does may queue behind that fetch: not commits,
 * committed-offset reads and position lookups (the usual poll, handle, commit loop would wait for the next record,
 * or the fetch's whole wait, on every commit), and not a seek. And a consumer that polls without waiting keeps that
 * one fetch waiting rather than sending fetches the broker answers empty.
 */
@Timeout(60)
class WaitingFetchTest
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
        broker = NativeTestBroker.start(dir).withTopic(TOPIC, 1);
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
        try (SluiceConsumer consumer = newConsumer())
        {
            readTheFirstRecord(consumer);

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

    @Test
    void shouldReadFromWhereItSeeksWithoutWaitingForTheFetchThatAskedFromElsewhere()
    {
        try (SluiceConsumer consumer = newConsumer())
        {
            readTheFirstRecord(consumer);

            final long seeking = System.nanoTime();
            consumer.seekToBeginning(TOPIC, 0);
            final RecordView records = consumer.poll(FETCH_MAX_WAIT_MS / 2);
            assertThat(records.next()).as("a record within half the fetch's wait").isTrue();
            assertThat(records.offset()).isZero();
            assertThat(elapsedMs(seeking)).as("ms to read it again").isLessThan(PROMPT_MS);
        }
    }

    @Test
    void shouldKeepOneFetchWaitingWhilePolledWithoutWaiting() throws Exception
    {
        try (SluiceConsumer consumer = newConsumer();
            SluiceProducer producer = new SluiceProducer(broker.context()))
        {
            consumer.assign(TOPIC, 0);
            consumer.seekToEnd(TOPIC, 0);
            assertThat(consumer.position(TOPIC, 0)).isEqualTo(1);

            final long fetchesBefore = fetchesAnswered();
            final long spinning = System.nanoTime();
            while (elapsedMs(spinning) < 300)
            {
                assertThat(consumer.poll(0).next()).as("nothing was produced").isFalse();
            }
            assertThat(fetchesAnswered() - fetchesBefore).as("fetches answered while it spun").isLessThanOrEqualTo(1);

            producer.send(new OutgoingRecord().topic(TOPIC).partition(0).value(bytes("second")), null, 0);
            producer.flush();
            final long waiting = System.nanoTime();
            RecordView records = consumer.poll(0);
            while (!records.next())
            {
                assertThat(elapsedMs(waiting)).as("ms for the waiting fetch to bring the new record").isLessThan(PROMPT_MS);
                records = consumer.poll(0);
            }
            assertThat(records.offset()).isEqualTo(1);
        }
    }

    private SluiceConsumer newConsumer()
    {
        return new SluiceConsumer(broker.context()
            .fetchMaxWaitMs(FETCH_MAX_WAIT_MS)
            .offsetReset(ClientContext.OffsetReset.EARLIEST));
    }

    private long fetchesAnswered() throws Exception
    {
        try (MetricsFile counters = MetricsFile.openReadOnly(dir.resolve(MetricsFile.DEFAULT_FILE_NAME)))
        {
            return CountersSnapshot.take(counters.reader()).sum(CounterType.FETCHES);
        }
    }

    /** Poll until the one record is read: the poll that returns it sends the next fetch, which then waits. */
    private static void readTheFirstRecord(final SluiceConsumer consumer)
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
    }

    private static long elapsedMs(final long startNs)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }
}
