package io.sluice.perf.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessCpuTimeTest
{
    @Test
    void shouldAddUtimeAndStime()
    {
        final String line = "4181 (java) S 1 4181 4181 0 -1 4194560 51234 0 12 0 1523 377 0 0 20 0 47 0 5893 " +
            "3750686720 21847 18446744073709551615 1 1 0 0 0 0 0 4096 16796879 0 0 0 17 1 0 0 0 0 0";

        assertThat(ProcessCpuTime.parseTicks(line)).isEqualTo(1523 + 377);
    }

    @Test
    void shouldCountFieldsAfterACommandNameWithSpacesAndParentheses()
    {
        final String line = "77 (a) b (c) d) R 1 77 77 0 -1 0 0 0 0 0 40 2 0 0 20 0 1 0 100 0 0";

        assertThat(ProcessCpuTime.parseTicks(line)).isEqualTo(42);
    }

    @Test
    void shouldRefuseWhatIsNoStatLine()
    {
        assertThatThrownBy(() -> ProcessCpuTime.parseTicks("no parenthesis here"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessCpuTime.parseTicks("1 (x) S 1 2"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSeeThisProcessUseCpu()
    {
        final ProcessCpuTime cpu = new ProcessCpuTime(100);
        final long pid = ProcessHandle.current().pid();
        final long before = cpu.nanos(pid);
        final long deadline = System.nanoTime() + 10_000_000_000L;
        long spin = 0;
        while (cpu.nanos(pid) < before + 50_000_000L && System.nanoTime() < deadline)
        {
            spin += Long.numberOfTrailingZeros(System.nanoTime() | spin);
        }

        assertThat(cpu.nanos(pid)).as("spun %d", spin).isGreaterThanOrEqualTo(before + 50_000_000L);
        assertThat(cpu.nanos(pid) % 10_000_000L).isZero();
    }

    @Test
    void shouldNameAProcessThatIsGone()
    {
        assertThatThrownBy(() -> new ProcessCpuTime(100).nanos(Integer.MAX_VALUE))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(Integer.toString(Integer.MAX_VALUE));
    }
}
