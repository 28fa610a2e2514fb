package io.sluice.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** A point in time as a user writes it: epoch milliseconds, an ISO instant, or an ISO local date-time. */
public final class TimeArgument
{
    private TimeArgument()
    {
    }

    /**
     * Milliseconds since the epoch for {@code text}: {@code 1714557600000}, {@code 2024-05-01T10:00:00Z}, or
     * {@code 2024-05-01T12:00:00} (in this machine's zone).
     *
     * @throws CliFailure naming the text when it is none of these.
     */
    public static long parseMillis(final String text)
    {
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException notMillis)
        {
            try
            {
                return Instant.parse(text).toEpochMilli();
            }
            catch (final DateTimeParseException notInstant)
            {
                try
                {
                    return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
                }
                catch (final DateTimeParseException notLocal)
                {
                    throw new CliFailure("bad time '" + text +
                        "' (epoch ms, 2024-05-01T10:00:00Z, or 2024-05-01T12:00:00 in local time)");
                }
            }
        }
    }
}
