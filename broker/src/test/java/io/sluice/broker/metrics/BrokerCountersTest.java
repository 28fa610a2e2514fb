package io.sluice.broker.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerCountersTest
{
    @TempDir
    Path dir;

    @Test
    void shouldShowCountersThroughASecondReadOnlyMappingOfTheFile()
    {
        final Path path = dir.resolve(MetricsFile.DEFAULT_FILE_NAME);
        final BrokerCounters counters = BrokerCounters.inFile(MetricsFile.create(path, 256, 4242, 1_700_000_000_000L), 2, 64);
        counters.shard(0).onAppend(2, 10, 500);
        counters.shard(1).onAppend(1, 5, 100);
        counters.partitionEndOffset("orders", 3).setRelease(77);

        try (MetricsFile reader = MetricsFile.openReadOnly(path))
        {
            assertThat(reader.pid()).isEqualTo(4242);
            assertThat(reader.startTimeMs()).isEqualTo(1_700_000_000_000L);
            final CountersSnapshot snapshot = CountersSnapshot.take(reader.reader());
            assertThat(snapshot.sum(CounterType.RECORDS_IN)).isEqualTo(15);
            assertThat(snapshot.sum(CounterType.BYTES_IN)).isEqualTo(600);
            assertThat(snapshot.sum(CounterType.APPENDS)).isEqualTo(2);
            assertThat(snapshot.sum(CounterType.RING_CAPACITY)).isEqualTo(128);
            final List<CountersSnapshot.Sample> offsets = snapshot.samples(CounterType.PARTITION_END_OFFSET);
            assertThat(offsets).hasSize(1);
            assertThat(offsets.get(0).label("topic")).isEqualTo("orders");
            assertThat(offsets.get(0).label("partition")).isEqualTo("3");
            assertThat(offsets.get(0).value()).isEqualTo(77);

            counters.shard(0).onAppend(1, 1, 1);
            assertThat(CountersSnapshot.take(reader.reader()).sum(CounterType.RECORDS_IN)).isEqualTo(16);
        }
    }

    @Test
    void shouldReuseThePartitionSlotOnceItsCounterIsClosed()
    {
        final BrokerCounters counters = BrokerCounters.inMemory(64, 1, 64);
        counters.partitionEndOffset("gone", 0).close();
        counters.partitionEndOffset("kept", 0).setRelease(5);

        final List<CountersSnapshot.Sample> offsets =
            CountersSnapshot.take(counters.reader()).samples(CounterType.PARTITION_END_OFFSET);
        assertThat(offsets).extracting(sample -> sample.label("topic")).containsExactly("kept");
    }

    @Test
    void shouldRefuseAFileThatIsNotACountersFile() throws Exception
    {
        final Path path = dir.resolve("other.dat");
        Files.write(path, new byte[MetricsFile.HEADER_LENGTH]);
        assertThatThrownBy(() -> MetricsFile.openReadOnly(path))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("not a Sluice counters file");
        assertThatThrownBy(() -> MetricsFile.openReadOnly(dir.resolve("missing.dat")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no counters file at");
    }

    @Test
    void shouldCountForceDurationsInCumulativeBuckets()
    {
        final BrokerCounters counters = BrokerCounters.inMemory(256, 1, 64);
        counters.shard(0).onForce(75_000);
        counters.shard(0).onForce(3_000_000);
        counters.shard(0).onForce(2_000_000_000L);

        final CountersSnapshot snapshot = CountersSnapshot.take(counters.reader());
        assertThat(bucket(snapshot, "0.00005")).isZero();
        assertThat(bucket(snapshot, "0.0001")).isEqualTo(1);
        assertThat(bucket(snapshot, "0.0025")).isEqualTo(1);
        assertThat(bucket(snapshot, "0.005")).isEqualTo(2);
        assertThat(bucket(snapshot, "1")).isEqualTo(2);
        assertThat(bucket(snapshot, "+Inf")).isEqualTo(3);
        assertThat(snapshot.sum(CounterType.FSYNC_COUNT)).isEqualTo(3);
        assertThat(snapshot.sum(CounterType.FSYNC_SUM)).isEqualTo(2_003_075_000L);
        assertThat(snapshot.max(CounterType.FSYNC_MAX)).isEqualTo(2_000_000_000L);
    }

    @Test
    void shouldCountErrorsByCodeWithTheirKafkaNames()
    {
        final BrokerCounters counters = BrokerCounters.inMemory(256, 1, 64);
        counters.errors().onError((short)3);
        counters.errors().onError((short)3);
        counters.errors().onError((short)0);

        final List<CountersSnapshot.Sample> errors = CountersSnapshot.take(counters.reader()).samples(CounterType.ERRORS);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).label("code")).isEqualTo("3");
        assertThat(errors.get(0).label("error")).isEqualTo("UNKNOWN_TOPIC_OR_PARTITION");
        assertThat(errors.get(0).value()).isEqualTo(2);
    }

    @Test
    void shouldKeepCountingWhenTheFileIsFull()
    {
        final BrokerCounters counters = BrokerCounters.inMemory(32, 1, 64);
        for (int i = 0; i < 40; i++)
        {
            counters.partitionEndOffset("t", i).setRelease(i);
        }
        assertThat(CountersSnapshot.take(counters.reader()).samples()).hasSize(32);
    }

    private static long bucket(final CountersSnapshot snapshot, final String le)
    {
        return snapshot.samples(CounterType.FSYNC_BUCKET).stream()
            .filter(sample -> sample.label("le").equals(le))
            .mapToLong(CountersSnapshot.Sample::value)
            .sum();
    }
}
