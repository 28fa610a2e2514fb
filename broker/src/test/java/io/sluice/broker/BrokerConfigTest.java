package io.sluice.broker;

import io.sluice.tuning.CpuList;
import io.sluice.tuning.IdleStrategyKind;
import io.sluice.tuning.IdleStrategySpec;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerConfigTest
{
    @Test
    void shouldStartFromTheContractDefaults()
    {
        final BrokerConfig config = new BrokerConfig().conclude();

        assertThat(config.listener("PLAINTEXT")).isEqualTo(new BrokerConfig.Endpoint("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(config.listener("NATIVE")).isEqualTo(new BrokerConfig.Endpoint("NATIVE", "127.0.0.1", 9093));
        assertThat(config.logDirs()).containsExactly(Path.of("./data"));
        assertThat(config.autoCreateTopics()).isTrue();
        assertThat(config.acksAllFlush()).isTrue();
        assertThat(config.numPartitions()).isEqualTo(1);
        assertThat(config.logConfig().retentionMs()).isEqualTo(168L * 3_600_000L);
    }

    @Test
    void shouldAcceptTheConformanceSuiteOverrides()
    {
        final BrokerConfig config = new BrokerConfig()
            .override("listeners=PLAINTEXT://127.0.0.1:28095")
            .override("log.dirs=/tmp/x")
            .override("num.partitions=1")
            .override("auto.create.topics.enable=true")
            .conclude();

        assertThat(config.listeners()).containsExactly(new BrokerConfig.Endpoint("PLAINTEXT", "127.0.0.1", 28095));
        assertThat(config.logDirs()).containsExactly(Path.of("/tmp/x"));
    }

    @Test
    void shouldPreferRetentionMsOverMinutesOverHours()
    {
        assertThat(new BrokerConfig().set("log.retention.hours", "1").conclude().logConfig().retentionMs())
            .isEqualTo(3_600_000L);
        assertThat(new BrokerConfig().set("log.retention.hours", "1").set("log.retention.minutes", "2").conclude()
            .logConfig().retentionMs()).isEqualTo(120_000L);
        assertThat(new BrokerConfig().set("log.retention.minutes", "2").set("log.retention.ms", "5").conclude()
            .logConfig().retentionMs()).isEqualTo(5L);
        assertThat(new BrokerConfig().set("log.retention.ms", "-1").conclude().logConfig().retentionMs()).isEqualTo(-1L);
    }

    @Test
    void shouldGiveTopicsTheCleanerDefaultsAndRunNoCleanerWhenDisabled()
    {
        final BrokerConfig config = new BrokerConfig()
            .set("log.cleaner.min.cleanable.ratio", "0.25")
            .set("log.cleaner.delete.retention.ms", "1000")
            .set("log.cleaner.threads", "2")
            .conclude();
        assertThat(config.logConfig().minCleanableDirtyRatio()).isEqualTo(0.25);
        assertThat(config.logConfig().deleteRetentionMs()).isEqualTo(1000);
        assertThat(config.cleanerContext().threads()).isEqualTo(2);
        assertThat(new BrokerConfig().set("log.cleaner.enable", "false").conclude().cleanerContext()).isNull();
    }

    @Test
    void shouldRejectAnUnknownPropertyNamingIt()
    {
        assertThatThrownBy(() -> new BrokerConfig().set("log.segment.byte", "10"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("unknown property log.segment.byte");
    }

    @Test
    void shouldRejectInvalidValuesNamingTheProperty()
    {
        assertThatThrownBy(() -> new BrokerConfig().set("log.segment.bytes", "abc").conclude())
            .hasMessageContaining("log.segment.bytes");
        assertThatThrownBy(() -> new BrokerConfig().set("num.partitions", "0").conclude())
            .hasMessageContaining("num.partitions");
        assertThatThrownBy(() -> new BrokerConfig().set("auto.create.topics.enable", "yes").conclude())
            .hasMessageContaining("auto.create.topics.enable");
        assertThatThrownBy(() -> new BrokerConfig().set("listeners", "SSL://127.0.0.1:9092").conclude())
            .hasMessageContaining("listeners");
        assertThatThrownBy(() -> new BrokerConfig().set("listeners", "PLAINTEXT://127.0.0.1:99999").conclude())
            .hasMessageContaining("listeners");
        assertThatThrownBy(() -> new BrokerConfig().set("default.replication.factor", "3").conclude())
            .hasMessageContaining("default.replication.factor");
        assertThatThrownBy(() -> new BrokerConfig().set("sluice.shard.ring.size", "1000").conclude())
            .hasMessageContaining("sluice.shard.ring.size");
        assertThatThrownBy(() -> new BrokerConfig().set("log.roll.hours", "0").conclude())
            .hasMessageContaining("log.roll.hours");
        assertThatThrownBy(() -> new BrokerConfig().set("log.cleaner.min.cleanable.ratio", "1.5").conclude())
            .hasMessageContaining("log.cleaner.min.cleanable.ratio");
        assertThatThrownBy(() -> new BrokerConfig().set("log.cleaner.threads", "0").conclude())
            .hasMessageContaining("log.cleaner.threads");
        assertThatThrownBy(() -> new BrokerConfig().override("no-equals-sign"))
            .hasMessageContaining("key=value");
        assertThatThrownBy(() -> new BrokerConfig().set("sluice.thread.model", "shared").conclude())
            .hasMessageContaining("sluice.thread.model").hasMessageContaining("split, colocated");
        assertThatThrownBy(() -> new BrokerConfig().set("sluice.fetch.inline.max.bytes", "-1").conclude())
            .hasMessageContaining("sluice.fetch.inline.max.bytes");
    }

    @Test
    void shouldSplitNetworkAndShardThreadsAndInlineSmallFetchesByDefault()
    {
        final BrokerConfig defaults = new BrokerConfig().conclude();
        assertThat(defaults.colocated()).isFalse();
        assertThat(defaults.fetchInlineMaxBytes()).isEqualTo(16 * 1024);

        final BrokerConfig tuned = new BrokerConfig()
            .set("sluice.thread.model", "colocated").set("sluice.fetch.inline.max.bytes", "0").conclude();
        assertThat(tuned.colocated()).isTrue();
        assertThat(tuned.fetchInlineMaxBytes()).isZero();
    }

    @Test
    void shouldBlockWhenIdleAndLeaveThreadsUnpinnedByDefault()
    {
        final BrokerConfig config = new BrokerConfig().conclude();

        assertThat(config.shardIdleStrategy()).hasToString("blocking:10,5,10ms");
        assertThat(config.networkIdleStrategy()).hasToString("blocking:10,5,10ms");
        assertThat(config.shardAffinity().isEmpty()).isTrue();
        assertThat(config.networkAffinity().isEmpty()).isTrue();
    }

    @Test
    void shouldReadAnIdleStrategyAndCpuListPerThreadGroup()
    {
        final BrokerConfig config = new BrokerConfig()
            .override("sluice.idle.strategy.shard=busy-spin")
            .override("sluice.idle.strategy.network=sleeping:200us")
            .override("sluice.affinity.shard=2-3,0")
            .override("sluice.affinity.network=1")
            .conclude();

        assertThat(config.shardIdleStrategy().kind()).isEqualTo(IdleStrategyKind.BUSY_SPIN);
        assertThat(config.shardIdleStrategy().get()).isInstanceOf(BusySpinIdleStrategy.class);
        assertThat(config.networkIdleStrategy()).isEqualTo(IdleStrategySpec.sleeping(200_000));
        assertThat(config.shardAffinity()).isEqualTo(CpuList.parse("2,3,0"));
        assertThat(config.networkAffinity()).isEqualTo(CpuList.parse("1"));
    }

    @Test
    void shouldRejectABadIdleStrategyOrCpuListInOneLineNamingTheProperty()
    {
        for (final String[] bad : new String[][]{
            {"sluice.idle.strategy.shard", "spin"},
            {"sluice.idle.strategy.shard", "backoff:1,2"},
            {"sluice.idle.strategy.network", "sleeping:soon"},
            {"sluice.idle.strategy.network", ""},
            {"sluice.affinity.shard", "3-1"},
            {"sluice.affinity.shard", "zero"},
            {"sluice.affinity.network", "0,0"},
            {"sluice.affinity.network", "-1"}})
        {
            assertThatThrownBy(() -> new BrokerConfig().set(bad[0], bad[1]).conclude())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid " + bad[0] + ": ")
                .hasMessageContaining("'" + bad[1] + "'")
                .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void shouldNoLongerKnowTheOldShardIdleStrategyName()
    {
        assertThatThrownBy(() -> new BrokerConfig().set("sluice.shard.idle.strategy", "backoff"))
            .hasMessage("unknown property sluice.shard.idle.strategy");
    }

    @Test
    void shouldLetOverridesWinOverTheFile(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("server.properties");
        Files.write(file, List.of("# a comment", "num.partitions=3", "log.dirs=/from/file"));

        final BrokerConfig config = BrokerMain.parse(new String[]{file.toString(), "--override", "num.partitions=5"})
            .conclude();

        assertThat(config.numPartitions()).isEqualTo(5);
        assertThat(config.logDirs()).containsExactly(Path.of("/from/file"));
        assertThat(config.isSet("num.partitions")).isTrue();
    }

    @Test
    void shouldRejectAnUnreadableFileAndStrayArguments(@TempDir final Path dir)
    {
        assertThatThrownBy(() -> BrokerMain.parse(new String[]{dir.resolve("missing.properties").toString()}))
            .hasMessageContaining("missing.properties");
        assertThatThrownBy(() -> BrokerMain.parse(new String[]{"--verbose"})).hasMessageContaining("--verbose");
        assertThatThrownBy(() -> BrokerMain.parse(new String[]{"--override"})).hasMessageContaining("--override");
    }

    @Test
    void shouldKeepLogDirAsFallbackForLogDirs()
    {
        assertThat(new BrokerConfig().set("log.dir", "/a").conclude().logDirs()).containsExactly(Path.of("/a"));
        assertThat(new BrokerConfig().set("log.dir", "/a").set("log.dirs", "/b,/c").conclude().logDirs())
            .containsExactly(Path.of("/b"), Path.of("/c"));
    }
}
