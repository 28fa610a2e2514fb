package io.sluice.broker.metrics;

import io.sluice.broker.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The counters a real broker keeps while kafka-clients produce and consume, read as another process would. */
@Timeout(60)
class BrokerMetricsTest
{
    private static final int RECORDS = 200;

    @TempDir
    Path dir;

    @Test
    void shouldCountProduceFetchRequestsConnectionsAndEndOffsetsInTheCountersFile() throws Exception
    {
        try (TestBroker broker = TestBroker.start(dir, "auto.create.topics.enable=false");
            Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap())))
        {
            admin.createTopics(List.of(new NewTopic("counted", 2, (short)1))).all().get();
            produce(broker, "counted");
            consume(broker, "counted");
            assertThatThrownBy(() -> admin.describeTopics(List.of("absent")).allTopicNames().get())
                .isInstanceOf(ExecutionException.class);

            try (MetricsFile file = MetricsFile.openReadOnly(dir.resolve(MetricsFile.DEFAULT_FILE_NAME)))
            {
                assertThat(file.pid()).isEqualTo(ProcessHandle.current().pid());
                final CountersSnapshot snapshot = CountersSnapshot.take(file.reader());
                assertThat(snapshot.sum(CounterType.RECORDS_IN)).isEqualTo(RECORDS);
                assertThat(snapshot.sum(CounterType.APPENDS)).isPositive();
                assertThat(snapshot.sum(CounterType.BYTES_IN)).isGreaterThan(RECORDS * 10L);
                assertThat(snapshot.sum(CounterType.BYTES_OUT)).isGreaterThanOrEqualTo(snapshot.sum(CounterType.BYTES_IN));
                assertThat(snapshot.sum(CounterType.RECORDS_OUT)).isGreaterThanOrEqualTo(RECORDS);
                assertThat(snapshot.sum(CounterType.FETCHES)).isPositive();
                assertThat(snapshot.sum(CounterType.FSYNC_COUNT)).isPositive();
                assertThat(snapshot.sum(CounterType.CONNECTIONS)).isPositive();
                assertThat(snapshot.sum(CounterType.CONNECTIONS_ACCEPTED)).isGreaterThanOrEqualTo(3);
                assertThat(snapshot.sum(CounterType.PARTITION_END_OFFSET)).isEqualTo(RECORDS);
                assertThat(snapshot.samples(CounterType.PARTITION_END_OFFSET))
                    .extracting(sample -> sample.label("topic") + "-" + sample.label("partition"))
                    .containsExactlyInAnyOrder("counted-0", "counted-1");
                assertThat(requests(snapshot, "Produce")).isPositive();
                assertThat(requests(snapshot, "Fetch")).isPositive();
                assertThat(requests(snapshot, "Metadata")).isPositive();
                assertThat(snapshot.samples(CounterType.ERRORS))
                    .anySatisfy(sample ->
                    {
                        assertThat(sample.label("error")).isEqualTo("UNKNOWN_TOPIC_OR_PARTITION");
                        assertThat(sample.value()).isPositive();
                    });
            }
        }
    }

    @Test
    void shouldDropAPartitionsCounterWhenItsTopicIsDeleted() throws Exception
    {
        try (TestBroker broker = TestBroker.start(dir);
            Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap())))
        {
            admin.createTopics(List.of(new NewTopic("doomed", 1, (short)1), new NewTopic("kept", 1, (short)1))).all().get();
            admin.deleteTopics(List.of("doomed")).all().get();

            assertThat(CountersSnapshot.take(broker.broker().counters().reader()).samples(CounterType.PARTITION_END_OFFSET))
                .extracting(sample -> sample.label("topic"))
                .containsExactly("kept");
        }
    }

    @Test
    void shouldServePrometheusTextFromTheSameCounters() throws Exception
    {
        try (TestBroker broker = TestBroker.start(dir, "metrics.listener=http://127.0.0.1:0"))
        {
            produce(broker, "scraped");
            final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            final String base = "http://127.0.0.1:" + broker.broker().metricsPort();
            final HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(PrometheusEncoder.CONTENT_TYPE);
            assertThat(response.body())
                .contains("# TYPE sluice_records_in_total counter\n")
                .contains("# TYPE sluice_fsync_seconds histogram\n")
                .contains("sluice_fsync_seconds_bucket{shard=\"0\",le=\"+Inf\"} ")
                .contains("sluice_partition_end_offset{topic=\"scraped\",partition=\"0\"} " + RECORDS + "\n");

            final HttpResponse<String> other = http.send(
                HttpRequest.newBuilder(URI.create(base + "/other")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void shouldMirrorCommittedOffsetsSoReadersSeeConsumerLag() throws Exception
    {
        try (TestBroker broker = TestBroker.start(dir);
            Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap())))
        {
            produce(broker, "lagging");
            final TopicPartition partition = new TopicPartition("lagging", 0);
            admin.alterConsumerGroupOffsets("readers \"quoted\"", Map.of(partition, new OffsetAndMetadata(150))).all().get();

            final CountersSnapshot snapshot = CountersSnapshot.take(broker.broker().counters().reader());
            assertThat(snapshot.samples(CounterType.CONSUMER_COMMITTED_OFFSET))
                .singleElement()
                .satisfies(sample ->
                {
                    assertThat(sample.label("group")).isEqualTo("readers \"quoted\"");
                    assertThat(sample.value()).isEqualTo(150);
                });
            assertThat(snapshot.consumerLag()).singleElement().satisfies(lag -> assertThat(lag.value()).isEqualTo(RECORDS - 150));
            assertThat(PrometheusEncoder.encode(snapshot))
                .contains("sluice_consumer_lag{group=\"readers \\\"quoted\\\"\",topic=\"lagging\",partition=\"0\"} " +
                    (RECORDS - 150) + "\n");

            admin.deleteConsumerGroups(List.of("readers \"quoted\"")).all().get();
            assertThat(CountersSnapshot.take(broker.broker().counters().reader()).samples(CounterType.CONSUMER_COMMITTED_OFFSET))
                .isEmpty();
        }
    }

    @Test
    void shouldServeNoMetricsUnlessAsked()
    {
        try (TestBroker broker = TestBroker.start(dir))
        {
            assertThat(broker.broker().metricsPort()).isEqualTo(-1);
        }
    }

    private static long requests(final CountersSnapshot snapshot, final String api)
    {
        return snapshot.samples(CounterType.REQUESTS).stream()
            .filter(sample -> sample.label("api").equals(api))
            .mapToLong(CountersSnapshot.Sample::value)
            .sum();
    }

    private static void produce(final TestBroker broker, final String topic) throws Exception
    {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer()))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                producer.send(new ProducerRecord<>(topic, i % 2 == 0 ? 0 : partitionsOf(topic) - 1, null,
                    ("value-" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static int partitionsOf(final String topic)
    {
        return "counted".equals(topic) ? 2 : 1;
    }

    private static void consume(final TestBroker broker, final String topic)
    {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int seen = 0;
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen < RECORDS && System.nanoTime() < deadline)
            {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertThat(seen).isEqualTo(RECORDS);
        }
    }
}
