package io.sluice.tuning;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A list of CPU numbers as the {@code sluice.affinity.*} properties and Linux ({@code taskset -c},
 * {@code isolcpus=}) write them: {@code 0-1}, {@code 2,3}, {@code 0-3,6}; empty means "no pinning".
 * Order is kept as written, so {@code 3,2} puts the first thread on CPU 3.
 *
 * <p>Immutable and thread-safe.
 */
public final class CpuList
{
    /** Linux caps CPU numbers well below this; a bigger number is a typo. */
    static final int MAX_CPU = 65_535;

    private static final CpuList EMPTY = new CpuList(new int[0]);

    private final int[] cpus;

    private CpuList(final int[] cpus)
    {
        this.cpus = cpus;
    }

    /** No CPUs: threads are not pinned. */
    public static CpuList empty()
    {
        return EMPTY;
    }

    /**
     * Parse {@code N}, {@code N-M} and comma-separated lists of them; blank means empty.
     *
     * @throws IllegalArgumentException naming the value when it is malformed, a range runs backwards, a number is
     *                                  out of range or a CPU is listed twice.
     */
    public static CpuList parse(final String value)
    {
        final String trimmed = value.trim();
        if (trimmed.isEmpty())
        {
            return EMPTY;
        }

        final BitSet seen = new BitSet();
        int[] cpus = new int[8];
        int count = 0;
        for (final String part : trimmed.split(",", -1))
        {
            final int dash = part.indexOf('-');
            final int first = cpu(value, dash < 0 ? part : part.substring(0, dash));
            final int last = dash < 0 ? first : cpu(value, part.substring(dash + 1));
            if (last < first)
            {
                throw invalid(value, "range " + part.trim() + " runs backwards");
            }
            for (int cpu = first; cpu <= last; cpu++)
            {
                if (seen.get(cpu))
                {
                    throw invalid(value, "CPU " + cpu + " is listed twice");
                }
                seen.set(cpu);
                if (count == cpus.length)
                {
                    cpus = Arrays.copyOf(cpus, count * 2);
                }
                cpus[count++] = cpu;
            }
        }
        return new CpuList(Arrays.copyOf(cpus, count));
    }

    /** The CPUs set in {@code set}, in ascending order. */
    public static CpuList of(final BitSet set)
    {
        return set.isEmpty() ? EMPTY : new CpuList(set.stream().toArray());
    }

    public boolean isEmpty()
    {
        return cpus.length == 0;
    }

    public int size()
    {
        return cpus.length;
    }

    /** The {@code index}th CPU as written. */
    public int cpu(final int index)
    {
        return cpus[index];
    }

    /** The CPUs of this list that are also in {@code allowed}, in this list's order. */
    public CpuList retainAll(final BitSet allowed)
    {
        return new CpuList(Arrays.stream(cpus).filter(allowed::get).toArray());
    }

    /** The CPUs of this list that are not in {@code allowed}, in this list's order. */
    public CpuList removeAll(final BitSet allowed)
    {
        return new CpuList(Arrays.stream(cpus).filter(cpu -> !allowed.get(cpu)).toArray());
    }

    /** The list in the property syntax, consecutive ascending runs folded into ranges: {@code 0-3,6}. */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < cpus.length)
        {
            int j = i;
            while (j + 1 < cpus.length && cpus[j + 1] == cpus[j] + 1)
            {
                j++;
            }
            if (sb.length() > 0)
            {
                sb.append(',');
            }
            sb.append(cpus[i]);
            if (j > i)
            {
                sb.append('-').append(cpus[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof CpuList that && Arrays.equals(cpus, that.cpus);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(cpus);
    }

    private static int cpu(final String value, final String text)
    {
        final String t = text.trim();
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit) || t.length() > 5)
        {
            throw invalid(value, "'" + t + "' is not a CPU number");
        }
        final int cpu = Integer.parseInt(t);
        if (cpu > MAX_CPU)
        {
            throw invalid(value, "CPU " + cpu + " is out of range");
        }
        return cpu;
    }

    private static IllegalArgumentException invalid(final String value, final String why)
    {
        return new IllegalArgumentException(
            "invalid CPU list '" + value + "' (" + why + "): expected CPU numbers and ranges like 0-1 or 2,3, " +
            "or empty");
    }
}
