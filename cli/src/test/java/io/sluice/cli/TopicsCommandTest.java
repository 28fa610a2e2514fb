package io.sluice.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class TopicsCommandTest
{
    @TempDir
    Path dir;

    private CliBroker broker;

    @BeforeEach
    void start()
    {
        broker = CliBroker.start(dir);
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldCreateListDescribeAlterAndDeleteATopic()
    {
        final CliBroker.Result created = broker.run("topics", "create", "orders", "--partitions", "3", "--config", "retention.ms=600000");
        assertThat(created.status()).isZero();
        assertThat(created.out()).isEqualTo("created topic 'orders' with 3 partitions\n");

        assertThat(broker.run("topics", "create", "audit").status()).isZero();
        final CliBroker.Result listed = broker.run("topics", "list");
        assertThat(listed.status()).isZero();
        assertThat(listed.out()).isEqualTo("audit\norders\n");

        final CliBroker.Result described = broker.run("topics", "describe", "orders");
        assertThat(described.status()).isZero();
        assertThat(described.out())
            .contains("Topic: orders ")
            .contains("partitions: 3")
            .contains("configs: retention.ms=600000")
            .containsPattern("(?m)^  2 +1 +1 +1 +0 +0$");

        final CliBroker.Result altered = broker.run(
            "topics", "alter", "orders", "--partitions", "5", "--config", "segment.bytes=1048576", "--delete-config", "retention.ms");
        assertThat(altered.status()).as(altered.err()).isZero();
        assertThat(altered.out()).contains("topic 'orders' now has 5 partitions", "set segment.bytes=1048576", "removed retention.ms");
        assertThat(broker.run("topics", "describe", "orders").out()).contains("partitions: 5", "configs: segment.bytes=1048576");

        final CliBroker.Result deleted = broker.run("topics", "delete", "orders", "audit");
        assertThat(deleted.status()).isZero();
        assertThat(deleted.out()).isEqualTo("deleted topic 'orders'\ndeleted topic 'audit'\n");
        assertThat(broker.run("topics", "list").out()).isEmpty();
    }

    @Test
    void shouldFailWithOneLineForAnExistingOrUnknownTopic()
    {
        assertThat(broker.run("topics", "create", "twice").status()).isZero();
        final CliBroker.Result again = broker.run("topics", "create", "twice");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("sluice topics create: topic 'twice' exists already\n");
        assertThat(broker.run("topics", "create", "twice", "--if-not-exists").status()).isZero();

        for (final String[] command : new String[][] {
            {"topics", "describe", "ghost"}, {"topics", "alter", "ghost", "--partitions", "2"}, {"topics", "delete", "ghost"}})
        {
            final CliBroker.Result result = broker.run(command);
            assertThat(result.status()).as(String.join(" ", command)).isEqualTo(1);
            assertThat(result.errLines()).isEqualTo(1);
            assertThat(result.err()).contains("unknown topic 'ghost'");
        }
        assertThat(broker.run("topics", "delete", "ghost", "--if-exists").status()).isZero();
    }

    @Test
    void shouldRefuseToShrinkATopicWithTheBrokersReason()
    {
        broker.run("topics", "create", "wide", "--partitions", "4");
        final CliBroker.Result shrink = broker.run("topics", "alter", "wide", "--partitions", "2");
        assertThat(shrink.status()).isEqualTo(1);
        assertThat(shrink.errLines()).isEqualTo(1);
        assertThat(shrink.err()).startsWith("sluice topics alter: cannot grow topic 'wide' to 2 partitions: ");
    }

    @Test
    void shouldExitTwoWithUsageForABadCommandLine()
    {
        final CliBroker.Result missing = CliBroker.cli("topics", "create");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("sluice topics create: Missing required parameter: 'TOPIC'").contains("Usage:");

        assertThat(CliBroker.cli("topics", "alter", "t").status()).isEqualTo(2);
        assertThat(CliBroker.cli("topics").status()).isEqualTo(2);
        assertThat(CliBroker.cli("nonsense").status()).isEqualTo(2);
    }

    @Test
    void shouldExplainEveryCommandWithHelp()
    {
        for (final String[] command : new String[][] {
            {"--help"}, {"topics", "--help"}, {"topics", "create", "--help"}, {"topics", "list", "--help"},
            {"topics", "describe", "--help"}, {"topics", "alter", "--help"}, {"topics", "delete", "--help"},
            {"produce", "--help"}, {"consume", "--help"}, {"groups", "--help"}, {"groups", "list", "--help"},
            {"groups", "describe", "--help"}, {"groups", "reset-offsets", "--help"}, {"groups", "delete", "--help"},
            {"stat", "--help"}})
        {
            final CliBroker.Result help = CliBroker.cli(command);
            assertThat(help.status()).as(String.join(" ", command)).isZero();
            assertThat(help.out()).startsWith("Usage: sluice");
        }
    }
}
