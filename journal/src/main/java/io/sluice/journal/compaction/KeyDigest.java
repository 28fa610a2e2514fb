package io.sluice.journal.compaction;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 128-bit identity of a record key in the {@link OffsetMap}: the first half of its SHA-256. Kafka's
 * {@code SkimpyOffsetMap} keys by MD5 for the same reason: two keys that collide would let one key's latest record
 * be removed as an older version of the other, so the digest must make collisions impossible in practice, even for
 * keys chosen to collide, which a fast non-cryptographic hash does not.
 *
 * <p>Not thread-safe: one per cleaner thread. Allocates only when a key is larger than every key before it.
 */
final class KeyDigest
{
    private final MessageDigest sha256;
    private final byte[] digest = new byte[32];
    private final UnsafeBuffer digestView = new UnsafeBuffer(digest);
    private byte[] scratch = new byte[256];
    private long high;
    private long low;

    KeyDigest()
    {
        try
        {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK provides SHA-256", ex);
        }
    }

    /** Digest {@code length} bytes at {@code index}; read the result with {@link #high()} and {@link #low()}. */
    void digest(final DirectBuffer buffer, final int index, final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        buffer.getBytes(index, scratch, 0, length);
        sha256.update(scratch, 0, length);
        try
        {
            sha256.digest(digest, 0, digest.length);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException("SHA-256 output does not fit 32 bytes", ex);
        }
        high = digestView.getLong(0, ByteOrder.BIG_ENDIAN);
        low = digestView.getLong(8, ByteOrder.BIG_ENDIAN);
    }

    long high()
    {
        return high;
    }

    long low()
    {
        return low;
    }
}
