package io.sluice.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counters as other processes see them: {@code sluice stat} in a child JVM maps the broker's counters file while
 * a producer keeps writing, and the Prometheus endpoint's text goes through a Prometheus text-format parser.
 */
@Tag("system")
@Timeout(120)
class MetricsReadingTest
{
    private static final Pattern SAMPLE = Pattern.compile(
        "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\"" +
        "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*\\})? (-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|[+-]Inf|NaN)$");

    /** A group id with a quote in it: label values must be escaped on the way out and read back whole. */
    private static final String LAGGING_GROUP = "lag \"watchers\"";

    @TempDir
    Path dir;

    @Test
    void shouldSeeCountersMoveFromAnotherProcessWhileLoadRuns() throws Exception
    {
        try (CliBroker broker = CliBroker.start(dir);
            Load load = new Load(broker.bootstrap(), "stat-load"))
        {
            load.awaitSent(200);
            final Path file = dir.resolve("sluice-counters.dat");
            final Map<String, Long> first = recordsAndConnections(statInChildJvm(file));
            load.awaitSent(load.sent() + 500);
            final Map<String, Long> second = recordsAndConnections(statInChildJvm(file));

            assertThat(first.get("records")).isPositive();
            assertThat(second.get("records")).isGreaterThan(first.get("records"));
            assertThat(second.get("requests")).isGreaterThan(first.get("requests"));
            assertThat(second.get("connections")).isPositive();

            final CliBroker.Result live = CliBroker.cli("stat", "--file", file.toString(), "--interval", "0.3", "--count", "2");
            assertThat(live.status()).isZero();
            assertThat(live.out())
                .contains("Sluice broker pid " + ProcessHandle.current().pid() + ", running")
                .contains("per second")
                .containsPattern("(?m)^records in +[0-9,]+ +[0-9,.]+$")
                .containsPattern("(?m)^  stat-load-0 +[0-9,]+");
        }
    }

    @Test
    void shouldShowEachGroupsLagAndRecordsOutInStat() throws Exception
    {
        try (CliBroker broker = CliBroker.start(dir);
            Load load = new Load(broker.bootstrap(), "lagged"))
        {
            load.awaitSent(50);
            load.close();
            commitOffset(broker.bootstrap(), LAGGING_GROUP, "lagged", 20);
            final CliBroker.Result consumed = CliBroker.cli(
                "consume", "lagged", "--bootstrap-server", broker.bootstrap(), "--from-beginning", "--max-records", "10");
            assertThat(consumed.status()).isZero();

            final CliBroker.Result stat = CliBroker.cli("stat", "--log-dir", dir.toString(), "--once");
            assertThat(stat.status()).isZero();
            assertThat(stat.out())
                .containsPattern("(?m)^records out +[1-9][0-9,]*")
                .containsPattern("(?m)^consumer lag +committed +lag$")
                .containsPattern("(?m)^  " + Pattern.quote(LAGGING_GROUP + " lagged-0") + " +20 +" + (load.sent() - 20) + "$");
        }
    }

    @Test
    void shouldFailWithOneLineWhenThereIsNoCountersFile()
    {
        final CliBroker.Result result = CliBroker.cli("stat", "--log-dir", dir.resolve("nothing").toString(), "--once");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("sluice stat: no counters file at ").hasLineCount(1);
    }

    @Test
    void shouldServeTextThatAPrometheusParserReads() throws Exception
    {
        final long records;
        final String text;
        try (CliBroker broker = CliBroker.start(dir, "metrics.listener=http://127.0.0.1:0");
            Load load = new Load(broker.bootstrap(), "scraped"))
        {
            load.awaitSent(300);
            load.close();
            records = load.sent();
            commitOffset(broker.bootstrap(), LAGGING_GROUP, "scraped", 100);
            final HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.broker().metricsPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).isEqualTo(200);
            text = response.body();
        }

        final Map<String, MetricFamily> families = new HashMap<>();
        final TextPrometheusMetricDataParser parser =
            new TextPrometheusMetricDataParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        for (MetricFamily family = parser.parse(); family != null; family = parser.parse())
        {
            assertThat(families.put(family.getName(), family)).as("family %s given twice", family.getName()).isNull();
        }
        assertThat(families.get("sluice_records_in_total").getType()).isEqualTo(MetricType.COUNTER);
        assertThat(families.get("sluice_records_in_total").getMetrics().stream().mapToDouble(m -> ((Counter)m).getValue()).sum())
            .isEqualTo(records);
        assertThat(families.get("sluice_connections").getType()).isEqualTo(MetricType.GAUGE);
        assertThat(families.get("sluice_requests_total").getMetrics())
            .extracting(metric -> metric.getLabels().get("api"))
            .contains("Produce", "Metadata", "ApiVersions");
        assertThat(families.get("sluice_consumer_lag").getType()).isEqualTo(MetricType.GAUGE);
        assertThat(families.get("sluice_consumer_lag").getMetrics())
            .singleElement()
            .satisfies(metric ->
            {
                assertThat(metric.getLabels()).containsEntry("group", LAGGING_GROUP).containsEntry("topic", "scraped");
                assertThat(((Gauge)metric).getValue()).isEqualTo(records - 100);
            });
        final MetricFamily fsync = families.get("sluice_fsync_seconds");
        assertThat(fsync.getType()).isEqualTo(MetricType.HISTOGRAM);
        final long forces = fsync.getMetrics().stream().mapToLong(metric -> ((Histogram)metric).getSampleCount()).sum();
        assertThat(forces).isPositive();
        for (final Metric metric : fsync.getMetrics())
        {
            final Histogram histogram = (Histogram)metric;
            assertThat(histogram.getBuckets()).hasSize(14);
            assertThat(histogram.getBuckets().get(13).getCumulativeCount()).isEqualTo(histogram.getSampleCount());
        }

        checkStrictly(text);
    }

    private static void commitOffset(final String bootstrap, final String group, final String topic, final long offset)
        throws Exception
    {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(offset)))
                .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The exposition format's line grammar, and each family's TYPE given once, before its samples. */
    private static void checkStrictly(final String text)
    {
        final Set<String> typed = new HashSet<>();
        String current = null;
        final Set<String> finished = new HashSet<>();
        for (final String line : text.split("\n", -1))
        {
            if (line.isEmpty())
            {
                continue;
            }
            if (line.startsWith("# HELP "))
            {
                continue;
            }
            if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.split(" ");
                assertThat(parts).hasSize(4);
                assertThat(parts[3]).isIn("counter", "gauge", "histogram");
                assertThat(typed.add(parts[2])).as("TYPE of %s once", parts[2]).isTrue();
                if (current != null)
                {
                    finished.add(current);
                }
                current = parts[2];
                continue;
            }
            final Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("sample line '%s'", line).isTrue();
            final String name = sample.group(1);
            assertThat(name.equals(current) || name.matches(Pattern.quote(current) + "_(bucket|sum|count)"))
                .as("%s belongs to the family typed last (%s)", name, current).isTrue();
            assertThat(finished).doesNotContain(current);
        }
        assertThat(text).endsWith("\n");
    }

    private static String statInChildJvm(final Path file) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), SluiceCli.class.getName(),
            "stat", "--file", file.toString(), "--once", "--raw"));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        final String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    private static Map<String, Long> recordsAndConnections(final String raw)
    {
        final Map<String, Long> values = new HashMap<>(Map.of("records", 0L, "requests", 0L, "connections", 0L));
        for (final String line : raw.split("\n"))
        {
            final String key = line.startsWith("sluice_records_in_total") ? "records" :
                line.startsWith("sluice_requests_total") ? "requests" :
                line.startsWith("sluice_connections ") ? "connections" : null;
            if (key != null)
            {
                values.merge(key, Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)), Long::sum);
            }
        }
        return values;
    }

    /** A producer sending acks=all records on its own thread until closed. */
    private static final class Load implements AutoCloseable
    {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong sent = new AtomicLong();
        private final Thread thread;

        Load(final String bootstrap, final String topic)
        {
            final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 1),
                new ByteArraySerializer(), new ByteArraySerializer());
            thread = new Thread(() ->
            {
                try (producer)
                {
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    while (running.get() && System.nanoTime() < deadline)
                    {
                        producer.send(new ProducerRecord<>(topic, 0, null, "load".getBytes(StandardCharsets.UTF_8))).get();
                        sent.incrementAndGet();
                    }
                }
                catch (final Exception ex)
                {
                    running.set(false);
                }
            }, "metrics-test-load");
            thread.start();
        }

        long sent()
        {
            return sent.get();
        }

        void awaitSent(final long count) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sent.get() < count && System.nanoTime() < deadline && thread.isAlive())
            {
                Thread.sleep(10);
            }
            assertThat(sent.get()).as("records sent").isGreaterThanOrEqualTo(count);
        }

        @Override
        public void close() throws InterruptedException
        {
            running.set(false);
            thread.join(30_000);
        }
    }
}
