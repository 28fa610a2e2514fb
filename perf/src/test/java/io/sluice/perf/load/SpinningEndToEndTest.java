package io.sluice.perf.load;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.sluice.broker.Broker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code perf e2e --spin}: one thread sends, drives the native producer and polls the consumer, against a broker. */
@Timeout(60)
class SpinningEndToEndTest
{
    @TempDir
    Path dir;

    private Broker broker;

    @BeforeEach
    void start()
    {
        broker = BothDoorsBroker.start(dir);
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldReceiveEveryRecordSentWithNoThreadButTheCallers() throws Exception
    {
        final Path json = dir.resolve("e2e.json");
        final int exit = perf("e2e", "--protocol", "native", "-b", "127.0.0.1:" + broker.port("NATIVE"), "--spin",
            "-s", "100", "-r", "2000", "-d", "2", "--warmup", "0.5", "--linger-ms", "0", "--quiet", "--json", json.toString());

        assertThat(exit).isZero();
        final JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(result.get("records").getAsLong()).isBetween(3_000L, 5_000L);
        assertThat(result.get("missing").getAsLong()).isZero();
        assertThat(result.get("errors").getAsLong()).isZero();
        assertThat(result.get("unsent").getAsLong()).isZero();
        final JsonObject latency = result.getAsJsonObject("latency");
        assertThat(latency.get("count").getAsLong()).isEqualTo(result.get("records").getAsLong());
        // Sent and received while the run goes on, not only by the flush and drain at its end (seconds late).
        assertThat(latency.get("p50").getAsDouble()).as("p50 in microseconds").isLessThan(100_000);
    }

    @Test
    void shouldRefuseToSpinWhereOnlyOneThreadCannotDoTheWork()
    {
        final String bootstrap = "127.0.0.1:" + broker.port("PLAINTEXT");
        final StringWriter errors = new StringWriter();
        assertThat(perf(errors, "e2e", "--protocol", "kafka", "-b", bootstrap, "--spin", "-r", "1000")).isEqualTo(2);
        assertThat(perf(errors, "produce", "--protocol", "native", "-b", bootstrap, "--spin", "-r", "1000")).isEqualTo(2);
        assertThat(errors.toString()).contains("--spin is for e2e with --protocol native");
    }

    private static int perf(final String... args)
    {
        return perf(new StringWriter(), args);
    }

    private static int perf(final StringWriter errors, final String... args)
    {
        return new CommandLine(new PerfMain()).setErr(new PrintWriter(errors, true)).execute(args);
    }
}
