package io.sluice.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where benchmarks put their files: {@code perf/target/bench-data} beside the benchmarks jar (or the classes
 * directory), so data lands on the same disk as the checkout; {@code -Dsluice.bench.dir=DIR} moves it.
 */
public final class BenchDirectory
{
    private BenchDirectory()
    {
    }

    /** A new, empty directory for one benchmark trial, named after {@code prefix}. */
    public static Path create(final String prefix)
    {
        try
        {
            final Path root = root();
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix + "-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Delete {@code dir} and everything under it; a directory already gone is fine. */
    public static void delete(final Path dir)
    {
        if (dir == null || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Path root()
    {
        final String configured = System.getProperty("sluice.bench.dir");
        if (configured != null)
        {
            return Path.of(configured);
        }
        try
        {
            // target/benchmarks.jar or target/classes: either way the parent is target/.
            final Path location = Path.of(
                BenchDirectory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toAbsolutePath().getParent().resolve("bench-data");
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
