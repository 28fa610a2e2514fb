package io.sluice.perf.load;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How the harness prints its figures: one place, so the table, progress line and report agree.
 * <p>
 * Formatted with {@link BigDecimal} rather than {@code String.format}: the progress line is printed once a second,
 * too rarely for the JIT, and interpreted {@code String.format} took 1-2 ms per line, a stall of the harness's own
 * CPU in every second it measured.
 */
public final class Figures
{
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private Figures()
    {
    }

    /** Nanoseconds as milliseconds with three decimals. */
    public static String millis(final double nanos)
    {
        return decimal(nanos / 1e6, 3);
    }

    /** Bytes per second as MiB/s (what Kafka's own perf tools print as "MB/sec"). */
    public static double mibPerSecond(final double bytesPerSecond)
    {
        return bytesPerSecond / BYTES_PER_MIB;
    }

    /** A count or rate with thousands separators and no decimals. */
    public static String whole(final double value)
    {
        final String digits = decimal(value, 0);
        final int first = digits.startsWith("-") ? 1 : 0;
        final StringBuilder grouped = new StringBuilder(digits.length() + digits.length() / 3);
        grouped.append(digits, 0, first);
        for (int i = first; i < digits.length(); i++)
        {
            if (i > first && (digits.length() - i) % 3 == 0)
            {
                grouped.append(',');
            }
            grouped.append(digits.charAt(i));
        }
        return grouped.toString();
    }

    /** A figure with {@code decimals} decimals (rounded half up), or "-" when it is missing (NaN). */
    public static String decimal(final double value, final int decimals)
    {
        return Double.isNaN(value) ? "-" : BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    /** {@code text} right-aligned in {@code width} characters (as {@code %Ns} would). */
    public static String padded(final String text, final int width)
    {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }
}
