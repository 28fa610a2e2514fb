package io.sluice.tuning;

import java.util.BitSet;

import net.openhft.affinity.Affinity;
import net.openhft.affinity.impl.NullAffinity;

/**
 * {@link CpuAffinity} through OpenHFT's Java-Thread-Affinity library ({@code net.openhft:affinity}), which calls
 * {@code sched_setaffinity} on Linux through JNA. Needs no {@code --add-opens} on JDK 17.
 *
 * <p>The library is touched only on the first {@link #unavailableReason()}, so a broker that pins nothing never
 * loads it or JNA. When the library or JNA's native part cannot load, or the platform has no affinity call (the
 * library then falls back to a no-op), {@link #unavailableReason()} says so instead of throwing. Thread-safe.
 */
public final class OpenHftCpuAffinity implements CpuAffinity
{
    private volatile String unavailableReason;
    private volatile boolean probed;

    @Override
    public String unavailableReason()
    {
        if (!probed)
        {
            synchronized (this)
            {
                if (!probed)
                {
                    unavailableReason = probe();
                    probed = true;
                }
            }
        }
        return unavailableReason;
    }

    @Override
    public BitSet currentThreadCpus()
    {
        return Affinity.getAffinity();
    }

    @Override
    public void pinCurrentThread(final int cpu)
    {
        try
        {
            Affinity.setAffinity(cpu);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException(ex.getMessage(), ex);
        }
        final BitSet now = Affinity.getAffinity();
        if (now.cardinality() != 1 || !now.get(cpu))
        {
            throw new IllegalStateException("the thread may still run on CPUs " + CpuList.of(now));
        }
    }

    private static String probe()
    {
        try
        {
            if (Affinity.getAffinityImpl() instanceof NullAffinity)
            {
                return "no thread-affinity support for " + System.getProperty("os.name") + " " +
                    System.getProperty("os.arch") + " in net.openhft:affinity";
            }
            if (Affinity.getAffinity().isEmpty())
            {
                return "the operating system reported no CPUs for this thread";
            }
            return null;
        }
        catch (final LinkageError | RuntimeException ex)
        {
            // NoClassDefFoundError when the jar was left off the class path, UnsatisfiedLinkError when JNA's
            // native library cannot be unpacked or loaded (a noexec temp directory, say).
            return "net.openhft:affinity could not load (" + ex + ")";
        }
    }
}
