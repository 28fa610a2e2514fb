package io.sluice.journal;

import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A memory-mapped file of fixed-size entries sorted by key, the common half of {@link OffsetIndex} and
 * {@link TimeIndex}. The active segment's index is preallocated to {@code segment.index.bytes} and trimmed to
 * its entries when the segment is rolled or closed, so the file length of an inactive index is its entry count.
 *
 * <p>Not thread-safe: only the thread that owns the partition touches it. Big-endian, as Kafka's indexes.
 */
abstract class IndexFile
{
    protected final long baseOffset;
    private final int entrySize;
    private Path path;
    private FileChannel channel;
    protected MappedByteBuffer mmap;
    protected int entries;
    private int maxEntries;
    private final boolean lengthWasValid;

    /**
     * Open or create {@code path}, mapping at least {@code capacityBytes} (rounded down to whole entries).
     * The entry count is what the file holds, which a caller must validate before trusting.
     */
    protected IndexFile(final Path path, final long baseOffset, final int entrySize, final int capacityBytes)
        throws IOException
    {
        this.path = path;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        channel = FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        final long length = channel.size();
        lengthWasValid = length % entrySize == 0 && length <= Integer.MAX_VALUE;
        entries = (int)Math.min(length / entrySize, Integer.MAX_VALUE / entrySize);
        map(Math.max(entries * entrySize, roundDown(capacityBytes)));
    }

    /** False when the file's length is not a whole number of entries (a torn or truncated index). */
    final boolean lengthWasValid()
    {
        return lengthWasValid;
    }

    final int entries()
    {
        return entries;
    }

    final boolean isFull()
    {
        return entries >= maxEntries;
    }

    final Path path()
    {
        return path;
    }

    /** Forget every entry (before a rebuild); the mapping keeps its size. */
    final void reset()
    {
        entries = 0;
    }

    /** Keep only the first {@code count} entries. */
    final void truncateEntries(final int count)
    {
        entries = Math.min(entries, count);
    }

    /** Grow the mapping to {@code capacityBytes} so that appends can continue (the active segment). */
    final void preallocate(final int capacityBytes) throws IOException
    {
        final int bytes = Math.max(entries * entrySize, roundDown(capacityBytes));
        if (bytes != mmap.capacity())
        {
            remap(bytes);
        }
    }

    /** Shrink the file to exactly its entries: an inactive index, or one about to be closed. */
    final void trim() throws IOException
    {
        if (mmap.capacity() != entries * entrySize)
        {
            remap(entries * entrySize);
        }
    }

    final void flush()
    {
        mmap.force();
    }

    final void close() throws IOException
    {
        IoUtil.unmap(mmap);
        channel.close();
    }

    /** Close and rename to this name plus {@code suffix}, so recovery can tell the file is being deleted. */
    final void closeAndRename(final String suffix) throws IOException
    {
        close();
        final Path target = path.resolveSibling(path.getFileName() + suffix);
        Files.move(path, target, StandardCopyOption.REPLACE_EXISTING);
        path = target;
    }

    /** Remove the file of a closed index. */
    final void delete() throws IOException
    {
        Files.deleteIfExists(path);
    }

    private void remap(final int bytes) throws IOException
    {
        mmap.force();
        IoUtil.unmap(mmap);
        map(bytes);
    }

    private void map(final int bytes) throws IOException
    {
        channel.truncate(bytes);
        if (channel.size() < bytes)
        {
            // RandomAccessFile.setLength semantics: extend sparsely so preallocation costs no writes.
            channel.write(java.nio.ByteBuffer.allocate(1), bytes - 1);
        }
        mmap = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        maxEntries = bytes / entrySize;
    }

    private int roundDown(final int bytes)
    {
        return bytes - bytes % entrySize;
    }
}
