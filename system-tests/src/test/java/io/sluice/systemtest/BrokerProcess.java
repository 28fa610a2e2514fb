package io.sluice.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A Sluice broker run the way a user runs it: its own OS process, started with
 * {@code bin/sluice server --override listeners=PLAINTEXT://127.0.0.1:PORT --override log.dirs=DIR ...}
 * in a working directory of the test's own, stopped by its pid.
 *
 * <p>bin/sluice {@code exec}s the JVM, so the process this class holds is the broker JVM itself and SIGTERM or
 * SIGKILL reach it directly. Under Maven the launcher gets the broker's runtime classpath, computed by this
 * module's build, through {@code SLUICE_CLASSPATH}, so a test never triggers a nested build; elsewhere (an IDE)
 * bin/sluice builds on its own.
 *
 * <p>Each launch writes its standard output and error to {@code TestClass-pPORT-N.out} and {@code .err} in
 * {@code sluice.broker.logs.dir} (the build sets {@code system-tests/target/broker-logs}, so they outlive the test's
 * temporary directory), else in the working directory; data lives in {@code DIR/data}. The same port and data
 * directory are used again by every launch, so a restart sees what the previous process left on disk.
 *
 * <p>Not thread-safe: drive one instance from one thread (a test may call {@link #kill()} while its client
 * threads keep running).
 */
public final class BrokerProcess implements AutoCloseable
{
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final String HEAP_OPTS = "-Xms64m -Xmx512m";

    private final Path workDir;
    private final int port;
    private final String owner;
    private final List<String> overrides = new ArrayList<>();
    private Process process;
    private int launches;
    private Path stdout;
    private Path stderr;

    /**
     * A broker on a free loopback port, not started yet.
     *
     * @param workDir the broker's working directory; holds its output files and its data directory.
     */
    public BrokerProcess(final Path workDir)
    {
        this(workDir, freePort());
    }

    /**
     * A broker whose PLAINTEXT listener is {@code 127.0.0.1:port}, not started yet.
     *
     * @param workDir the broker's working directory; holds its output files and its data directory.
     * @param port    the listener port, taken or not (tests of a port in use pass a taken one).
     */
    public BrokerProcess(final Path workDir, final int port)
    {
        this.workDir = workDir;
        this.port = port;
        this.owner = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                .filter(type -> type != BrokerProcess.class)
                .findFirst())
            .map(Class::getSimpleName)
            .orElse("broker");
    }

    /**
     * Add {@code --override key=value} to every later launch, after the listener and data directory.
     *
     * @return this.
     */
    public BrokerProcess override(final String key, final String value)
    {
        overrides.add(key + "=" + value);
        return this;
    }

    /**
     * Launch the broker and wait until its listener accepts TCP connections.
     *
     * @return this.
     * @throws IllegalStateException if it exits first or does not listen within {@link #START_TIMEOUT}.
     */
    public BrokerProcess start()
    {
        spawn();
        awaitListening();
        return this;
    }

    /**
     * Launch the broker without waiting for anything (for tests of start-up failures).
     *
     * @return this.
     */
    public BrokerProcess spawn()
    {
        if (null != process && process.isAlive())
        {
            throw new IllegalStateException("broker already running, pid " + process.pid());
        }

        launches++;
        final Path logsDir = Paths.get(System.getProperty("sluice.broker.logs.dir", workDir.toString()));
        final String logName = owner + "-p" + port + "-" + launches;
        try
        {
            Files.createDirectories(logsDir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        stdout = logsDir.resolve(logName + ".out");
        stderr = logsDir.resolve(logName + ".err");

        final List<String> command = new ArrayList<>();
        command.add(sluiceHome().resolve("bin").resolve("sluice").toString());
        command.add("server");
        command.add("--override");
        command.add("listeners=PLAINTEXT://127.0.0.1:" + port);
        command.add("--override");
        command.add("log.dirs=" + logDir());
        for (final String override : overrides)
        {
            command.add("--override");
            command.add(override);
        }

        final ProcessBuilder builder = new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
        builder.environment().put("SLUICE_HEAP_OPTS", HEAP_OPTS);
        // anything the JVM would add to the broker's stderr on its own ("Picked up ...") is not the broker's
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        final String classpath = brokerClasspath();
        if (null != classpath)
        {
            builder.environment().put("SLUICE_CLASSPATH", classpath);
        }

        try
        {
            process = builder.start();
            process.getOutputStream().close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot run " + command.get(0), ex);
        }

        return this;
    }

    /**
     * Wait, polling with a deadline, until the listener accepts a TCP connection.
     *
     * @throws IllegalStateException if the broker exits first or the deadline passes.
     */
    public void awaitListening()
    {
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline)
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException(
                    "broker exited with " + process.exitValue() + " before listening on " + port + ": " + output());
            }

            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            }
            catch (final IOException notYet)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }

        throw new IllegalStateException(
            "broker pid " + process.pid() + " not listening on " + port + " after " + START_TIMEOUT + ": " + output());
    }

    /**
     * SIGTERM, then wait up to {@link #STOP_TIMEOUT} for the process to exit.
     *
     * @return its exit code.
     * @throws AssertionError if it ignored SIGTERM (it is then killed with SIGKILL).
     */
    public int stop()
    {
        process.destroy();
        if (!waitFor(STOP_TIMEOUT))
        {
            kill();
            throw new AssertionError("broker pid " + process.pid() + " ignored SIGTERM for " + STOP_TIMEOUT);
        }

        return process.exitValue();
    }

    /**
     * SIGKILL (kill -9) and wait for the process to be gone.
     */
    public void kill()
    {
        process.destroyForcibly();
        if (!waitFor(STOP_TIMEOUT))
        {
            throw new AssertionError("broker pid " + process.pid() + " still alive after SIGKILL");
        }
    }

    /**
     * Wait for the process to exit on its own.
     *
     * @return its exit code.
     * @throws AssertionError if it is still running after the timeout.
     */
    public int awaitExit(final Duration timeout)
    {
        if (!waitFor(timeout))
        {
            throw new AssertionError("broker pid " + process.pid() + " still running after " + timeout + ": " + output());
        }

        return process.exitValue();
    }

    public boolean isAlive()
    {
        return null != process && process.isAlive();
    }

    public long pid()
    {
        return process.pid();
    }

    public int port()
    {
        return port;
    }

    public String bootstrap()
    {
        return "127.0.0.1:" + port;
    }

    public Path logDir()
    {
        return workDir.resolve("data");
    }

    /**
     * @return the non-blank lines the current (or last) launch wrote to standard error.
     */
    public List<String> stderrLines()
    {
        return nonBlankLines(stderr);
    }

    /**
     * @return the non-blank lines the current (or last) launch wrote to standard output.
     */
    public List<String> stdoutLines()
    {
        return nonBlankLines(stdout);
    }

    /**
     * @return the last lines of the current launch's output, for failure messages.
     */
    public String output()
    {
        return "stderr " + tail(stderrLines()) + ", stdout " + tail(stdoutLines()) + " (all of it in " + stdout + ")";
    }

    /**
     * Stop whatever is still running: SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}. Never throws.
     */
    @Override
    public void close()
    {
        if (null == process)
        {
            return;
        }

        process.destroy();
        if (!waitFor(STOP_TIMEOUT))
        {
            process.destroyForcibly();
            waitFor(STOP_TIMEOUT);
        }
    }

    /**
     * @return a loopback port nothing listened on a moment ago.
     */
    public static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return the root of the Sluice checkout: {@code sluice.home} as the build sets it, else found upwards.
     */
    static Path sluiceHome()
    {
        final String configured = System.getProperty("sluice.home");
        if (null != configured)
        {
            return Paths.get(configured).toAbsolutePath().normalize();
        }

        for (Path dir = Paths.get("").toAbsolutePath(); null != dir; dir = dir.getParent())
        {
            if (Files.isExecutable(dir.resolve("bin").resolve("sluice")))
            {
                return dir;
            }
        }

        throw new IllegalStateException("bin/sluice not found above " + Paths.get("").toAbsolutePath());
    }

    private static String brokerClasspath()
    {
        final String file = System.getProperty("sluice.broker.classpath.file");
        if (null == file)
        {
            return null;
        }

        try
        {
            return Files.readString(Paths.get(file), StandardCharsets.UTF_8).trim();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("broker classpath file from the build is unreadable", ex);
        }
    }

    private boolean waitFor(final Duration timeout)
    {
        try
        {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static List<String> nonBlankLines(final Path file)
    {
        if (null == file || !Files.exists(file))
        {
            return List.of();
        }

        try
        {
            final List<String> lines = new ArrayList<>();
            // decoded leniently: a broken byte in the broker's output must not hide the rest of it
            for (final String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n"))
            {
                if (!line.isBlank())
                {
                    lines.add(line);
                }
            }
            return lines;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String tail(final List<String> lines)
    {
        return lines.subList(Math.max(0, lines.size() - 5), lines.size()).toString();
    }
}
