package io.sluice.journal.compaction;

import io.sluice.codecs.record.RecordBatchFlyweight;
import org.agrona.ExpandableArrayBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.ByteBufferOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Inflates and deflates the records section of compressed batches with Kafka's own codecs (gzip, snappy, lz4,
 * zstd: the exact framings Kafka's clients write), so that the cleaner can look at the records of a compressed
 * batch and write the retained ones back with the batch's own codec, as Kafka's cleaner does. The one place the
 * journal uses Kafka's client library outside tests.
 *
 * <p>Not thread-safe: one per cleaner thread. Allocates per compressed batch (streams and output buffers); the
 * cleaner is off the hot path.
 */
final class RecordsCompression
{
    private final Compression[] codecs = new Compression[RecordBatchFlyweight.COMPRESSION_MASK + 1];
    private final BufferSupplier bufferSupplier = BufferSupplier.create();
    private final ExpandableArrayBuffer inflated = new ExpandableArrayBuffer(64 * 1024);
    private final byte[] chunk = new byte[16 * 1024];

    /**
     * Inflate {@code length} compressed bytes at {@code offset} of {@code source} into {@link #inflated()}.
     *
     * @return the inflated length, or -1 when it would exceed {@code maxBytes}.
     */
    int inflate(final int codec, final ByteBuffer source, final int offset, final int length, final int maxBytes)
        throws IOException
    {
        final ByteBuffer compressed = source.duplicate();
        compressed.limit(offset + length).position(offset);
        int total = 0;
        try (InputStream in = codec(codec).wrapForInput(compressed.slice(), RecordBatchFlyweight.MAGIC_V2, bufferSupplier))
        {
            int read;
            while ((read = in.read(chunk)) > 0)
            {
                if ((long)total + read > maxBytes)
                {
                    return -1;
                }
                inflated.putBytes(total, chunk, 0, read);
                total += read;
            }
        }
        catch (final RuntimeException ex)
        {
            // Kafka's codecs report a damaged stream as a KafkaException.
            throw new IOException("cannot decompress records with codec " + codec, ex);
        }
        return total;
    }

    /** The records {@link #inflate} produced, at index 0. */
    ExpandableArrayBuffer inflated()
    {
        return inflated;
    }

    /** Deflate {@code length} bytes at {@code offset} of {@code records} with {@code codec}; the result is flipped. */
    ByteBuffer deflate(final int codec, final byte[] records, final int offset, final int length) throws IOException
    {
        final ByteBufferOutputStream out = new ByteBufferOutputStream(Math.max(512, length / 2));
        try (OutputStream stream = codec(codec).wrapForOutput(out, RecordBatchFlyweight.MAGIC_V2))
        {
            stream.write(records, offset, length);
        }
        catch (final RuntimeException ex)
        {
            throw new IOException("cannot compress records with codec " + codec, ex);
        }
        return out.buffer().flip();
    }

    private Compression codec(final int id)
    {
        Compression codec = codecs[id];
        if (codec == null)
        {
            codec = Compression.of(CompressionType.forId(id)).build();
            codecs[id] = codec;
        }
        return codec;
    }
}
