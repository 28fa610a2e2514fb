package io.sluice.cli;

import java.util.Locale;

/** Byte counts for people: {@code 512 B}, {@code 1.5 KiB}, {@code 12.0 MiB}. */
public final class Sizes
{
    private Sizes()
    {
    }

    public static String bytes(final double bytes)
    {
        if (bytes < 1024)
        {
            return String.format(Locale.ROOT, "%.0f B", bytes);
        }
        final String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
