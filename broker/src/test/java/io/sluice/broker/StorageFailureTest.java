package io.sluice.broker;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A log whose files cannot be written answers KAFKA_STORAGE_ERROR, and the broker says why, once: producers retry
 * that error many times a second, and an operator needs the one line that names the partition and the cause.
 */
@Timeout(60)
class StorageFailureTest
{
    @TempDir
    Path dir;

    @RegisterExtension
    final BrokerLogCapture brokerLog = new BrokerLogCapture();

    private TestBroker broker;

    @AfterEach
    void stop()
    {
        if (broker != null)
        {
            broker.close();
        }
    }

    @Test
    void shouldAnswerKafkaStorageErrorAndLogTheCauseOnceWhenASegmentCannotBeCreated() throws Exception
    {
        broker = TestBroker.start(dir, "log.segment.bytes=2048");
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        properties.put(ProducerConfig.RETRIES_CONFIG, 0);
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        final byte[] value = new byte[900];
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer()))
        {
            producer.send(new ProducerRecord<>("fragile", value)).get(10, TimeUnit.SECONDS);
            // The open segment can still be written once its directory is gone; the next roll cannot create files.
            deleteTree(dir.resolve("fragile-0"));
            int failed = 0;
            for (int i = 0; i < 6; i++)
            {
                try
                {
                    producer.send(new ProducerRecord<>("fragile", value)).get(10, TimeUnit.SECONDS);
                }
                catch (final ExecutionException ex)
                {
                    assertThat(ex.getCause()).isInstanceOf(KafkaStorageException.class);
                    failed++;
                }
            }
            assertThat(failed).isGreaterThanOrEqualTo(3);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("fragile", value)).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(KafkaStorageException.class);
        }
        final String log = brokerLog.text();
        assertThat(log.split("append to fragile-0 failed", -1)).as(log).hasSize(2);
        assertThat(log).contains("answering KAFKA_STORAGE_ERROR until one succeeds: java.nio.file.NoSuchFileException");
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
