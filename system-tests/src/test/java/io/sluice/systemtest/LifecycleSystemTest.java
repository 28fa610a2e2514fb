package io.sluice.systemtest;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up and shutdown as the contract states them: a bad property or a port in use is one line naming it and a
 * non-zero exit; SIGTERM is a clean exit 0 within a few seconds; what was written and created is there after a
 * restart.
 */
@Tag("system")
class LifecycleSystemTest
{
    private static final Duration STARTUP_FAILURE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLEAN_STOP_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path workDir;
    private BrokerProcess broker;

    @AfterEach
    void stopBroker()
    {
        if (null != broker)
        {
            broker.close();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "num.partitions, many",
        "log.segment.bytes, -5",
        "auto.create.topics.enable, perhaps",
        "no.such.property, 1",
    })
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseBadPropertyWithOneLineNamingIt(final String key, final String value)
    {
        broker = new BrokerProcess(workDir).override(key, value).spawn();

        final int exitCode = broker.awaitExit(STARTUP_FAILURE_TIMEOUT);

        assertThat(exitCode).as("exit code; %s", broker.output()).isNotZero();
        assertThat(broker.stderrLines()).as("stderr").singleElement().asString().contains(key);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefusePortInUseWithOneLineNamingIt() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            broker = new BrokerProcess(workDir, taken.getLocalPort()).spawn();

            final int exitCode = broker.awaitExit(STARTUP_FAILURE_TIMEOUT);

            assertThat(exitCode).as("exit code; %s", broker.output()).isNotZero();
            assertThat(broker.stderrLines()).as("stderr").singleElement().asString()
                .contains(String.valueOf(taken.getLocalPort()));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseUnusableDataDirectoryWithOneLineNamingIt() throws Exception
    {
        final Path notADirectory = Files.writeString(workDir.resolve("not-a-directory"), "a file");
        final String dataDir = notADirectory.resolve("data").toString();
        broker = new BrokerProcess(workDir).override("log.dirs", dataDir).spawn();

        final int exitCode = broker.awaitExit(STARTUP_FAILURE_TIMEOUT);

        assertThat(exitCode).as("exit code; %s", broker.output()).isNotZero();
        assertThat(broker.stderrLines()).as("stderr").singleElement().asString().contains(dataDir);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldRefuseSecondBrokerOnTheSameDataDirectoryWithOneLineNamingIt() throws Exception
    {
        broker = new BrokerProcess(workDir).start();
        try (BrokerProcess second = new BrokerProcess(workDir).spawn())
        {
            final int exitCode = second.awaitExit(STARTUP_FAILURE_TIMEOUT);

            assertThat(exitCode).as("exit code; %s", second.output()).isNotZero();
            assertThat(second.stderrLines()).as("stderr").singleElement().asString()
                .contains(broker.logDir().toString());
        }
        assertThat(broker.isAlive()).as("first broker still running").isTrue();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldExitZeroOnSigtermAndKeepTheDataForTheNextStart() throws Exception
    {
        broker = new BrokerProcess(workDir).start();
        final String topic = KafkaClients.uniqueTopic("sigterm");
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.createTopic(admin, topic, 1);
        }
        final ConcurrentLinkedQueue<Exception> sendErrors = new ConcurrentLinkedQueue<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(broker))
        {
            for (int i = 0; i < 1_000; i++)
            {
                producer.send(new ProducerRecord<>(topic, 0, null, value(i)), (metadata, error) ->
                {
                    if (null != error)
                    {
                        sendErrors.add(error);
                    }
                });
            }
            producer.flush();
        }
        assertThat(sendErrors).isEmpty();

        final long stopStart = System.nanoTime();
        final int exitCode = broker.stop();
        final Duration stopTime = Duration.ofNanos(System.nanoTime() - stopStart);
        assertThat(exitCode).as("exit code after SIGTERM; %s", broker.output()).isZero();
        assertThat(stopTime).as("time from SIGTERM to exit").isLessThan(CLEAN_STOP_TIMEOUT);

        broker.start();
        final List<ConsumerRecord<byte[], byte[]>> records =
            KafkaClients.readAll(broker, List.of(partition), Duration.ofSeconds(30));
        assertThat(records).hasSize(1_000);
        for (int i = 0; i < records.size(); i++)
        {
            assertThat(records.get(i).offset()).isEqualTo(i);
            assertThat(records.get(i).value()).isEqualTo(value(i));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldBringTopicsBackWithTheirIdsPartitionsAndConfigsAfterRestart() throws Exception
    {
        broker = new BrokerProcess(workDir).start();
        final String configured = KafkaClients.uniqueTopic("persist-configured");
        final String plain = KafkaClients.uniqueTopic("persist-plain");
        final Map<String, TopicDescription> before;
        try (Admin admin = KafkaClients.admin(broker))
        {
            KafkaClients.createTopic(admin, configured, 4, Map.of("retention.ms", "7200000", "segment.bytes", "1048576"));
            KafkaClients.createTopic(admin, plain, 1);
            before = KafkaClients.await(admin.describeTopics(List.of(configured, plain)).allTopicNames());
        }

        assertThat(broker.stop()).as("exit code after SIGTERM").isZero();
        broker.start();

        try (Admin admin = KafkaClients.admin(broker))
        {
            assertThat(KafkaClients.await(admin.listTopics().names())).contains(configured, plain);
            final Map<String, TopicDescription> after =
                KafkaClients.await(admin.describeTopics(List.of(configured, plain)).allTopicNames());
            for (final String topic : List.of(configured, plain))
            {
                assertThat(after.get(topic).topicId()).as("id of %s", topic).isEqualTo(before.get(topic).topicId());
                assertThat(after.get(topic).partitions()).as("partitions of %s", topic)
                    .hasSameSizeAs(before.get(topic).partitions());
            }

            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, configured);
            final Config config = KafkaClients.await(admin.describeConfigs(List.of(resource)).all()).get(resource);
            assertThat(config.get("retention.ms")).isNotNull().satisfies(e ->
            {
                assertThat(e.value()).isEqualTo("7200000");
                assertThat(e.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            });
            assertThat(config.get("segment.bytes")).isNotNull()
                .satisfies(e -> assertThat(e.value()).isEqualTo("1048576"));
        }
    }

    private static byte[] value(final int index)
    {
        return ("persisted-" + index).getBytes(StandardCharsets.UTF_8);
    }
}
