package io.sluice.perf.load.report;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ComparisonTableTest
{
    private final Comparison comparison = Comparison.of(List.of(
        ComparisonTest.produce("sluice", 312_345.6, 2.0, 1.0),
        ComparisonTest.produce("kafka", 104_115.2, 10.0, 4.0)), "kafka", "sluice");

    @Test
    void shouldFormatFiguresBySize()
    {
        assertThat(ComparisonTable.format(312_345.6)).isEqualTo("312,346");
        assertThat(ComparisonTable.format(42.25)).isEqualTo("42.3");
        assertThat(ComparisonTable.format(4.256)).isEqualTo("4.26");
        assertThat(ComparisonTable.format(0.04256)).isEqualTo("0.043");
        assertThat(ComparisonTable.format(null)).isEqualTo("-");
        assertThat(ComparisonTable.format(Double.NaN)).isEqualTo("-");
    }

    @Test
    void shouldAlignTheTextTableAndNameEachRunOnce()
    {
        final List<String> lines = ComparisonTable.text(comparison).lines().toList();

        assertThat(lines.get(0)).startsWith("run").contains("kafka", "sluice", "sluice/kafka", "target");
        assertThat(lines.get(1)).startsWith("produce-100B-acks1  records/s").contains("104,115", "312,346", "3.00",
            ">= 1.50 met");
        assertThat(lines.get(2)).startsWith(" ".repeat("produce-100B-acks1".length()) + "  MiB/s");
        assertThat(lines.stream().map(String::length).distinct()).hasSize(1);
    }

    @Test
    void shouldWriteAMarkdownTableWithNumbersRightAligned()
    {
        final List<String> lines = ComparisonTable.markdown(comparison).lines().toList();

        assertThat(lines.get(0)).isEqualTo("| run | figure | kafka | sluice | sluice/kafka | target |");
        assertThat(lines.get(1)).isEqualTo("|---|---|---:|---:|---:|---:|");
        assertThat(lines.get(2)).isEqualTo("| produce-100B-acks1 | records/s | 104,115 | 312,346 | 3.00 | >= 1.50 met |");
        assertThat(lines).anySatisfy(line -> assertThat(line).isEqualTo(
            "|  | broker CPU us/record | 4.00 | 1.00 | 0.25 | <= 0.33 met |"));
    }
}
