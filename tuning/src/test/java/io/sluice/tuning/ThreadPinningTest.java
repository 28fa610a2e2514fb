package io.sluice.tuning;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ThreadPinningTest
{
    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void shouldPinEachNewThreadToTheNextCpuWrappingRound() throws InterruptedException
    {
        final FakeAffinity affinity = new FakeAffinity(null, 0, 1, 2, 3);
        final ThreadFactory factory = factory(affinity, "sluice.affinity.shard", CpuList.parse("2,3"));

        runAll(factory, 3);

        assertThat(affinity.pinned.values()).containsExactlyInAnyOrder(2, 3, 2);
        assertThat(log).hasSize(3).allMatch(line -> line.startsWith("pinned thread sluice.affinity.shard-"));
    }

    @Test
    void shouldPinAgentThreadsUnderTheirRoleName() throws InterruptedException
    {
        final FakeAffinity affinity = new FakeAffinity(null, 0, 1);
        final ThreadFactory factory = factory(affinity, "sluice.affinity.network", CpuList.parse("1"));
        final AgentRunner runner = new AgentRunner(
            new SleepingIdleStrategy(1_000_000), Throwable::printStackTrace, null, new Agent()
        {
            public int doWork()
            {
                return 0;
            }

            public String roleName()
            {
                return "sluice-network-0";
            }
        });

        AgentRunner.startOnThread(runner, factory);
        awaitLogLines(1);
        runner.close();

        assertThat(affinity.pinned).containsEntry("sluice-network-0", 1);
        assertThat(log).containsExactly("pinned thread sluice-network-0 to CPU 1 (sluice.affinity.network)");
    }

    @Test
    void shouldLeaveThreadsPlainAndLoadNothingWhenNoCpusAreListed() throws InterruptedException
    {
        final FakeAffinity affinity = new FakeAffinity("never asked", 0, 1);
        final ThreadFactory factory = factory(affinity, "sluice.affinity.shard", CpuList.empty());

        runAll(factory, 2);

        assertThat(affinity.probes).isZero();
        assertThat(affinity.pinned).isEmpty();
        assertThat(log).isEmpty();
    }

    @Test
    void shouldDegradeWithOneLineForTheWholeProcessWhenAffinityIsUnavailable() throws InterruptedException
    {
        final FakeAffinity affinity =
            new FakeAffinity("net.openhft:affinity could not load (UnsatisfiedLinkError)", 0, 1);
        final ThreadPinning pinning = new ThreadPinning(affinity, log::add);

        runAll(pinning.threadFactory("sluice.affinity.shard", CpuList.parse("0-1")), 2);
        runAll(pinning.threadFactory("sluice.affinity.network", CpuList.parse("1")), 1);

        assertThat(affinity.pinned).isEmpty();
        assertThat(log).containsExactly(
            "CPU affinity unavailable, threads run unpinned (sluice.affinity.shard=0-1 ignored): " +
            "net.openhft:affinity could not load (UnsatisfiedLinkError)");
    }

    @Test
    void shouldPinOnlyToCpusTheProcessMayUseAndSaySo() throws InterruptedException
    {
        final FakeAffinity affinity = new FakeAffinity(null, 0, 1);
        final ThreadFactory factory = factory(affinity, "sluice.affinity.shard", CpuList.parse("1-3"));

        runAll(factory, 2);

        assertThat(affinity.pinned.values()).containsExactly(1, 1);
        assertThat(log.get(0)).isEqualTo(
            "sluice.affinity.shard=1-3: CPUs 2-3 are not available to this process (it may use 0-1); " +
            "pinning to 1 only");
    }

    @Test
    void shouldRunUnpinnedWhenNoListedCpuIsUsable() throws InterruptedException
    {
        final FakeAffinity affinity = new FakeAffinity(null, 0, 1);
        final ThreadFactory factory = factory(affinity, "sluice.affinity.shard", CpuList.parse("6,7"));

        runAll(factory, 1);

        assertThat(affinity.pinned).isEmpty();
        assertThat(log).containsExactly(
            "sluice.affinity.shard=6-7: CPUs 6-7 are not available to this process (it may use 0-1); " +
            "these threads run unpinned");
    }

    @Test
    void shouldRunTheTaskUnpinnedWhenTheOperatingSystemRefuses() throws InterruptedException
    {
        final FakeAffinity affinity = new FakeAffinity(null, 0, 1);
        affinity.refuse = true;
        final ThreadFactory factory = factory(affinity, "sluice.affinity.shard", CpuList.parse("0"));

        final int ran = runAll(factory, 1);

        assertThat(ran).isEqualTo(1);
        assertThat(log).containsExactly(
            "could not pin thread sluice.affinity.shard-0 to CPU 0 (sluice.affinity.shard), it runs unpinned: " +
            "sched_setaffinity failed; errno=22");
    }

    private ThreadFactory factory(final CpuAffinity affinity, final String group, final CpuList cpus)
    {
        return new ThreadPinning(affinity, log::add).threadFactory(group, cpus);
    }

    private static int runAll(final ThreadFactory factory, final int threads) throws InterruptedException
    {
        final List<Thread> started = new ArrayList<>();
        final BitSet ran = new BitSet();
        for (int i = 0; i < threads; i++)
        {
            final int index = i;
            final Thread thread = factory.newThread(() ->
            {
                synchronized (ran)
                {
                    ran.set(index);
                }
            });
            thread.start();
            started.add(thread);
        }
        for (final Thread thread : started)
        {
            thread.join(10_000);
        }
        synchronized (ran)
        {
            return ran.cardinality();
        }
    }

    private void awaitLogLines(final int lines) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.size() < lines && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
    }

    private static final class FakeAffinity implements CpuAffinity
    {
        final ConcurrentHashMap<String, Integer> pinned = new ConcurrentHashMap<>();
        final String unavailableReason;
        final BitSet allowed = new BitSet();
        volatile int probes;
        volatile boolean refuse;

        FakeAffinity(final String unavailableReason, final int... allowedCpus)
        {
            this.unavailableReason = unavailableReason;
            for (final int cpu : allowedCpus)
            {
                allowed.set(cpu);
            }
        }

        public synchronized String unavailableReason()
        {
            probes++;
            return unavailableReason;
        }

        public BitSet currentThreadCpus()
        {
            return (BitSet)allowed.clone();
        }

        public void pinCurrentThread(final int cpu)
        {
            if (refuse)
            {
                throw new IllegalStateException("sched_setaffinity failed; errno=22");
            }
            pinned.put(Thread.currentThread().getName(), cpu);
        }
    }
}
