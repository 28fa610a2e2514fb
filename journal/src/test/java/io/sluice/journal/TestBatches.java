package io.sluice.journal;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Record batches built by Kafka's own client code, and helpers to read back what the journal stored. */
final class TestBatches
{
    private TestBatches()
    {
    }

    /** One uncompressed batch of {@code records} records, each with a {@code valueBytes}-byte value. */
    static ByteBuffer batch(final int records, final int valueBytes, final long timestamp)
    {
        final SimpleRecord[] simple = new SimpleRecord[records];
        for (int i = 0; i < records; i++)
        {
            final byte[] value = new byte[valueBytes];
            for (int j = 0; j < valueBytes; j++)
            {
                value[j] = (byte)('a' + (i + j) % 26);
            }
            simple[i] = new SimpleRecord(timestamp, ("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        return MemoryRecords.withRecords(Compression.NONE, simple).buffer();
    }

    static ByteBuffer batch(final int records, final long timestamp)
    {
        return batch(records, 16, timestamp);
    }

    /** A batch whose records carry the given timestamps, in order. */
    static ByteBuffer batchWithTimestamps(final long... timestamps)
    {
        final SimpleRecord[] simple = new SimpleRecord[timestamps.length];
        for (int i = 0; i < timestamps.length; i++)
        {
            simple[i] = new SimpleRecord(timestamps[i], null, ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, simple).buffer();
    }

    static ByteBuffer compressedBatch(final int records, final long timestamp)
    {
        final SimpleRecord[] simple = new SimpleRecord[records];
        for (int i = 0; i < records; i++)
        {
            simple[i] = new SimpleRecord(timestamp, null, ("value-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.gzip().build(), simple).buffer();
    }

    /** An idempotent batch from producer {@code producerId}/{@code epoch} starting at {@code baseSequence}. */
    static ByteBuffer idempotent(
        final long producerId, final short epoch, final int baseSequence, final int records, final long timestamp)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(1024 + records * 64);
        final MemoryRecordsBuilder builder = MemoryRecords.builder(
            buffer, RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE, TimestampType.CREATE_TIME, 0L, timestamp,
            producerId, epoch, baseSequence, false, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < records; i++)
        {
            builder.append(new SimpleRecord(timestamp, null, ("seq-" + (baseSequence + i)).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build().buffer();
    }

    static ByteBuffer concat(final ByteBuffer... parts)
    {
        int length = 0;
        for (final ByteBuffer part : parts)
        {
            length += part.remaining();
        }
        final ByteBuffer all = ByteBuffer.allocate(length);
        for (final ByteBuffer part : parts)
        {
            all.put(part.duplicate());
        }
        return all.flip();
    }

    static byte[] bytes(final ByteBuffer buffer)
    {
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Copy a read region's bytes out of its file. */
    static ByteBuffer regionBytes(final ReadResult result) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(result.length);
        final FileChannel channel = result.channel;
        while (bytes.hasRemaining())
        {
            if (channel.read(bytes, result.position + bytes.position()) < 0)
            {
                throw new IOException("region runs past the end of the file");
            }
        }
        return bytes.flip();
    }

    /** The batches of a region as Kafka parses them. */
    static List<RecordBatch> batches(final ByteBuffer region)
    {
        final List<RecordBatch> batches = new ArrayList<>();
        MemoryRecords.readableRecords(region).batches().forEach(batches::add);
        return batches;
    }
}
