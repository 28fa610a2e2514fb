package io.sluice.broker.group;

import io.sluice.broker.TestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A member killed with SIGKILL in its own JVM: its partitions move once its session times out. */
@Tag("system")
@Timeout(120)
class GroupMemberCrashTest
{
    @TempDir
    Path dir;

    @Test
    void shouldMoveAKilledMembersPartitionsAfterItsSessionTimeout() throws Exception
    {
        try (TestBroker broker = TestBroker.start(dir, "group.initial.rebalance.delay.ms=0", "group.min.session.timeout.ms=1000",
            "offsets.topic.num.partitions=5"))
        {
            final Properties adminProperties = new Properties();
            adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            try (Admin admin = Admin.create(adminProperties))
            {
                admin.createTopics(List.of(new NewTopic("crash", 6, (short)1))).all().get();
            }
            final Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), GroupMemberProcess.class.getName(),
                broker.bootstrap(), "crash-group", "crash")
                .redirectErrorStream(true)
                .start();
            final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1000);
            final Thread reader = new Thread(() ->
            {
                try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = in.readLine()) != null)
                    {
                        lines.offer(line);
                    }
                }
                catch (final java.io.IOException ignore)
                {
                    // The child was killed: its output ends.
                }
            });
            reader.setDaemon(true);
            reader.start();
            try (KafkaConsumer<byte[], byte[]> survivor = consumer(broker))
            {
                survivor.subscribe(List.of("crash"));
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                boolean childHasThree = false;
                while (!(childHasThree && survivor.assignment().size() == 3))
                {
                    assertThat(System.nanoTime()).as("split within 60 s").isLessThan(deadline);
                    survivor.poll(Duration.ofMillis(100));
                    String line;
                    while ((line = lines.poll()) != null)
                    {
                        childHasThree = "assigned 3".equals(line);
                    }
                }

                // The session runs from the child's last heartbeat, up to one 300 ms interval (more on a busy
                // machine) before the kill; dropping a member on disconnect would take tens of milliseconds.
                final long killedAt = System.nanoTime();
                child.destroyForcibly();
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                while (survivor.assignment().size() != 6)
                {
                    assertThat(System.nanoTime()).as("moved within 60 s").isLessThan(killedAt + TimeUnit.SECONDS.toNanos(60));
                    survivor.poll(Duration.ofMillis(100));
                }
                assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("after the 2 s session timeout")
                    .isGreaterThan(Duration.ofMillis(1_000));
            }
            finally
            {
                child.destroyForcibly();
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(final TestBroker broker)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "crash-group");
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "2000");
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(properties);
    }
}
