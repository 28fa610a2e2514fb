package io.sluice.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Topic administration over the native protocol. */
@Timeout(60)
class AdminTest
{
    @TempDir
    Path dir;

    private NativeTestBroker broker;
    private SluiceAdmin admin;

    @BeforeEach
    void start()
    {
        broker = NativeTestBroker.start(dir, "num.partitions=4");
        admin = new SluiceAdmin(broker.context());
    }

    @AfterEach
    void stop()
    {
        admin.close();
        broker.close();
    }

    @Test
    void shouldCreateListDescribeAndDeleteTopics()
    {
        final TopicDescription created = admin.createTopic("alpha", 3, Map.of("retention.ms", "60000"));
        assertThat(created.partitionCount()).isEqualTo(3);
        assertThat(admin.createTopic("beta", -1, Map.of()).partitionCount()).as("num.partitions").isEqualTo(4);

        assertThat(admin.listTopics()).containsExactly("alpha", "beta");
        final TopicDescription described = admin.describeTopics("alpha").get(0);
        assertThat(described.id()).isEqualTo(created.id());
        assertThat(described.configs()).containsEntry("retention.ms", "60000");

        admin.deleteTopic("alpha");
        assertThat(admin.listTopics()).containsExactly("beta");
        assertThatThrownBy(() -> admin.describeTopics("alpha"))
            .isInstanceOf(SluiceException.class).hasMessageContaining("'alpha'");
    }

    @Test
    void shouldReportRefusalsWithTheBrokersCodeAndMessage()
    {
        admin.createTopic("taken", 1, Map.of());
        assertThatThrownBy(() -> admin.createTopic("taken", 1, Map.of()))
            .isInstanceOf(SluiceException.class)
            .hasMessageContaining("already exists")
            .extracting(ex -> ((SluiceException)ex).errorCode()).isEqualTo((short)36);
        assertThatThrownBy(() -> admin.createTopic("bad", 1, Map.of("no.such.config", "1")))
            .extracting(ex -> ((SluiceException)ex).errorCode()).isEqualTo((short)40);
        assertThatThrownBy(() -> admin.createTopic("bad name!", 1, Map.of()))
            .extracting(ex -> ((SluiceException)ex).errorCode()).isEqualTo((short)17);
        assertThatThrownBy(() -> admin.deleteTopic("never"))
            .extracting(ex -> ((SluiceException)ex).errorCode()).isEqualTo((short)3);
        admin.validateTopic("checked", 2, Map.of());
        assertThat(admin.listTopics()).containsExactly("taken");
    }
}
