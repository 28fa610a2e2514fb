package io.sluice.perf.load;

import java.util.Locale;

/** How the harness prints its figures: one place, so the table, progress line and report agree. */
public final class Figures
{
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private Figures()
    {
    }

    /** Nanoseconds as milliseconds with three decimals. */
    public static String millis(final double nanos)
    {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    /** Bytes per second as MiB/s (what Kafka's own perf tools print as "MB/sec"). */
    public static double mibPerSecond(final double bytesPerSecond)
    {
        return bytesPerSecond / BYTES_PER_MIB;
    }

    /** A count or rate with thousands separators and no decimals. */
    public static String whole(final double value)
    {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** A figure with {@code decimals} decimals, or "-" when it is missing (NaN). */
    public static String decimal(final double value, final int decimals)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
