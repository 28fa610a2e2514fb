package io.sluice.tuning;

import java.util.BitSet;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Makes the thread factories that pin each thread group (shards, network event loops) to its configured CPUs,
 * and degrades to unpinned threads when pinning cannot work.
 *
 * <p>One per process. What can go wrong is logged once, in one line, when the factory is made:
 * <ul>
 * <li>affinity unavailable (library missing, no native support): one line for the whole process, every group
 *     runs unpinned;</li>
 * <li>some listed CPUs are not among those this process may use (absent, offline, or excluded by
 *     {@code taskset}/cgroups): one line per group naming them; the group uses the rest, or runs unpinned
 *     when none are left.</li>
 * </ul>
 * A group with an empty CPU list gets plain threads and never loads the affinity library.
 *
 * <p>Thread-safe.
 */
public final class ThreadPinning
{
    private final CpuAffinity affinity;
    private final Consumer<String> log;
    private boolean unavailableLogged;

    /**
     * Pinning through {@link OpenHftCpuAffinity}.
     *
     * @param log receives one line per event (a degraded group, a pinned or unpinnable thread).
     */
    public ThreadPinning(final Consumer<String> log)
    {
        this(new OpenHftCpuAffinity(), log);
    }

    public ThreadPinning(final CpuAffinity affinity, final Consumer<String> log)
    {
        this.affinity = affinity;
        this.log = log;
    }

    /**
     * A factory whose threads pin themselves, as they start, to the CPUs of {@code cpus} in turn: the first thread
     * made to the first CPU, and so on, wrapping round when there are more threads than CPUs. For an Agrona agent:
     * {@code AgentRunner.startOnThread(runner, factory)}.
     *
     * @param group names the group in log lines; the property that configured it reads best
     *              ({@code sluice.affinity.shard}).
     * @param cpus  as configured; empty for plain, unpinned threads.
     */
    public synchronized ThreadFactory threadFactory(final String group, final CpuList cpus)
    {
        if (cpus.isEmpty())
        {
            return Thread::new;
        }

        final String reason = affinity.unavailableReason();
        if (reason != null)
        {
            if (!unavailableLogged)
            {
                unavailableLogged = true;
                log.accept("CPU affinity unavailable, threads run unpinned (" + group + "=" + cpus + " ignored): " +
                    reason);
            }
            return Thread::new;
        }

        // Asked on the configuring thread, which has not been pinned: this is the process's CPU set.
        final BitSet allowed = affinity.currentThreadCpus();
        final CpuList usable = cpus.retainAll(allowed);
        if (usable.size() < cpus.size())
        {
            log.accept(group + "=" + cpus + ": CPUs " + cpus.removeAll(allowed) +
                " are not available to this process (it may use " + CpuList.of(allowed) + "); " +
                (usable.isEmpty() ? "these threads run unpinned" : "pinning to " + usable + " only"));
        }
        return usable.isEmpty() ? Thread::new : new PinningThreadFactory(group, usable, affinity, log);
    }
}
