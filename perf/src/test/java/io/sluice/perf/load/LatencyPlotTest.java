package io.sluice.perf.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LatencyPlotTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLabelDecadesAsNinesPercentiles()
    {
        assertThat(LatencyPlot.percentileLabel(0)).isEqualTo("0%");
        assertThat(LatencyPlot.percentileLabel(1)).isEqualTo("90%");
        assertThat(LatencyPlot.percentileLabel(2)).isEqualTo("99%");
        assertThat(LatencyPlot.percentileLabel(3)).isEqualTo("99.9%");
        assertThat(LatencyPlot.percentileLabel(4)).isEqualTo("99.99%");
        assertThat(LatencyPlot.percentileLabel(2.5)).isEqualTo("99.7%");
    }

    @Test
    void shouldPlotTheCurveUpToTheMaximum()
    {
        final Histogram nanos = new Histogram(3);
        for (int i = 1; i <= 1_000; i++)
        {
            nanos.recordValue(i * 1_000_000L);
        }
        final List<Double> x = new ArrayList<>();
        final List<Double> y = new ArrayList<>();

        LatencyPlot.curve(nanos, x, y);

        assertThat(x).isSorted();
        assertThat(y).isSorted();
        assertThat(x.get(0)).isZero();
        assertThat(x.get(x.size() - 1)).isGreaterThanOrEqualTo(3.0);
        assertThat(y.get(y.size() - 1)).isCloseTo(1_000.0, within(1.0));
    }

    @Test
    void shouldWriteAPngWithOneCurvePerBroker() throws Exception
    {
        final Map<String, Histogram> curves = new LinkedHashMap<>();
        curves.put("sluice", histogram(200_000L));
        curves.put("kafka", histogram(2_000_000L));
        final Path png = dir.resolve("plots/latency.png");

        LatencyPlot.write(png, "test", curves);

        final byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).hasSizeGreaterThan(1_000);
        assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void shouldRefuseToPlotNothing()
    {
        assertThatThrownBy(() -> LatencyPlot.write(dir.resolve("x.png"), "empty", Map.of("a", new Histogram(3))))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static Histogram histogram(final long scaleNanos)
    {
        final Histogram histogram = new Histogram(3);
        for (int i = 1; i <= 10_000; i++)
        {
            histogram.recordValue(scaleNanos + (long)i * i);
        }
        return histogram;
    }
}
