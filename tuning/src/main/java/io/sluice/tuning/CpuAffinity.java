package io.sluice.tuning;

import java.util.BitSet;

/**
 * The operating system's thread-affinity calls, as {@link ThreadPinning} needs them. The production
 * implementation is {@link OpenHftCpuAffinity}; tests supply their own.
 *
 * <p>Implementations must be thread-safe: each method acts on the calling thread.
 */
public interface CpuAffinity
{
    /**
     * Why pinning cannot work in this process, or {@code null} when it can. Loads whatever the implementation
     * needs on first call; later calls return the same answer.
     */
    String unavailableReason();

    /** The CPUs the calling thread may run on; before any pinning, the process's CPU set. */
    BitSet currentThreadCpus();

    /**
     * Restrict the calling thread to {@code cpu}.
     *
     * @throws IllegalStateException saying why, when the operating system refused or the thread still runs
     *                               elsewhere afterwards.
     */
    void pinCurrentThread(int cpu);
}
