package io.sluice.broker;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * The broker's data directories, held for its lifetime: each is created if absent and locked, so a second
 * broker on the same directory fails at once instead of corrupting it. The first one holds the broker's
 * identity (node id and cluster id), so a directory written by another node is refused.
 *
 * <p>Opened and closed on one thread; {@link #clusterId()} may be read from any.
 */
public final class LogDirs implements AutoCloseable
{
    public static final String META_FILE = "sluice-meta.properties";
    private static final String LOCK_FILE = ".lock";

    private final List<Path> dirs;
    private final List<FileChannel> lockChannels = new ArrayList<>();
    private String clusterId;

    private LogDirs(final List<Path> dirs)
    {
        this.dirs = List.copyOf(dirs);
    }

    /**
     * Create, lock and check every directory.
     *
     * @throws IllegalStateException with a one-line reason naming the directory when one cannot be used.
     */
    public static LogDirs open(final List<Path> dirs, final int nodeId)
    {
        final LogDirs logDirs = new LogDirs(dirs);
        try
        {
            for (final Path dir : dirs)
            {
                logDirs.lock(dir);
            }
            logDirs.readIdentity(nodeId);
        }
        catch (final RuntimeException ex)
        {
            logDirs.close();
            throw ex;
        }
        return logDirs;
    }

    public List<Path> dirs()
    {
        return dirs;
    }

    /** Where the broker keeps its own files (topics, producer ids, identity). */
    public Path first()
    {
        return dirs.get(0);
    }

    /** A random id made when the first directory was first used, as Kafka's cluster ids are. */
    public String clusterId()
    {
        return clusterId;
    }

    private void lock(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir))
            {
                throw new IllegalStateException("cannot use log dir " + dir + ": not writable");
            }
            final FileChannel channel = FileChannel.open(
                dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lockChannels.add(channel);
            final FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                throw new IllegalStateException("cannot use log dir " + dir + ": already in use by this process");
            }
            if (lock == null)
            {
                throw new IllegalStateException("cannot use log dir " + dir + ": in use by another process");
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot use log dir " + dir + ": " + describe(ex));
        }
    }

    private void readIdentity(final int nodeId)
    {
        final Path file = first().resolve(META_FILE);
        try
        {
            final Properties meta = AtomicFile.read(file);
            if (meta != null)
            {
                final String storedNode = meta.getProperty("node.id");
                clusterId = meta.getProperty("cluster.id");
                if (storedNode == null || clusterId == null)
                {
                    throw new IllegalStateException("cannot use log dir " + first() + ": " + META_FILE + " is incomplete");
                }
                if (!storedNode.equals(Integer.toString(nodeId)))
                {
                    throw new IllegalStateException("cannot use log dir " + first() + ": it belongs to node.id " +
                        storedNode + ", not " + nodeId);
                }
                return;
            }
            final byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            final Properties fresh = new Properties();
            fresh.setProperty("node.id", Integer.toString(nodeId));
            fresh.setProperty("cluster.id", clusterId);
            fresh.setProperty("version", "1");
            AtomicFile.write(file, fresh, "Sluice broker identity, do not edit");
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new IllegalStateException("cannot use log dir " + first() + ": " + describe(ex));
        }
    }

    private static String describe(final Exception ex)
    {
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getClass().getSimpleName() + " " + ex.getMessage();
    }

    /** Release the locks. */
    @Override
    public void close()
    {
        for (final FileChannel channel : lockChannels)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // The lock goes with the process anyway.
            }
        }
        lockChannels.clear();
    }
}
