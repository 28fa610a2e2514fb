package io.sluice.perf.load.report;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MachineInfoTest
{
    @Test
    void shouldReadMemoryCpuAndLoadFromProcFormats()
    {
        assertThat(MachineInfo.memTotalKiB(List.of("MemFree:  100 kB", "MemTotal:       24684132 kB")))
            .isEqualTo(24_684_132L);
        assertThat(MachineInfo.cpuModel(List.of("processor\t: 0", "model name\t: AMD EPYC 7B13", "model name\t: x")))
            .isEqualTo("AMD EPYC 7B13");
        assertThat(MachineInfo.loadAverage(List.of("9.12 8.80 8.26 3/411 13070"))).isEqualTo("9.12 8.80 8.26");
        assertThat(MachineInfo.loadAverage(List.of())).isEqualTo("unknown");
        assertThat(MachineInfo.cpuModel(List.of())).isEqualTo("unknown CPU");
    }
}
