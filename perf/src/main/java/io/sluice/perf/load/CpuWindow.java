package io.sluice.perf.load;

/**
 * CPU time the brokers (by pid) and this harness used between {@link #open()} and {@link #close()}: the measured
 * part of a run, so warm-up and set-up are left out. Open and close may be called on different threads; each stores
 * its sample before returning.
 */
public final class CpuWindow
{
    private final ProcessCpuTime cpu;
    private final long[] brokerPids;
    private final long selfPid = ProcessHandle.current().pid();
    private volatile long brokerStart;
    private volatile long selfStart;
    private volatile long brokerNanos = -1;
    private volatile long selfNanos = -1;

    public CpuWindow(final ProcessCpuTime cpu, final long[] brokerPids)
    {
        this.cpu = cpu;
        this.brokerPids = brokerPids.clone();
    }

    public void open()
    {
        brokerStart = brokerTotal();
        selfStart = cpu.nanos(selfPid);
    }

    public void close()
    {
        final long broker = brokerTotal();
        final long self = cpu.nanos(selfPid);
        brokerNanos = broker - brokerStart;
        selfNanos = self - selfStart;
    }

    /** True when broker pids were given, so {@link #brokerNanos()} means something. */
    public boolean watchesBroker()
    {
        return brokerPids.length > 0;
    }

    /** Broker CPU nanoseconds inside the window, or -1 before it closed. */
    public long brokerNanos()
    {
        return brokerNanos;
    }

    /** This process's CPU nanoseconds inside the window, or -1 before it closed. */
    public long selfNanos()
    {
        return selfNanos;
    }

    private long brokerTotal()
    {
        long total = 0;
        for (final long pid : brokerPids)
        {
            total += cpu.nanos(pid);
        }
        return total;
    }
}
