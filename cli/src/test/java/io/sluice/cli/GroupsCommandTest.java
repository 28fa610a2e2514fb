package io.sluice.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Groups against Sluice's own group coordinator: committed offsets, lag, resets and deletion. */
@Timeout(90)
class GroupsCommandTest
{
    @TempDir
    Path dir;

    private CliBroker broker;

    @BeforeEach
    void start()
    {
        broker = CliBroker.start(dir);
        broker.run("topics", "create", "work", "--partitions", "2");
        final InputStream original = System.in;
        System.setIn(new ByteArrayInputStream("0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n".getBytes(StandardCharsets.UTF_8)));
        try
        {
            assertThat(broker.run("produce", "work", "--partition", "0").status()).isZero();
        }
        finally
        {
            System.setIn(original);
        }
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldShowCommittedOffsetsAndLagPerPartitionAfterAGroupConsumes()
    {
        final CliBroker.Result consumed = broker.run("consume", "work", "--group", "workers", "--from-beginning", "--max-records", "4");
        assertThat(consumed.status()).as(consumed.err()).isZero();
        assertThat(consumed.out()).isEqualTo("0\n1\n2\n3\n");

        final CliBroker.Result listed = broker.run("groups", "list");
        assertThat(listed.status()).isZero();
        assertThat(listed.out()).startsWith("workers\t");

        final CliBroker.Result described = broker.run("groups", "describe", "workers");
        assertThat(described.status()).as(described.err()).isZero();
        assertThat(described.out())
            .contains("Group: workers  state: Empty  members: 0")
            .containsPattern("(?m)^  work +0 +4 +10 +6  -$")
            .contains("total lag: 6");
    }

    @Test
    void shouldPlanThenApplyAnOffsetResetAndDeleteTheGroup()
    {
        broker.run("consume", "work", "--group", "resetters", "--from-beginning", "--max-records", "8");

        final CliBroker.Result plan = broker.run("groups", "reset-offsets", "resetters", "--topic", "work:0", "--shift-by", "-5");
        assertThat(plan.status()).isZero();
        assertThat(plan.out()).containsPattern("(?m)^work +0 +8 +3$").contains("dry run: nothing changed");
        assertThat(broker.run("groups", "describe", "resetters").out()).containsPattern("(?m)^  work +0 +8 +10 +2 ");

        final CliBroker.Result applied = broker.run("groups", "reset-offsets", "resetters", "--topic", "work", "--to-earliest", "--execute");
        assertThat(applied.status()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("committed new offsets for 2 partitions of group 'resetters'");
        assertThat(broker.run("groups", "describe", "resetters").out()).containsPattern("(?m)^  work +0 +0 +10 +10 ");
        assertThat(broker.run("consume", "work", "--group", "resetters", "--max-records", "2").out()).isEqualTo("0\n1\n");

        final CliBroker.Result deleted = broker.run("groups", "delete", "resetters");
        assertThat(deleted.status()).as(deleted.err()).isZero();
        assertThat(deleted.out()).isEqualTo("deleted group 'resetters'\n");

        final CliBroker.Result gone = broker.run("groups", "describe", "resetters");
        assertThat(gone.status()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("sluice groups describe: unknown group 'resetters'\n");
        final CliBroker.Result deleteAgain = broker.run("groups", "delete", "resetters");
        assertThat(deleteAgain.status()).isEqualTo(1);
        assertThat(deleteAgain.errLines()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAResetWithoutExactlyOneTarget()
    {
        assertThat(broker.run("groups", "reset-offsets", "g", "--topic", "work").status()).isEqualTo(2);
        assertThat(broker.run("groups", "reset-offsets", "g", "--topic", "work", "--to-earliest", "--to-latest").status()).isEqualTo(2);
        final CliBroker.Result unknownTopic = broker.run("groups", "reset-offsets", "g", "--topic", "nope", "--to-earliest");
        assertThat(unknownTopic.status()).isEqualTo(1);
        assertThat(unknownTopic.err()).isEqualTo("sluice groups reset-offsets: unknown topic 'nope'\n");
    }
}
