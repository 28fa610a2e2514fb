package io.sluice.tuning.check;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FindingsReportTest
{
    private final List<Finding> findings = List.of(
        new Finding("vm.swappiness", "60", "<= 1", Verdict.ADVISE, "a swapped-out page costs a disk read"),
        new Finding("clocksource", "tsc", "tsc", Verdict.OK, "read in user space, \"fast\"\\n"));

    @Test
    void shouldPrintAnAlignedTableWithEachReasonUnderItsRow()
    {
        final String text = print(out -> FindingsReport.printText(findings, "/", out));

        assertThat(text.lines().toList()).containsExactly(
            "sluice tune check: 2 settings read from /, 1 to change (ADVISE)",
            "",
            "VERDICT  SETTING        FOUND  RECOMMENDED",
            "ADVISE   vm.swappiness  60     <= 1",
            "         a swapped-out page costs a disk read",
            "OK       clocksource    tsc    tsc",
            "         read in user space, \"fast\"\\n");
    }

    @Test
    void shouldPrintOneJsonObjectWithEscapedStrings()
    {
        final String json = print(out -> FindingsReport.printJson(findings, "/tmp/x", out));

        assertThat(json).isEqualTo(
            "{\"source\":\"/tmp/x\",\"findings\":[" +
            "{\"setting\":\"vm.swappiness\",\"found\":\"60\",\"recommended\":\"<= 1\",\"verdict\":\"ADVISE\"," +
            "\"why\":\"a swapped-out page costs a disk read\"}," +
            "{\"setting\":\"clocksource\",\"found\":\"tsc\",\"recommended\":\"tsc\",\"verdict\":\"OK\"," +
            "\"why\":\"read in user space, \\\"fast\\\"\\\\n\"}]}\n");
    }

    @Test
    void shouldEscapeControlCharacters()
    {
        assertThat(FindingsReport.quote("a\tb\n\u0001")).isEqualTo("\"a\\tb\\n\\u0001\"");
    }

    private static String print(final java.util.function.Consumer<PrintStream> printer)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            printer.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
