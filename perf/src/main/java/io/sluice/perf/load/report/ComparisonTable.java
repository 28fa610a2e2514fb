package io.sluice.perf.load.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a {@link Comparison} as an aligned text table (stdout) or a Markdown table (the report). */
public final class ComparisonTable
{
    private ComparisonTable()
    {
    }

    public static String text(final Comparison comparison)
    {
        final List<String[]> lines = lines(comparison);
        final int[] widths = new int[lines.get(0).length];
        for (final String[] line : lines)
        {
            for (int i = 0; i < line.length; i++)
            {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        final StringBuilder out = new StringBuilder();
        for (final String[] line : lines)
        {
            for (int i = 0; i < line.length; i++)
            {
                // names and figures left-aligned, numbers right-aligned
                final String format = i < 2 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
                out.append(String.format(Locale.ROOT, format, line[i]));
                out.append(i + 1 < line.length ? "  " : "");
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }

    public static String markdown(final Comparison comparison)
    {
        final List<String[]> lines = lines(comparison);
        final StringBuilder out = new StringBuilder();
        for (int l = 0; l < lines.size(); l++)
        {
            out.append("| ").append(String.join(" | ", lines.get(l))).append(" |\n");
            if (l == 0)
            {
                out.append('|');
                for (int i = 0; i < lines.get(0).length; i++)
                {
                    out.append(i < 2 ? "---|" : "---:|");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** A figure as the tables show it: 3 significant digits below 100, whole numbers with separators above. */
    public static String format(final Double value)
    {
        if (value == null || value.isNaN())
        {
            return "-";
        }
        final double v = value;
        if (Math.abs(v) >= 100)
        {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10)
        {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (Math.abs(v) >= 1)
        {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static List<String[]> lines(final Comparison comparison)
    {
        final List<String> labels = comparison.labels();
        final List<String[]> lines = new ArrayList<>();
        final String[] header = new String[labels.size() + 4];
        header[0] = "run";
        header[1] = "figure";
        for (int i = 0; i < labels.size(); i++)
        {
            header[2 + i] = labels.get(i);
        }
        header[labels.size() + 2] = comparison.candidate() + "/" + comparison.baseline();
        header[labels.size() + 3] = "target";
        lines.add(header);
        String lastName = null;
        for (final Comparison.Row row : comparison.rows())
        {
            final String[] line = new String[header.length];
            line[0] = row.name().equals(lastName) ? "" : row.name();
            lastName = row.name();
            line[1] = row.figure().title();
            for (int i = 0; i < labels.size(); i++)
            {
                line[2 + i] = format(row.medians().get(labels.get(i)));
            }
            line[labels.size() + 2] = Double.isNaN(row.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f", row.ratio());
            line[labels.size() + 3] = row.target() == null ? "" : row.target().describe(row.ratio());
            lines.add(line);
        }
        return lines;
    }
}
