package io.sluice.journal;

import java.nio.file.Path;

/**
 * Names of the files in a partition directory: segments are named by their base offset, zero-padded to 20
 * digits so that lexical order is offset order, as Kafka names them.
 */
final class SegmentFiles
{
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String SNAPSHOT_SUFFIX = ".snapshot";
    /** Appended to a file waiting for {@code file.delete.delay.ms} before it is removed. */
    static final String DELETED_SUFFIX = ".deleted";
    /** A checkpoint being written; never valid on its own. */
    static final String TEMP_SUFFIX = ".tmp";
    /** Ends the name of a segment file the cleaner is still writing; recovery deletes it. */
    static final String CLEANED_SUFFIX = ".cleaned";
    /**
     * Ends the name of a cleaned segment committed to replace the segments in its offset range; recovery finishes
     * the replacement. Named {@code <base>.<end>.swap}: the range is {@code [base, end)}.
     */
    static final String SWAP_SUFFIX = ".swap";
    static final int DIGITS = 20;

    private SegmentFiles()
    {
    }

    static Path path(final Path dir, final long baseOffset, final String suffix)
    {
        return dir.resolve(name(baseOffset, suffix));
    }

    static String name(final long baseOffset, final String suffix)
    {
        final String digits = Long.toString(baseOffset);
        final StringBuilder name = new StringBuilder(DIGITS + suffix.length());
        for (int i = digits.length(); i < DIGITS; i++)
        {
            name.append('0');
        }
        return name.append(digits).append(suffix).toString();
    }

    /** A cleaned segment's log file that replaces every segment whose base offset is in {@code [base, end)}. */
    static Path swapPath(final Path dir, final long base, final long end)
    {
        return dir.resolve(name(base, "") + "." + name(end, SWAP_SUFFIX));
    }

    /** The end offset a swap file's name gives, or -1 when {@code fileName} is not a swap file's name. */
    static long swapEnd(final String fileName)
    {
        final int baseLength = DIGITS + 1;
        if (fileName.length() != baseLength + DIGITS + SWAP_SUFFIX.length() || fileName.charAt(DIGITS) != '.' ||
            baseOffset(fileName.substring(0, DIGITS) + SWAP_SUFFIX, SWAP_SUFFIX) < 0)
        {
            return -1;
        }
        return baseOffset(fileName.substring(baseLength), SWAP_SUFFIX);
    }

    /** The base offset a swap file's name gives; only for a name {@link #swapEnd} accepted. */
    static long swapBase(final String fileName)
    {
        return baseOffset(fileName.substring(0, DIGITS) + SWAP_SUFFIX, SWAP_SUFFIX);
    }

    /** The base offset {@code fileName} names with {@code suffix}, or -1 when it is not such a name. */
    static long baseOffset(final String fileName, final String suffix)
    {
        if (fileName.length() != DIGITS + suffix.length() || !fileName.endsWith(suffix))
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < DIGITS; i++)
        {
            final char c = fileName.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value < 0)
            {
                return -1;
            }
        }
        return value;
    }
}
