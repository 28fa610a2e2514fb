package io.sluice.tuning;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Against the real library and kernel: Linux only, where sched_setaffinity exists. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OpenHftCpuAffinityTest
{
    private final OpenHftCpuAffinity affinity = new OpenHftCpuAffinity();

    @Test
    void shouldPinAThreadToOneCpuOfTheProcessOnLinux() throws InterruptedException
    {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        assertThat(affinity.unavailableReason()).isNull();
        final BitSet allowed = affinity.currentThreadCpus();
        final int cpu = allowed.length() - 1;
        final AtomicReference<BitSet> after = new AtomicReference<>();

        final Thread thread = new Thread(() ->
        {
            affinity.pinCurrentThread(cpu);
            after.set(affinity.currentThreadCpus());
        });
        thread.start();
        thread.join(10_000);

        final BitSet expected = new BitSet();
        expected.set(cpu);
        assertThat(after.get()).isEqualTo(expected);
        assertThat(affinity.currentThreadCpus()).isEqualTo(allowed);
    }

    @Test
    void shouldRefuseACpuTheProcessMayNotUse() throws InterruptedException
    {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        final int absent = affinity.currentThreadCpus().length() + 64;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        final Thread thread = new Thread(() ->
        {
            try
            {
                affinity.pinCurrentThread(absent);
            }
            catch (final Throwable t)
            {
                failure.set(t);
            }
        });
        thread.start();
        thread.join(10_000);

        assertThatThrownBy(() ->
        {
            throw failure.get();
        }).isInstanceOf(IllegalStateException.class);
    }
}
