package io.sluice.broker;

import java.io.PrintStream;
import java.time.Instant;

/**
 * The broker's event log: one line per event on standard output, {@code time LEVEL [thread] message}.
 *
 * <p>Thread-safe (each line is one {@link PrintStream#println} call). Meant for events (start, stop, a closed
 * connection, a recovered log), never for per-request tracing: nothing on the hot path logs.
 */
public final class BrokerLog
{
    private static volatile PrintStream out = System.out;

    private BrokerLog()
    {
    }

    /** Send log lines somewhere else (tests). */
    public static void output(final PrintStream stream)
    {
        out = stream;
    }

    public static void info(final String message)
    {
        line("INFO", message);
    }

    public static void warn(final String message)
    {
        line("WARN", message);
    }

    public static void error(final String message, final Throwable cause)
    {
        line("ERROR", message + ": " + cause);
    }

    private static void line(final String level, final String message)
    {
        out.println(Instant.now() + " " + level + " [" + Thread.currentThread().getName() + "] " + message);
    }
}
