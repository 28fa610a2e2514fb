package io.sluice.perf.load;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadResultTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadBackWhatItWrote() throws Exception
    {
        final LoadResult result = new LoadResult("e2e", "e2e-10k", "sluice", 100, "all", 10_000, 60_000, 6_000_000,
            6.0, 10_000, 0.95, 0, 2, 0, new LoadResult.Latency(60_000, 210.5, 400, 900, 1_500, 3_000), 4.5, 30.25,
            "/tmp/x.hlog");
        final Path file = dir.resolve("runs/r.json");

        result.write(file);

        assertThat(LoadResult.read(file)).isEqualTo(result);
        assertThat(Files.readString(file)).contains("\"recordsPerSecond\": 10000.0");
    }

    @Test
    void shouldKeepUnmeasuredFiguresNull() throws Exception
    {
        final LoadResult result = new LoadResult("consume", "consume-1KB", "kafka", 1024, "1", 0, 10, 10_240,
            1.0, 10, 0.01, 0, 0, 0, null, null, 3.0, null);
        final Path file = dir.resolve("c.json");

        result.write(file);

        final LoadResult read = LoadResult.read(file);
        assertThat(read.latency()).isNull();
        assertThat(read.brokerCpuUsPerRecord()).isNull();
        assertThat(read).isEqualTo(result);
    }

    @Test
    void shouldRefuseJsonThatIsNoResult() throws Exception
    {
        final Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"foo\": 1}");

        assertThatThrownBy(() -> LoadResult.read(file)).hasMessageContaining("not a sluice perf result");
    }
}
