package io.sluice.tuning;

import java.util.function.Supplier;

import io.sluice.transport.BlockingIdleStrategy;
import io.sluice.transport.BlockingWait;
import io.sluice.transport.ParkingWait;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * A parsed idle-strategy property value, and the factory for the Agrona {@link IdleStrategy} it names.
 *
 * <pre>
 *   busy-spin
 *   yielding
 *   backoff                                  spins 10, yields 5, parks 1 us doubling to 100 us
 *   backoff:SPINS,YIELDS,MIN_PARK,MAX_PARK   e.g. backoff:100,10,1us,50us
 *   blocking                                 spins 10, yields 5, then blocks until woken, 10 ms at most
 *   blocking:SPINS,YIELDS,MAX_BLOCK          e.g. blocking:100,10,10ms
 *   sleeping                                 parks 1 ms
 *   sleeping:PERIOD                          e.g. sleeping:200us
 * </pre>
 *
 * Periods are nanoseconds, or carry a unit: {@code ns}, {@code us} or {@code ms}.
 *
 * <p>Immutable and thread-safe. {@link #newIdleStrategy} makes a new strategy on each call because backoff and
 * blocking strategies keep per-thread state: give every thread its own.
 */
public final class IdleStrategySpec implements Supplier<IdleStrategy>
{
    /** The backoff ceiling the broker and transport have used since they started: 100 us. */
    public static final long DEFAULT_BACKOFF_MAX_PARK_NS = 100_000;
    public static final long DEFAULT_SLEEP_PERIOD_NS = 1_000_000;
    /** The longest a blocked thread sleeps without being woken: its timers are late by at most this. */
    public static final long DEFAULT_MAX_BLOCK_NS = 10_000_000;

    private static final String FORMS =
        "expected busy-spin, yielding, backoff, backoff:SPINS,YIELDS,MIN_PARK,MAX_PARK, blocking, " +
        "blocking:SPINS,YIELDS,MAX_BLOCK, sleeping or sleeping:PERIOD " +
        "(periods in ns, or with a unit ns, us or ms)";

    private final IdleStrategyKind kind;
    private final long maxSpins;
    private final long maxYields;
    private final long minParkNs;
    private final long maxParkNs;

    private IdleStrategySpec(
        final IdleStrategyKind kind,
        final long maxSpins,
        final long maxYields,
        final long minParkNs,
        final long maxParkNs)
    {
        this.kind = kind;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
    }

    /** Busy-spin, yielding, or sleeping/backoff with their default parameters. */
    public static IdleStrategySpec of(final IdleStrategyKind kind)
    {
        return switch (kind)
        {
            case BUSY_SPIN, YIELDING -> new IdleStrategySpec(kind, 0, 0, 0, 0);
            case BACKOFF -> backoff(
                BackoffIdleStrategy.DEFAULT_MAX_SPINS,
                BackoffIdleStrategy.DEFAULT_MAX_YIELDS,
                BackoffIdleStrategy.DEFAULT_MIN_PARK_PERIOD_NS,
                DEFAULT_BACKOFF_MAX_PARK_NS);
            case BLOCKING -> blocking(
                BackoffIdleStrategy.DEFAULT_MAX_SPINS, BackoffIdleStrategy.DEFAULT_MAX_YIELDS, DEFAULT_MAX_BLOCK_NS);
            case SLEEPING -> sleeping(DEFAULT_SLEEP_PERIOD_NS);
        };
    }

    /**
     * Spin {@code maxSpins} times, then yield {@code maxYields} times, then block until woken, at most
     * {@code maxBlockNs} at a time.
     *
     * @throws IllegalArgumentException when a count is negative or the bound is below 1 ms.
     */
    public static IdleStrategySpec blocking(final long maxSpins, final long maxYields, final long maxBlockNs)
    {
        if (maxSpins < 0 || maxYields < 0)
        {
            throw new IllegalArgumentException(
                "blocking spins and yields must be 0 or more: " + maxSpins + ", " + maxYields);
        }
        if (maxBlockNs < 1_000_000)
        {
            throw new IllegalArgumentException("blocking MAX_BLOCK must be at least 1ms: " + maxBlockNs + "ns");
        }
        return new IdleStrategySpec(IdleStrategyKind.BLOCKING, maxSpins, maxYields, maxBlockNs, maxBlockNs);
    }

    /**
     * Spin {@code maxSpins} times, then yield {@code maxYields} times, then park from {@code minParkNs} doubling up
     * to {@code maxParkNs} until work turns up.
     *
     * @throws IllegalArgumentException when a count is negative, a period is below 1 ns or the periods are reversed.
     */
    public static IdleStrategySpec backoff(
        final long maxSpins, final long maxYields, final long minParkNs, final long maxParkNs)
    {
        if (maxSpins < 0 || maxYields < 0)
        {
            throw new IllegalArgumentException(
                "backoff spins and yields must be 0 or more: " + maxSpins + ", " + maxYields);
        }
        if (minParkNs < 1 || maxParkNs < minParkNs)
        {
            throw new IllegalArgumentException(
                "backoff parks need 1 ns <= MIN_PARK <= MAX_PARK: " + minParkNs + "ns, " + maxParkNs + "ns");
        }
        return new IdleStrategySpec(IdleStrategyKind.BACKOFF, maxSpins, maxYields, minParkNs, maxParkNs);
    }

    /**
     * Park for {@code periodNs} on every idle cycle.
     *
     * @throws IllegalArgumentException when the period is below 1 ns.
     */
    public static IdleStrategySpec sleeping(final long periodNs)
    {
        if (periodNs < 1)
        {
            throw new IllegalArgumentException("sleeping period must be at least 1ns: " + periodNs + "ns");
        }
        return new IdleStrategySpec(IdleStrategyKind.SLEEPING, 0, 0, periodNs, periodNs);
    }

    /**
     * Parse a property value (forms in the class comment; surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the value and the accepted forms when it is not one of them.
     */
    public static IdleStrategySpec parse(final String value)
    {
        final String trimmed = value.trim();
        final int colon = trimmed.indexOf(':');
        final String name = colon < 0 ? trimmed : trimmed.substring(0, colon);
        final IdleStrategyKind kind = IdleStrategyKind.forToken(name);
        if (kind == null)
        {
            throw invalid(value, null);
        }
        if (colon < 0)
        {
            return of(kind);
        }

        final String[] params = trimmed.substring(colon + 1).split(",", -1);
        try
        {
            if (kind == IdleStrategyKind.BACKOFF && params.length == 4)
            {
                return backoff(
                    count(params[0]),
                    count(params[1]),
                    DurationParser.nanos(params[2]),
                    DurationParser.nanos(params[3]));
            }
            if (kind == IdleStrategyKind.BLOCKING && params.length == 3)
            {
                return blocking(count(params[0]), count(params[1]), DurationParser.nanos(params[2]));
            }
            if (kind == IdleStrategyKind.SLEEPING && params.length == 1)
            {
                return sleeping(DurationParser.nanos(params[0]));
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw invalid(value, ex.getMessage());
        }
        throw invalid(value, kind.token() + " takes " + (switch (kind)
        {
            case BACKOFF -> "4 parameters";
            case BLOCKING -> "3 parameters";
            case SLEEPING -> "1 parameter";
            default -> "no parameters";
        }));
    }

    public IdleStrategyKind kind()
    {
        return kind;
    }

    /**
     * A new idle strategy configured as this spec says, for a thread that other threads wake through {@code wait}
     * (used by the blocking kind only); call once per thread.
     */
    public IdleStrategy newIdleStrategy(final BlockingWait wait)
    {
        return switch (kind)
        {
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case YIELDING -> new YieldingIdleStrategy();
            case BACKOFF -> new BackoffIdleStrategy(maxSpins, maxYields, minParkNs, maxParkNs);
            case BLOCKING -> new BlockingIdleStrategy(maxSpins, maxYields, maxParkNs, wait);
            case SLEEPING -> new SleepingIdleStrategy(minParkNs);
        };
    }

    /**
     * A new idle strategy for a thread that no other thread wakes: the blocking kind then parks for its whole
     * bound each time, like the sleeping kind.
     */
    @Override
    public IdleStrategy get()
    {
        return newIdleStrategy(new ParkingWait(() -> false));
    }

    /** The canonical property value, with every parameter spelt out: {@code parse(toString())} equals this. */
    @Override
    public String toString()
    {
        return switch (kind)
        {
            case BUSY_SPIN, YIELDING -> kind.token();
            case BACKOFF -> kind.token() + ":" + maxSpins + "," + maxYields + "," +
                DurationParser.format(minParkNs) + "," + DurationParser.format(maxParkNs);
            case BLOCKING -> kind.token() + ":" + maxSpins + "," + maxYields + "," + DurationParser.format(maxParkNs);
            case SLEEPING -> kind.token() + ":" + DurationParser.format(minParkNs);
        };
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof IdleStrategySpec that &&
            kind == that.kind &&
            maxSpins == that.maxSpins &&
            maxYields == that.maxYields &&
            minParkNs == that.minParkNs &&
            maxParkNs == that.maxParkNs;
    }

    @Override
    public int hashCode()
    {
        return toString().hashCode();
    }

    private static long count(final String text)
    {
        try
        {
            return Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a count: '" + text.trim() + "'");
        }
    }

    private static IllegalArgumentException invalid(final String value, final String why)
    {
        return new IllegalArgumentException(
            "invalid idle strategy '" + value + "'" + (why == null ? "" : " (" + why + ")") + ": " + FORMS);
    }
}
