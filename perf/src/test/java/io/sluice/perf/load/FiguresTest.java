package io.sluice.perf.load;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness's figures (none negative) print as {@code String.format} would, without its cost. */
class FiguresTest
{
    @Test
    void shouldPrintWhatStringFormatPrints()
    {
        final Random random = new Random(42);
        for (int i = 0; i < 20_000; i++)
        {
            final double value = Math.pow(10, random.nextInt(10) - 4) * random.nextDouble();
            assertThat(Figures.whole(value)).as("whole %s", value).isEqualTo(String.format(Locale.ROOT, "%,.0f", value));
            for (int decimals = 0; decimals <= 3; decimals++)
            {
                assertThat(Figures.decimal(value, decimals)).as("%d decimals of %s", decimals, value)
                    .isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", value));
            }
            assertThat(Figures.millis(value * 1e6)).isEqualTo(String.format(Locale.ROOT, "%.3f", value * 1e6 / 1e6));
        }
    }

    @Test
    void shouldRoundHalfUpGroupThousandsAndPad()
    {
        assertThat(Figures.whole(999.5)).isEqualTo("1,000");
        assertThat(Figures.whole(1_234_567.4)).isEqualTo("1,234,567");
        assertThat(Figures.whole(-1_234)).isEqualTo("-1,234");
        assertThat(Figures.whole(0)).isEqualTo("0");
        assertThat(Figures.decimal(0.0005, 3)).isEqualTo("0.001");
        assertThat(Figures.decimal(Double.NaN, 2)).isEqualTo("-");
        assertThat(Figures.millis(1_234_567)).isEqualTo("1.235");
        assertThat(Figures.padded("1.5", 6)).isEqualTo("   1.5");
        assertThat(Figures.padded("1234567", 6)).isEqualTo("1234567");
    }
}
