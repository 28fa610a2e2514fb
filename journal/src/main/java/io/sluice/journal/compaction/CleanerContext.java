package io.sluice.journal.compaction;

import org.agrona.ErrorHandler;

import java.util.concurrent.ThreadFactory;

/**
 * Settings of the {@link LogCleaner}, named after Kafka's broker properties. Fluent setters, then
 * {@link #conclude()} validates. Not thread-safe; hand it to one cleaner and leave it alone.
 */
public final class CleanerContext
{
    private int threads = 1;
    private int dedupeBufferSize = 32 * 1024 * 1024;
    private double dedupeBufferLoadFactor = 0.9;
    private int ioBufferSize = 512 * 1024;
    private int maxDecompressedBatchBytes = 64 * 1024 * 1024;
    private long backoffMs = 15_000;
    private long idleSleepMs = 100;
    private int queueCapacity = 1024;
    private ThreadFactory threadFactory;
    private ErrorHandler errorHandler = Throwable::printStackTrace;

    /** {@code log.cleaner.threads}: cleaner threads, each with its own share of the dedupe buffer. */
    public CleanerContext threads(final int value)
    {
        threads = value;
        return this;
    }

    public int threads()
    {
        return threads;
    }

    /**
     * {@code log.cleaner.dedupe.buffer.size}: off-heap bytes for the key-to-offset maps of all threads, 24 bytes a
     * key (a 128-bit digest and an offset). Kafka's default is 128 MiB; Sluice's is 32 MiB, about 1.2 million keys
     * deduplicated per round at the default load factor. A log with more keys in its dirty part is cleaned over
     * several rounds.
     */
    public CleanerContext dedupeBufferSize(final int value)
    {
        dedupeBufferSize = value;
        return this;
    }

    public int dedupeBufferSize()
    {
        return dedupeBufferSize;
    }

    /** {@code log.cleaner.io.buffer.load.factor}: how full a key map may get before a round stops adding keys. */
    public CleanerContext dedupeBufferLoadFactor(final double value)
    {
        dedupeBufferLoadFactor = value;
        return this;
    }

    public double dedupeBufferLoadFactor()
    {
        return dedupeBufferLoadFactor;
    }

    /**
     * {@code log.cleaner.io.buffer.size}: bytes read per step of a cleaner thread, and the size at which cleaned
     * output is written out. A larger batch grows the read buffer to fit it.
     */
    public CleanerContext ioBufferSize(final int value)
    {
        ioBufferSize = value;
        return this;
    }

    public int ioBufferSize()
    {
        return ioBufferSize;
    }

    /**
     * Largest decompressed records section the cleaner will inflate; a compressed batch that inflates beyond it is
     * kept whole, unexamined, so that a pathological batch costs space rather than memory.
     */
    public CleanerContext maxDecompressedBatchBytes(final int value)
    {
        maxDecompressedBatchBytes = value;
        return this;
    }

    public int maxDecompressedBatchBytes()
    {
        return maxDecompressedBatchBytes;
    }

    /** {@code log.cleaner.backoff.ms}: how long a log waits between looks at whether it needs cleaning. */
    public CleanerContext backoffMs(final long value)
    {
        backoffMs = value;
        return this;
    }

    public long backoffMs()
    {
        return backoffMs;
    }

    /** How long an idle cleaner thread sleeps between polls of its queue. */
    public CleanerContext idleSleepMs(final long value)
    {
        idleSleepMs = value;
        return this;
    }

    public long idleSleepMs()
    {
        return idleSleepMs;
    }

    /** Tasks that may wait for a cleaner thread; a log whose offer is refused tries again after the backoff. */
    public CleanerContext queueCapacity(final int value)
    {
        queueCapacity = value;
        return this;
    }

    public int queueCapacity()
    {
        return queueCapacity;
    }

    /** Makes the cleaner threads (for naming or pinning); null uses plain threads named by the agents. */
    public CleanerContext threadFactory(final ThreadFactory value)
    {
        threadFactory = value;
        return this;
    }

    public ThreadFactory threadFactory()
    {
        return threadFactory;
    }

    /** Receives errors that escape a cleaner thread's duty cycle (a failed round is reported to its log instead). */
    public CleanerContext errorHandler(final ErrorHandler value)
    {
        errorHandler = value;
        return this;
    }

    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /** Bytes of key map each thread gets. */
    int dedupeBufferSizePerThread()
    {
        return dedupeBufferSize / threads;
    }

    /**
     * Validate the settings.
     *
     * @throws IllegalArgumentException naming the first setting that is out of range.
     */
    public CleanerContext conclude()
    {
        require(threads >= 1, "log.cleaner.threads", threads);
        require(dedupeBufferSize / Math.max(1, threads) >= OffsetMap.MIN_MEMORY_BYTES,
            "log.cleaner.dedupe.buffer.size", dedupeBufferSize);
        require(ioBufferSize >= 1024, "log.cleaner.io.buffer.size", ioBufferSize);
        require(maxDecompressedBatchBytes >= 1024, "max decompressed batch bytes", maxDecompressedBatchBytes);
        require(backoffMs >= 0, "log.cleaner.backoff.ms", backoffMs);
        require(idleSleepMs >= 1, "cleaner idle sleep ms", idleSleepMs);
        require(queueCapacity >= 2, "cleaner queue capacity", queueCapacity);
        if (!(dedupeBufferLoadFactor > 0 && dedupeBufferLoadFactor <= 0.95))
        {
            throw new IllegalArgumentException("invalid log.cleaner.io.buffer.load.factor: " + dedupeBufferLoadFactor);
        }
        if (errorHandler == null)
        {
            throw new IllegalArgumentException("cleaner error handler is null");
        }
        return this;
    }

    private static void require(final boolean condition, final String name, final long value)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("invalid " + name + ": " + value);
        }
    }
}
