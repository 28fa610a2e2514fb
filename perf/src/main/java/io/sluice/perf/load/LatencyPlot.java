package io.sluice.perf.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws latency percentile curves the way HdrHistogram's plotter does: the x axis is 1/(1-percentile) on a log
 * scale, so 90 %, 99 %, 99.9 % ... sit a decade apart and the tail gets as much room as the median; the y axis is
 * latency in milliseconds, log-scaled too so brokers an order of magnitude apart fit one chart. The x values are
 * plotted as log10(1/(1-q)) on a linear axis labelled in percentiles (XChart's custom tick labels do not combine
 * with its log axes). Headless (PNG only).
 */
public final class LatencyPlot
{
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private LatencyPlot()
    {
    }

    /**
     * Write a PNG with one curve per entry of {@code histogramsByLabel} (histograms recorded in nanoseconds; empty
     * ones are skipped).
     */
    public static void write(final Path png, final String title, final Map<String, Histogram> histogramsByLabel)
        throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("percentile").yAxisTitle("latency (ms)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.setCustomXAxisTickLabelsFormatter(LatencyPlot::percentileLabel);
        int series = 0;
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (final Map.Entry<String, Histogram> entry : histogramsByLabel.entrySet())
        {
            final Histogram histogram = entry.getValue();
            if (histogram.getTotalCount() == 0)
            {
                continue;
            }
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            curve(histogram, x, y);
            lowest = Math.min(lowest, y.get(0));
            highest = Math.max(highest, y.get(y.size() - 1));
            final XYSeries line = chart.addSeries(entry.getKey(), x, y);
            line.setMarker(SeriesMarkers.NONE);
            series++;
        }
        if (series == 0)
        {
            throw new IllegalArgumentException("nothing to plot for " + png + ": every histogram is empty");
        }
        // label the ticks inside a decade when the curves span less than two decades, which otherwise might show
        // no y label at all; over more, decade labels alone stay readable
        chart.getStyler().setYAxisLogarithmicDecadeOnly(highest / lowest >= 100);
        final Path parent = png.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        try (var out = Files.newOutputStream(png))
        {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** The points of one curve: x = log10(1/(1-q)), y = latency in ms at quantile q, ending at the maximum. */
    static void curve(final Histogram nanos, final List<Double> x, final List<Double> y)
    {
        final long count = nanos.getTotalCount();
        for (final HistogramIterationValue value : nanos.percentiles(TICKS_PER_HALF_DISTANCE))
        {
            final double quantile = value.getPercentileLevelIteratedTo() / 100.0;
            if (quantile >= 1.0)
            {
                break;
            }
            x.add(Math.log10(1.0 / (1.0 - quantile)));
            y.add(Math.max(1e-3, nanos.highestEquivalentValue(value.getValueIteratedTo()) / 1e6));
        }
        // the maximum sits where one record in `count` is above, 1/(1 - (1 - 1/count)), or past the last level
        x.add(Math.max(x.isEmpty() ? 0.0 : x.get(x.size() - 1), Math.log10(Math.max(count, 2))));
        y.add(Math.max(1e-3, nanos.getMaxValue() / 1e6));
    }

    /** 0 -> "0%", 1 -> "90%", 2 -> "99%", 3 -> "99.9%", 2.5 -> "99.7%" ... (x = log10(1/(1-q))) */
    static String percentileLabel(final double x)
    {
        final double percentile = 100.0 * (1.0 - Math.pow(10, -x));
        final int decimals = Math.max(0, (int)Math.ceil(x - 1e-9) - 2);
        return String.format(Locale.ROOT, "%." + decimals + "f%%", percentile);
    }
}
