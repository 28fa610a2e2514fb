package io.sluice.perf.load;

import java.nio.ByteOrder;
import java.util.Random;

import io.sluice.perf.load.driver.RecordSender;
import io.sluice.perf.load.driver.SendCompletion;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The sending side of produce and e2e runs: asks the {@link RatePacer} when each record is due, writes that due
 * time into the first 8 bytes of the value (big-endian; e2e receivers read it back) and hands the record to the
 * sender, which reports back to the completion with the same due time. Stops at the end of the measured duration or
 * after the measured record count; then flushes, so every record sent is acknowledged or failed on return. A run on
 * a schedule it cannot keep up with gets as long again as its window to catch up, then stops by the clock: records
 * due inside the window but not yet sent are counted as {@link #unsent()} (the rate was not sustained) rather than
 * stretching the run without end.
 * <p>
 * One thread calls {@link #run()}; {@link #sent()} may be read by any.
 */
public final class ProduceLoop
{
    private static final long PAYLOAD_SEED = 0x5EED_5EEDL;

    private final RecordSender sender;
    private final RatePacer pacer;
    private final NanoClock clock;
    private final SendCompletion completion;
    private final long measureStartNanos;
    private final long endNanos;
    private final long stopNanos;
    private final long measuredRecords;
    private final long keyCardinality;
    private final byte[] key;
    private final byte[] value;
    private final UnsafeBuffer keyView;
    private final UnsafeBuffer valueView;
    private volatile long sent;
    private long unsent;

    /**
     * @param sender            where records go
     * @param pacer             the schedule
     * @param clock             the clock the schedule is kept on
     * @param completion        told of each acknowledgement or failure
     * @param measureStartNanos records due from here on are measured (earlier: warm-up)
     * @param endNanos          no record due at or after this is sent (duration mode); Long.MAX_VALUE for none.
     *                          On a fixed rate, sending stops by the clock at endNanos + (endNanos - measureStartNanos)
     * @param measuredRecords   stop after this many measured records (count mode); 0 for none
     * @param recordSize        value bytes
     * @param keyCardinality    distinct keys (0: no key)
     */
    public ProduceLoop(
        final RecordSender sender,
        final RatePacer pacer,
        final NanoClock clock,
        final SendCompletion completion,
        final long measureStartNanos,
        final long endNanos,
        final long measuredRecords,
        final int recordSize,
        final long keyCardinality)
    {
        this.sender = sender;
        this.pacer = pacer;
        this.clock = clock;
        this.completion = completion;
        this.measureStartNanos = measureStartNanos;
        this.endNanos = endNanos;
        this.stopNanos = endNanos == Long.MAX_VALUE ? Long.MAX_VALUE : endNanos + (endNanos - measureStartNanos);
        this.measuredRecords = measuredRecords;
        this.keyCardinality = keyCardinality;
        this.key = keyCardinality > 0 ? new byte[Long.BYTES] : null;
        this.keyView = key == null ? null : new UnsafeBuffer(key);
        this.value = new byte[recordSize];
        this.valueView = new UnsafeBuffer(value);
        // upper-case letters, like Kafka's own producer perf tool, so compression has something to work with
        final Random random = new Random(PAYLOAD_SEED);
        for (int i = 0; i < value.length; i++)
        {
            value[i] = (byte)('A' + random.nextInt(26));
        }
    }

    /** Send until the duration or record count is reached, then flush. @return records sent in the measured part. */
    public long run()
    {
        long measured = 0;
        for (long i = 0; ; i++)
        {
            final long due = pacer.awaitSlot(i);
            if (measuredRecords > 0 ? measured >= measuredRecords : due >= endNanos)
            {
                break;
            }
            if (measuredRecords == 0 && !pacer.unbounded() && clock.nanoTime() >= stopNanos)
            {
                unsent = countDueInWindow(i);
                break;
            }
            if (due >= measureStartNanos)
            {
                measured++;
            }
            if (keyView != null)
            {
                keyView.putLong(0, i % keyCardinality, ByteOrder.BIG_ENDIAN);
            }
            if (value.length >= Long.BYTES)
            {
                valueView.putLong(0, due, ByteOrder.BIG_ENDIAN);
            }
            sender.send(key, value, due, completion);
            sent = i + 1;
        }
        sender.flush();
        return measured;
    }

    private long countDueInWindow(final long from)
    {
        long count = 0;
        for (long i = from; pacer.dueTime(i) < endNanos; i++)
        {
            if (pacer.dueTime(i) >= measureStartNanos)
            {
                count++;
            }
        }
        return count;
    }

    /** Measured records that were due inside the window but never sent because the window was over (0 = none). */
    public long unsent()
    {
        return unsent;
    }

    /** Records handed to the sender so far, warm-up included. */
    public long sent()
    {
        return sent;
    }
}
