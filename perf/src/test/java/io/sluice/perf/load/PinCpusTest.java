package io.sluice.perf.load;

import io.sluice.broker.Broker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code perf ... --pin-cpus}: the warm-up runs on every CPU, the measurement pinned. These tests pin the test JVM
 * itself for a moment and give it back its CPUs afterwards.
 */
@Timeout(60)
class PinCpusTest
{
    private static final Path SELF_TASKS = Path.of("/proc/self/task");
    private static final long WATCH_NANOS = 30_000_000_000L;
    private static final long WATCH_PERIOD_NANOS = 20_000_000L;

    @TempDir
    Path dir;

    private Broker broker;
    private String allowed;

    @BeforeEach
    void start() throws IOException
    {
        allowed = cpusAllowed(Path.of("/proc/self"));
        assumeThat(allowed).as("this test needs a process free to run on more than one CPU").contains("-");
        broker = BothDoorsBroker.start(dir);
    }

    @AfterEach
    void stop()
    {
        if (broker != null)
        {
            broker.close();
            ProcessPinning.pin(allowed);
        }
    }

    @Test
    void shouldRunTheWarmUpOnEveryCpuAndTheMeasurementOnThePinnedOnes() throws Exception
    {
        final String first = allowed.substring(0, allowed.indexOf('-'));
        final Path json = dir.resolve("produce.json");
        final long called = System.nanoTime();
        final AtomicLong pinnedSeen = new AtomicLong();
        final Thread watcher = new Thread(() ->
        {
            while (pinnedSeen.get() == 0 && System.nanoTime() - called < WATCH_NANOS)
            {
                if (first.equals(cpusAllowed(Path.of("/proc/self"))))
                {
                    pinnedSeen.set(System.nanoTime());
                }
                LockSupport.parkNanos(WATCH_PERIOD_NANOS);
            }
        }, "pin-watcher");
        watcher.start();

        final int exit = perf(new StringWriter(), "produce", "--protocol", "native",
            "-b", "127.0.0.1:" + broker.port("NATIVE"), "-s", "100", "-r", "1000", "--warmup", "2.5", "-d", "1",
            "--quiet", "--json", json.toString(), "--pin-cpus", first);
        watcher.join();

        assertThat(exit).isZero();
        assertThat(Files.readString(json)).contains("\"records\"");
        // pinned one second before the measurement, so the first 1.5 s of the warm-up ran on every CPU
        assertThat(pinnedSeen.get()).as("seen pinned").isPositive();
        assertThat(pinnedSeen.get() - called).as("nanoseconds before it was pinned").isGreaterThan(1_000_000_000L);
        // every thread the JVM has, not only the harness's: the broker's and the JIT's too
        try (Stream<Path> tasks = Files.list(SELF_TASKS))
        {
            final List<String> perThread = tasks.map(PinCpusTest::cpusAllowedIfAlive).filter(cpus -> cpus != null).toList();
            assertThat(perThread).isNotEmpty().allMatch(first::equals);
        }
    }

    @Test
    void shouldRefuseWhatIsNotACpuList()
    {
        final StringWriter errors = new StringWriter();

        assertThat(perf(errors, "produce", "-b", "127.0.0.1:" + broker.port("PLAINTEXT"), "--pin-cpus", "first")).isEqualTo(2);
        assertThat(errors.toString()).contains("--pin-cpus takes a CPU list");
        assertThat(cpusAllowed(Path.of("/proc/self"))).isEqualTo(allowed);
    }

    @Test
    void shouldSayWhatTasksetSaidWhenItCannotPin()
    {
        assertThatThrownBy(() -> ProcessPinning.pin("65000"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("taskset -a -p -c 65000 " + ProcessHandle.current().pid() + " failed: ");
        assertThat(cpusAllowed(Path.of("/proc/self"))).isEqualTo(allowed);
    }

    private static String cpusAllowedIfAlive(final Path task)
    {
        try
        {
            return cpusAllowed(task);
        }
        catch (final IllegalStateException ex)
        {
            return null; // the thread ended while the tasks were listed
        }
    }

    private static String cpusAllowed(final Path task)
    {
        try (Stream<String> lines = Files.lines(task.resolve("status")))
        {
            return lines.filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no Cpus_allowed_list in " + task));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(task + ": " + ex.getMessage(), ex);
        }
    }

    private static int perf(final StringWriter errors, final String... args)
    {
        return new CommandLine(new PerfMain()).setErr(new PrintWriter(errors, true)).execute(args);
    }
}
