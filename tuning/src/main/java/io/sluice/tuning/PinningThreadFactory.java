package io.sluice.tuning;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Makes threads that pin themselves to the next CPU of a list when they start, then run their task. Made by
 * {@link ThreadPinning#threadFactory}, which has already checked that affinity works and the CPUs are usable.
 *
 * <p>A thread the operating system refuses to pin logs one line and runs unpinned. Thread-safe.
 */
final class PinningThreadFactory implements ThreadFactory
{
    private final String group;
    private final CpuList cpus;
    private final CpuAffinity affinity;
    private final Consumer<String> log;
    private final AtomicInteger made = new AtomicInteger();

    PinningThreadFactory(final String group, final CpuList cpus, final CpuAffinity affinity, final Consumer<String> log)
    {
        this.group = group;
        this.cpus = cpus;
        this.affinity = affinity;
        this.log = log;
    }

    @Override
    public Thread newThread(final Runnable task)
    {
        final int index = made.getAndIncrement();
        final int cpu = cpus.cpu(index % cpus.size());
        // The affinity call acts on the calling thread, so the pin must happen on the new thread itself. The
        // name is read there too: AgentRunner.startOnThread renames the thread after this returns.
        return new Thread(() -> pinThenRun(cpu, task), group + "-" + index);
    }

    private void pinThenRun(final int cpu, final Runnable task)
    {
        final String name = Thread.currentThread().getName();
        try
        {
            affinity.pinCurrentThread(cpu);
            log.accept("pinned thread " + name + " to CPU " + cpu + " (" + group + ")");
        }
        catch (final RuntimeException ex)
        {
            log.accept("could not pin thread " + name + " to CPU " + cpu + " (" + group + "), it runs unpinned: " +
                ex.getMessage());
        }
        task.run();
    }
}
