package io.sluice.tuning.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads {@code /proc} and {@code /sys} files below a root directory: {@code /} on a live machine, a copied or made-up
 * tree in tests. A file that is missing or unreadable reads as empty, never as an error: virtual machines and
 * containers leave many of them out. Not thread-safe; cheap to make.
 */
final class HostFiles
{
    private final Path root;

    HostFiles(final Path root)
    {
        this.root = root;
    }

    /** The file's text, trimmed. {@code path} is relative to the root: {@code proc/sys/vm/swappiness}. */
    Optional<String> text(final String path)
    {
        try
        {
            // Not Files.readString: it sizes its read by the file's length, and /proc files report 0 (JDK 17 then
            // returns a truncated value).
            try (InputStream in = Files.newInputStream(root.resolve(path)))
            {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return Optional.empty();
        }
    }

    /** The file's text as one whole number, when it is one. */
    OptionalLong number(final String path)
    {
        final Optional<String> text = text(path);
        if (text.isPresent())
        {
            try
            {
                return OptionalLong.of(Long.parseLong(text.get()));
            }
            catch (final NumberFormatException ex)
            {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** Entries of directory {@code path} whose names match {@code glob}, sorted by name; none when it is missing. */
    List<String> list(final String path, final String glob)
    {
        final List<String> names = new ArrayList<>();
        final Path dir = root.resolve(path);
        if (Files.isDirectory(dir))
        {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob))
            {
                entries.forEach(entry -> names.add(entry.getFileName().toString()));
            }
            catch (final IOException | RuntimeException ex)
            {
                return List.of();
            }
        }
        names.sort(null);
        return names;
    }
}
