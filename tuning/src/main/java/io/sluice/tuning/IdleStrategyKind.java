package io.sluice.tuning;

/**
 * The ways a Sluice thread may wait when its duty cycle found no work, as named in the
 * {@code sluice.idle.strategy.*} properties. Each trades wake-up latency against CPU burnt while idle;
 * {@code tuning/README.md} has the figures measured for each.
 *
 * <p>Immutable and thread-safe.
 */
public enum IdleStrategyKind
{
    /** Spin on the CPU without yielding it: lowest wake-up latency, one core fully busy per thread. */
    BUSY_SPIN("busy-spin"),

    /** {@link Thread#yield()} between polls: near busy-spin latency when cores are free, shares a busy core. */
    YIELDING("yielding"),

    /** Spin, then yield, then park for periods doubling up to a cap: fast under load, polls while idle. */
    BACKOFF("backoff"),

    /**
     * Spin, then yield, then block until the thread handing over work wakes it (or a bound passes): the default,
     * fast under load, no polling while idle; a wake-up costs the waker one system call.
     */
    BLOCKING("blocking"),

    /** Park for a fixed period every idle cycle: least CPU, wake-up latency up to the period plus timer slack. */
    SLEEPING("sleeping");

    private final String token;

    IdleStrategyKind(final String token)
    {
        this.token = token;
    }

    /** The name used in property values, e.g. {@code busy-spin}. */
    public String token()
    {
        return token;
    }

    /**
     * The kind a property value names.
     *
     * @param token as in a property value, without parameters.
     * @return the kind, or {@code null} when no kind has that name.
     */
    public static IdleStrategyKind forToken(final String token)
    {
        for (final IdleStrategyKind kind : values())
        {
            if (kind.token.equals(token))
            {
                return kind;
            }
        }
        return null;
    }
}
