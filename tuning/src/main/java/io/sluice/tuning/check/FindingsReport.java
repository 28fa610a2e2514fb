package io.sluice.tuning.check;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints findings for a person (an aligned table, each reason under its row) or for a program (one JSON object).
 * Stateless.
 */
public final class FindingsReport
{
    private static final int WRAP = 100;
    private static final int MAX_FOUND_WIDTH = 24;
    private static final String INDENT = "         ";

    private FindingsReport()
    {
    }

    /** The table, with a first line counting what to advise. */
    public static void printText(final List<Finding> findings, final String source, final PrintStream out)
    {
        final long advise = findings.stream().filter(f -> f.verdict() == Verdict.ADVISE).count();
        out.println("sluice tune check: " + findings.size() + " settings read from " + source + ", " +
            advise + " to change (ADVISE)");
        out.println();

        int settingWidth = "SETTING".length();
        int foundWidth = "FOUND".length();
        for (final Finding f : findings)
        {
            settingWidth = Math.max(settingWidth, f.setting().length());
            foundWidth = Math.max(foundWidth, Math.min(f.found().length(), MAX_FOUND_WIDTH));
        }
        final String row = "%-7s  %-" + settingWidth + "s  %-" + foundWidth + "s  %s%n";
        out.printf(row, "VERDICT", "SETTING", "FOUND", "RECOMMENDED");
        for (final Finding f : findings)
        {
            out.printf(row, f.verdict(), f.setting(), f.found(), f.recommended());
            for (final String line : wrap(f.why(), WRAP - INDENT.length()))
            {
                out.println(INDENT + line);
            }
        }
    }

    /** {@code {"source": ..., "findings": [{"setting", "found", "recommended", "verdict", "why"}...]}} on one line. */
    public static void printJson(final List<Finding> findings, final String source, final PrintStream out)
    {
        final StringBuilder sb = new StringBuilder(4096);
        sb.append("{\"source\":").append(quote(source)).append(",\"findings\":[");
        for (int i = 0; i < findings.size(); i++)
        {
            final Finding f = findings.get(i);
            sb.append(i == 0 ? "" : ",")
                .append("{\"setting\":").append(quote(f.setting()))
                .append(",\"found\":").append(quote(f.found()))
                .append(",\"recommended\":").append(quote(f.recommended()))
                .append(",\"verdict\":").append(quote(f.verdict().name()))
                .append(",\"why\":").append(quote(f.why()))
                .append('}');
        }
        sb.append("]}");
        out.println(sb);
    }

    static String quote(final String text)
    {
        final StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static List<String> wrap(final String text, final int width)
    {
        final List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (final String word : text.split(" "))
        {
            if (line.length() > 0 && line.length() + 1 + word.length() > width)
            {
                lines.add(line.toString());
                line = new StringBuilder();
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        if (line.length() > 0)
        {
            lines.add(line.toString());
        }
        return lines;
    }
}
