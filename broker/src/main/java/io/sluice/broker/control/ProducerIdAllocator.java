package io.sluice.broker.control;

import io.sluice.broker.AtomicFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Hands out producer ids for idempotent producers, unique across restarts: ids are reserved in blocks, and a
 * block's end is stored durably before its first id is handed out, so after a crash allocation resumes past
 * everything that may have been given.
 *
 * <p>Not thread-safe: conductor thread only.
 */
public final class ProducerIdAllocator
{
    public static final String FILE_NAME = "sluice-producer-ids.properties";
    static final long BLOCK_SIZE = 1000;
    private static final String NEXT_BLOCK = "next.block.start";

    private final Path file;
    private long next;
    private long blockEnd;

    /**
     * @param dir where the reservation file lives (the first log dir).
     * @throws IOException when an existing reservation file cannot be read.
     */
    public ProducerIdAllocator(final Path dir) throws IOException
    {
        file = dir.resolve(FILE_NAME);
        final Properties stored = AtomicFile.read(file);
        long start = 0;
        if (stored != null)
        {
            try
            {
                start = Long.parseLong(stored.getProperty(NEXT_BLOCK, "0"));
            }
            catch (final NumberFormatException ex)
            {
                throw new IOException("corrupt " + file + ": " + ex.getMessage(), ex);
            }
        }
        next = start;
        blockEnd = start;
    }

    /**
     * The next unused producer id.
     *
     * @throws IOException when a new block cannot be reserved durably (no id is handed out then).
     */
    public long allocate() throws IOException
    {
        if (next == blockEnd)
        {
            final long end = blockEnd + BLOCK_SIZE;
            final Properties properties = new Properties();
            properties.setProperty(NEXT_BLOCK, Long.toString(end));
            AtomicFile.write(file, properties, "Sluice producer ids reserved so far, do not edit");
            blockEnd = end;
        }
        return next++;
    }
}
