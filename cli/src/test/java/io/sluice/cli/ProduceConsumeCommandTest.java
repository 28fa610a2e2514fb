package io.sluice.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(90)
class ProduceConsumeCommandTest
{
    @TempDir
    Path dir;

    private CliBroker broker;

    @BeforeEach
    void start()
    {
        broker = CliBroker.start(dir.resolve("data"), "auto.create.topics.enable=false");
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldProduceAFileWithKeysHeadersAndCompressionAndConsumeItAsJson() throws Exception
    {
        broker.run("topics", "create", "events", "--partitions", "1");
        final Path input = dir.resolve("events.txt");
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1000; i++)
        {
            lines.add("key-" + i + ":value \"" + i + "\"");
        }
        Files.write(input, lines, StandardCharsets.UTF_8);

        final CliBroker.Result produced = broker.run("produce", "events", "--file", input.toString(), "--key-separator", ":",
            "--header", "source=cli", "--compression", "gzip", "--progress");
        assertThat(produced.status()).as(produced.err()).isZero();
        assertThat(produced.err())
            .contains("100%", "1,000 records", "records/s")
            .contains("produced 1,000 records");

        final CliBroker.Result json = broker.run("consume", "events", "--from-beginning", "--max-records", "2", "--format", "json");
        assertThat(json.status()).isZero();
        final List<String> records = json.out().lines().toList();
        assertThat(records).hasSize(2);
        assertThat(records.get(1))
            .startsWith("{\"topic\":\"events\",\"partition\":0,\"offset\":1,\"timestamp\":")
            .endsWith(",\"timestampType\":\"CreateTime\",\"key\":\"key-1\",\"value\":\"value \\\"1\\\"\",\"headers\":{\"source\":\"cli\"}}");
        assertThat(json.err()).isEqualTo("consumed 2 records\n");

        final CliBroker.Result kv = broker.run("consume", "events", "--offset", "998", "--format", "kv", "--key-separator", "=",
            "--idle-timeout-ms", "1500");
        assertThat(kv.status()).isZero();
        assertThat(kv.out()).isEqualTo("key-998=value \"998\"\nkey-999=value \"999\"\n");
    }

    @Test
    void shouldProduceStandardInputToAPartitionAndConsumeFromATime() throws Exception
    {
        broker.run("topics", "create", "lines", "--partitions", "2");
        final long before = System.currentTimeMillis();
        final CliBroker.Result produced = withStdin("first\nsecond\nthird\n",
            () -> broker.run("produce", "lines", "--partition", "1", "--acks", "1"));
        assertThat(produced.status()).as(produced.err()).isZero();
        assertThat(produced.err()).startsWith("produced 3 records (16 B) to 'lines'");

        final CliBroker.Result fromTime = broker.run("consume", "lines", "--from-time", Long.toString(before - 60_000),
            "--partition", "1", "--max-records", "3");
        assertThat(fromTime.status()).isZero();
        assertThat(fromTime.out()).isEqualTo("first\nsecond\nthird\n");

        final CliBroker.Result future = broker.run("consume", "lines", "--from-time", "2100-01-01T00:00:00Z",
            "--idle-timeout-ms", "1000");
        assertThat(future.status()).isZero();
        assertThat(future.out()).isEmpty();
    }

    @Test
    void shouldFailWithOneLineForAnUnknownTopicOrPartition() throws Exception
    {
        final CliBroker.Result produce = withStdin("x\n", () -> broker.run("produce", "missing"));
        assertThat(produce.status()).isEqualTo(1);
        assertThat(produce.err()).isEqualTo(
            "sluice produce: unknown topic 'missing' (the broker does not create topics automatically)\n");

        final CliBroker.Result consume = broker.run("consume", "missing", "--max-records", "1");
        assertThat(consume.status()).isEqualTo(1);
        assertThat(consume.err()).isEqualTo("sluice consume: unknown topic 'missing'\n");

        broker.run("topics", "create", "one", "--partitions", "1");
        final CliBroker.Result partition = broker.run("consume", "one", "--partition", "7", "--max-records", "1");
        assertThat(partition.status()).isEqualTo(1);
        assertThat(partition.err()).isEqualTo("sluice consume: topic 'one' has no partition 7 (it has 1)\n");

        final CliBroker.Result noSeparator = withStdin("no separator here\n", () -> broker.run("produce", "one", "-K", ":"));
        assertThat(noSeparator.status()).isEqualTo(1);
        assertThat(noSeparator.err()).isEqualTo("sluice produce: line 1 has no key separator ':'\n");
    }

    @Test
    void shouldRefuseBadOptionsAsUsageErrors()
    {
        assertThat(broker.run("produce", "t", "--compression", "brotli").status()).isEqualTo(2);
        assertThat(broker.run("consume", "t", "--format", "xml").status()).isEqualTo(2);
        assertThat(broker.run("consume", "t", "--from-beginning", "--offset", "3").status()).isEqualTo(2);
        assertThat(broker.run("consume", "t", "--group", "g", "--partition", "0").status()).isEqualTo(2);
    }

    private static CliBroker.Result withStdin(final String text, final java.util.function.Supplier<CliBroker.Result> command)
    {
        final InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        try
        {
            return command.get();
        }
        finally
        {
            System.setIn(original);
        }
    }
}
