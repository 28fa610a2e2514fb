package io.sluice.tuning;

import java.util.BitSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuListTest
{
    @Test
    void shouldReadRangesAndSinglesInTheOrderWritten()
    {
        final CpuList cpus = CpuList.parse("4-6, 1,0");

        assertThat(cpus.size()).isEqualTo(5);
        assertThat(new int[]{cpus.cpu(0), cpus.cpu(1), cpus.cpu(2), cpus.cpu(3), cpus.cpu(4)})
            .containsExactly(4, 5, 6, 1, 0);
        assertThat(cpus).hasToString("4-6,1,0");
    }

    @Test
    void shouldTreatBlankAsNoPinning()
    {
        assertThat(CpuList.parse("").isEmpty()).isTrue();
        assertThat(CpuList.parse("  ")).isEqualTo(CpuList.empty());
    }

    @Test
    void shouldFoldConsecutiveCpusIntoRanges()
    {
        assertThat(CpuList.parse("0,1,2,3,6,8,9")).hasToString("0-3,6,8-9");
    }

    @Test
    void shouldSplitAgainstTheAllowedSet()
    {
        final BitSet allowed = new BitSet();
        allowed.set(0, 2);
        final CpuList cpus = CpuList.parse("3,1,0,7");

        assertThat(cpus.retainAll(allowed)).hasToString("1,0");
        assertThat(cpus.removeAll(allowed)).hasToString("3,7");
        assertThat(CpuList.of(allowed)).hasToString("0-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "1-", "-1", "3-1", "1,,2", "1,1", "0-2,2", "1.5", "99999", "1 2"})
    void shouldRejectMalformedListsNamingThem(final String value)
    {
        assertThatThrownBy(() -> CpuList.parse(value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("invalid CPU list '" + value + "'");
    }
}
