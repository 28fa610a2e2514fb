package io.sluice.broker;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * A small properties file replaced atomically: written to a temporary file, forced, renamed over the old one,
 * and the directory forced, so a crash leaves either the old or the new contents, never a torn mix.
 *
 * <p>Stateless; callers serialize their own writes to one file.
 */
public final class AtomicFile
{
    private AtomicFile()
    {
    }

    /** The properties in {@code file}, or null when it does not exist. */
    public static Properties read(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            return null;
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        return properties;
    }

    /** Replace {@code file} with {@code properties}, durably. */
    public static void write(final Path file, final Properties properties, final String comment) throws IOException
    {
        final StringWriter text = new StringWriter();
        properties.store(text, comment);
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(
            temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(file.toAbsolutePath().getParent());
    }

    /** Make a rename or creation in {@code dir} durable. */
    public static void forceDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }
}
