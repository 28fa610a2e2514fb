package io.sluice.broker.metrics;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The counters file: a small header, then the metadata and values buffers of Agrona counters, memory-mapped so
 * that another process ({@code sluice stat}) can read the broker's counters while it runs, the way Aeron's CnC
 * file exposes a media driver's counters.
 *
 * <pre>
 *   0  int   magic "SLCF"
 *   4  int   layout version, written last with a release store: a reader that sees it sees the rest
 *   8  int   metadata buffer length
 *  12  int   values buffer length
 *  16  long  pid of the broker
 *  24  long  broker start time, ms since the epoch
 *  4096      metadata buffer (512 bytes per counter: state, type id, key, label)
 *  4096+M    values buffer (128 bytes per counter, one value each, padded to two cache lines)
 * </pre>
 * Values are in the machine's byte order (the file is for readers on the same machine).
 *
 * <p>The broker creates a fresh file at every start ({@link #create}); a reader maps an existing one read-only
 * ({@link #openReadOnly}) and must not write. Thread-safety is that of the counters over it: see
 * {@link BrokerCounters}.
 */
public final class MetricsFile implements AutoCloseable
{
    /** The name of the file in the first log directory when {@code sluice.metrics.file} is not set. */
    public static final String DEFAULT_FILE_NAME = "sluice-counters.dat";
    public static final int MAGIC = 0x53_4C_43_46;
    public static final int LAYOUT_VERSION = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int METADATA_LENGTH_OFFSET = 8;
    public static final int VALUES_LENGTH_OFFSET = 12;
    public static final int PID_OFFSET = 16;
    public static final int START_TIME_OFFSET = 24;
    public static final int HEADER_LENGTH = 4096;

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final UnsafeBuffer metadata;
    private final UnsafeBuffer values;

    private MetricsFile(final Path path, final MappedByteBuffer mapped, final int metadataLength, final int valuesLength)
    {
        this.path = path;
        this.mapped = mapped;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        this.metadata = new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength);
        this.values = new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength);
    }

    /**
     * Replace whatever is at {@code path} with a new file for {@code counterCapacity} counters, and publish its
     * header. A reader that mapped the old file keeps seeing the old one.
     *
     * @throws IllegalStateException with a one-line reason when the file cannot be made.
     */
    public static MetricsFile create(final Path path, final int counterCapacity, final long pid, final long startTimeMs)
    {
        final int valuesLength = counterCapacity * CountersReader.COUNTER_LENGTH;
        final int metadataLength = counterCapacity * CountersReader.METADATA_LENGTH;
        final long fileLength = (long)HEADER_LENGTH + metadataLength + valuesLength;
        try
        {
            final Path parent = path.toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(path);
            // setLength leaves a sparse file of zeros: only the pages of counters in use ever take memory or disk.
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw"))
            {
                file.setLength(fileLength);
            }
            final MappedByteBuffer mapped;
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileLength);
            }
            final MetricsFile file = new MetricsFile(path, mapped, metadataLength, valuesLength);
            file.header.putInt(MAGIC_OFFSET, MAGIC);
            file.header.putInt(METADATA_LENGTH_OFFSET, metadataLength);
            file.header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
            file.header.putLong(PID_OFFSET, pid);
            file.header.putLong(START_TIME_OFFSET, startTimeMs);
            file.header.putIntRelease(VERSION_OFFSET, LAYOUT_VERSION);
            return file;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create the counters file " + path + ": " + ex, ex);
        }
    }

    /**
     * Map an existing counters file read-only.
     *
     * @throws IllegalStateException with a one-line reason when the file is missing, not a counters file, of
     *                               another layout version, or not written completely yet.
     */
    public static MetricsFile openReadOnly(final Path path)
    {
        if (!Files.isRegularFile(path))
        {
            throw new IllegalStateException("no counters file at " + path + " (is the broker running with this log dir?)");
        }
        final MappedByteBuffer mapped;
        final long fileLength;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            fileLength = channel.size();
            if (fileLength < HEADER_LENGTH)
            {
                throw new IllegalStateException("not a Sluice counters file (too short): " + path);
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileLength);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + path + ": " + ex.getMessage(), ex);
        }
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final int version = header.getIntVolatile(VERSION_OFFSET);
        final String problem;
        if (header.getInt(MAGIC_OFFSET) != MAGIC)
        {
            problem = "not a Sluice counters file: " + path;
        }
        else if (version == 0)
        {
            problem = "counters file " + path + " is still being created; try again";
        }
        else if (version != LAYOUT_VERSION)
        {
            problem = "counters file " + path + " has layout version " + version + ", this build reads " + LAYOUT_VERSION;
        }
        else
        {
            final long metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
            final long valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
            problem = metadataLength <= 0 || valuesLength <= 0 || HEADER_LENGTH + metadataLength + valuesLength > fileLength ?
                "counters file " + path + " is truncated" : null;
        }
        if (problem != null)
        {
            IoUtil.unmap(mapped);
            throw new IllegalStateException(problem);
        }
        return new MetricsFile(path, mapped, header.getInt(METADATA_LENGTH_OFFSET), header.getInt(VALUES_LENGTH_OFFSET));
    }

    public Path path()
    {
        return path;
    }

    /** The pid of the broker that created the file. */
    public long pid()
    {
        return header.getLong(PID_OFFSET);
    }

    /** When that broker started, ms since the epoch. */
    public long startTimeMs()
    {
        return header.getLong(START_TIME_OFFSET);
    }

    public UnsafeBuffer metadataBuffer()
    {
        return metadata;
    }

    public UnsafeBuffer valuesBuffer()
    {
        return values;
    }

    /** A reader of the counters in the file; safe from any thread, and from any process that maps the file. */
    public CountersReader reader()
    {
        return new CountersReader(metadata, values);
    }

    /** Unmap. The file stays, so its last values can be read after the broker stops. */
    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
