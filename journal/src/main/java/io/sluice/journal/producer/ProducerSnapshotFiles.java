package io.sluice.journal.producer;

import org.agrona.collections.LongArrayList;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Naming, listing, atomic writing and deletion of producer-state snapshot files in a partition directory.
 * A snapshot is named {@code <offset as 20 digits>.snapshot}, the offset being the log end offset it covers
 * (exclusive), as Kafka names its {@code .snapshot} files.
 *
 * <p>Stateless and thread-safe; every method works on the directory it is given.
 */
final class ProducerSnapshotFiles
{
    static final String SUFFIX = ".snapshot";
    static final String TEMP_SUFFIX = ".snapshot.tmp";
    private static final int DIGITS = 20;

    private ProducerSnapshotFiles()
    {
    }

    static Path path(final Path dir, final long offset)
    {
        return dir.resolve(name(offset) + SUFFIX);
    }

    /**
     * Write {@code content} (position to limit) as the snapshot for {@code offset} so that a crash leaves either
     * the old state or the whole new file: temp file, fsync, atomic rename, fsync of the directory.
     */
    static void writeAtomically(final Path dir, final long offset, final ByteBuffer content) throws IOException
    {
        final Path temp = dir.resolve(name(offset) + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(
            temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            while (content.hasRemaining())
            {
                channel.write(content);
            }
            channel.force(true);
        }
        Files.move(temp, path(dir, offset), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dirChannel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            dirChannel.force(true);
        }
    }

    /** Offsets of the snapshot files in {@code dir}, ascending; left-over temp files are not listed. */
    static long[] offsets(final Path dir) throws IOException
    {
        final LongArrayList offsets = new LongArrayList();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX))
        {
            for (final Path file : files)
            {
                final long offset = parseOffset(file.getFileName().toString(), SUFFIX);
                if (offset >= 0)
                {
                    offsets.addLong(offset);
                }
            }
        }
        final long[] sorted = offsets.toLongArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * Delete the snapshots, and any temp files a crash left, whose offset lies in {@code [from, to]}.
     *
     * @return how many files were deleted.
     */
    static int deleteRange(final Path dir, final long from, final long to) throws IOException
    {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX + "*"))
        {
            for (final Path file : files)
            {
                final String fileName = file.getFileName().toString();
                long offset = parseOffset(fileName, SUFFIX);
                if (offset < 0)
                {
                    offset = parseOffset(fileName, TEMP_SUFFIX);
                }
                if (offset >= from && offset <= to && Files.deleteIfExists(file))
                {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private static String name(final long offset)
    {
        final String digits = Long.toString(offset);
        final StringBuilder name = new StringBuilder(DIGITS + TEMP_SUFFIX.length());
        for (int i = digits.length(); i < DIGITS; i++)
        {
            name.append('0');
        }
        return name.append(digits).toString();
    }

    /** The offset in {@code <20 digits><suffix>}, or -1 when the name has another shape. */
    private static long parseOffset(final String fileName, final String suffix)
    {
        // Offsets are non-negative longs (19 digits at most), so a leading digit other than 0 cannot be ours.
        if (fileName.length() != DIGITS + suffix.length() ||
            !fileName.endsWith(suffix) ||
            fileName.charAt(0) != '0')
        {
            return -1;
        }
        long offset = 0;
        for (int i = 0; i < DIGITS; i++)
        {
            final char c = fileName.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            offset = offset * 10 + (c - '0');
        }
        return offset;
    }
}
