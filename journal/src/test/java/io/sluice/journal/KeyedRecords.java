package io.sluice.journal;

import io.sluice.codecs.record.ErrorCodes;
import io.sluice.journal.compaction.LogCleaner;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keyed records for compaction tests: batches built by Kafka's client code, a full read of a log parsed by Kafka's
 * client code (it checks every CRC), and the model answers a compacted log must agree with.
 */
final class KeyedRecords
{
    private KeyedRecords()
    {
    }

    /** One record as stored: a null value is a tombstone. */
    record Rec(long offset, String key, String value, long timestamp)
    {
    }

    /** A batch of records {@code key, value, key, value...}; a null value makes a tombstone. */
    static ByteBuffer batch(final Compression compression, final long timestamp, final String... keysAndValues)
    {
        final SimpleRecord[] records = new SimpleRecord[keysAndValues.length / 2];
        for (int i = 0; i < records.length; i++)
        {
            final String value = keysAndValues[2 * i + 1];
            records[i] = new SimpleRecord(
                timestamp + i, bytes(keysAndValues[2 * i]), value == null ? null : bytes(value));
        }
        return MemoryRecords.withRecords(compression, records).buffer();
    }

    /** An idempotent batch of {@code key, value...} records from producer {@code producerId}, epoch 0. */
    static ByteBuffer idempotent(
        final long producerId, final int baseSequence, final long timestamp, final String... keysAndValues)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(1024 + keysAndValues.length * 64);
        final MemoryRecordsBuilder builder = MemoryRecords.builder(
            buffer, RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE, TimestampType.CREATE_TIME, 0L, timestamp,
            producerId, (short)0, baseSequence, false, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            final String value = keysAndValues[i + 1];
            builder.append(new SimpleRecord(timestamp, bytes(keysAndValues[i]), value == null ? null : bytes(value)));
        }
        return builder.build().buffer();
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Every record from the log start to the log end, read through the journal and parsed by Kafka's code. */
    static List<Rec> readAll(final PartitionLog log) throws IOException
    {
        return readAll(log, new ArrayList<>());
    }

    /** As {@link #readAll(PartitionLog)}, also collecting each batch read. */
    static List<Rec> readAll(final PartitionLog log, final List<RecordBatch> batches) throws IOException
    {
        final List<Rec> records = new ArrayList<>();
        final ReadResult read = new ReadResult();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset())
        {
            if (log.read(offset, 1 << 20, true, read) != ErrorCodes.NONE || read.length == 0)
            {
                throw new AssertionError("read at " + offset + " failed below the log end " + log.logEndOffset());
            }
            for (final RecordBatch batch : MemoryRecords.readableRecords(TestBatches.regionBytes(read)).batches())
            {
                batch.ensureValid();
                if (batch.nextOffset() <= offset)
                {
                    throw new AssertionError("batch ending at " + batch.lastOffset() + " read for offset " + offset);
                }
                batches.add(batch);
                for (final Record record : batch)
                {
                    if (record.offset() >= offset)
                    {
                        records.add(new Rec(record.offset(), text(record.key()), text(record.value()), record.timestamp()));
                    }
                }
                offset = batch.nextOffset();
            }
        }
        return records;
    }

    private static String text(final ByteBuffer bytes)
    {
        if (bytes == null)
        {
            return null;
        }
        final byte[] array = new byte[bytes.remaining()];
        bytes.duplicate().get(array);
        return new String(array, StandardCharsets.UTF_8);
    }

    /** Key to the latest record of each key among {@code records}, in first-seen order. */
    static Map<String, Rec> latestByKey(final List<Rec> records)
    {
        final Map<String, Rec> latest = new LinkedHashMap<>();
        for (final Rec record : records)
        {
            latest.put(record.key(), record);
        }
        return latest;
    }

    /** Key to value of every key whose latest record has a value: what a consumer rebuilding a table ends with. */
    static Map<String, String> liveValues(final List<Rec> records)
    {
        final Map<String, String> live = new LinkedHashMap<>();
        for (final Rec record : latestByKey(records).values())
        {
            if (record.value() != null)
            {
                live.put(record.key(), record.value());
            }
        }
        return live;
    }

    /**
     * Drive {@code log}'s timer (at the time {@code now} gives) and the cleaner's duty cycles on this thread until
     * one more cleaning has been swapped in.
     */
    static void cleanOnce(final PartitionLog log, final LogCleaner cleaner, final LongSupplier now)
    {
        final long rounds = log.cleaningRounds();
        for (int i = 0; i < 100_000; i++)
        {
            log.onTimer(now.getAsLong());
            if (log.cleaningRounds() > rounds)
            {
                return;
            }
            cleaner.invoke();
            if (log.lastCleaningFailure() != null)
            {
                throw new AssertionError("cleaning failed", log.lastCleaningFailure());
            }
        }
        throw new AssertionError("no cleaning completed; in flight: " + log.cleaningInFlight());
    }

    /** Drive the timer and the cleaner as {@link #cleanOnce} would, and report whether any cleaning happened. */
    static boolean cleansWithin(final PartitionLog log, final LogCleaner cleaner, final LongSupplier now, final int cycles)
    {
        final long rounds = log.cleaningRounds();
        for (int i = 0; i < cycles; i++)
        {
            log.onTimer(now.getAsLong());
            cleaner.invoke();
        }
        log.onTimer(now.getAsLong());
        return log.cleaningRounds() > rounds || log.cleaningInFlight();
    }
}
