package io.sluice.tuning;

/**
 * Reads and writes the short durations that tuning properties carry: {@code 250}, {@code 250ns}, {@code 50us},
 * {@code 1ms}. A bare number is nanoseconds. Stateless.
 */
final class DurationParser
{
    private DurationParser()
    {
    }

    /**
     * @throws IllegalArgumentException naming the text when it is not a whole number with an optional unit.
     */
    static long nanos(final String text)
    {
        final String t = text.trim();
        final long multiplier;
        final String digits;
        if (t.endsWith("ns"))
        {
            multiplier = 1;
            digits = t.substring(0, t.length() - 2);
        }
        else if (t.endsWith("us"))
        {
            multiplier = 1_000;
            digits = t.substring(0, t.length() - 2);
        }
        else if (t.endsWith("ms"))
        {
            multiplier = 1_000_000;
            digits = t.substring(0, t.length() - 2);
        }
        else
        {
            multiplier = 1;
            digits = t;
        }
        try
        {
            return Math.multiplyExact(Long.parseLong(digits.trim()), multiplier);
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw new IllegalArgumentException("not a duration: '" + t + "' (a whole number of ns, us or ms)");
        }
    }

    /** The shortest exact form: {@code 1ms}, {@code 100us}, {@code 1500ns}. */
    static String format(final long nanos)
    {
        if (nanos != 0 && nanos % 1_000_000 == 0)
        {
            return nanos / 1_000_000 + "ms";
        }
        if (nanos != 0 && nanos % 1_000 == 0)
        {
            return nanos / 1_000 + "us";
        }
        return nanos + "ns";
    }
}
