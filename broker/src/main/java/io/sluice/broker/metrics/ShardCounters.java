package io.sluice.broker.metrics;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * One shard's counters: what it appended, what its fetches sent, its group-commit forces, and how full its
 * request ring was. Each shard has its own set, so every update is a single-writer release store (no locked
 * instruction, no allocation) and readers in any thread or process see whole values.
 *
 * <p>Writer: the owning shard thread only (or the thread building the broker before the shard starts).
 */
public final class ShardCounters
{
    /**
     * Upper bounds of the force-duration buckets, in nanoseconds, from 50 µs to 1 s; a last bucket (+Inf)
     * takes the rest. Buckets are cumulative, as Prometheus histograms are.
     */
    static final long[] FSYNC_BUCKET_BOUNDS_NS = {
        50_000L, 100_000L, 250_000L, 500_000L, 1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L,
        50_000_000L, 100_000_000L, 250_000_000L, 1_000_000_000L };

    private final AtomicCounter appends;
    private final AtomicCounter batchesIn;
    private final AtomicCounter recordsIn;
    private final AtomicCounter bytesIn;
    private final AtomicCounter fetches;
    private final AtomicCounter bytesOut;
    private final AtomicCounter recordsOut;
    private final AtomicCounter[] fsyncBuckets;
    private final AtomicCounter fsyncSumNs;
    private final AtomicCounter fsyncCount;
    private final AtomicCounter fsyncMaxNs;
    private final AtomicCounter ringOccupancy;
    private long lastRingOccupancy;

    ShardCounters(final BrokerCounters counters, final int shard, final int ringCapacity)
    {
        final String labels = "shard=\"" + shard + "\"";
        appends = counters.allocate(CounterType.APPENDS, labels);
        batchesIn = counters.allocate(CounterType.BATCHES_IN, labels);
        recordsIn = counters.allocate(CounterType.RECORDS_IN, labels);
        bytesIn = counters.allocate(CounterType.BYTES_IN, labels);
        fetches = counters.allocate(CounterType.FETCHES, labels);
        bytesOut = counters.allocate(CounterType.BYTES_OUT, labels);
        recordsOut = counters.allocate(CounterType.RECORDS_OUT, labels);
        fsyncBuckets = new AtomicCounter[FSYNC_BUCKET_BOUNDS_NS.length + 1];
        for (int i = 0; i < fsyncBuckets.length; i++)
        {
            final String le = i < FSYNC_BUCKET_BOUNDS_NS.length ?
                PrometheusEncoder.formatDouble(FSYNC_BUCKET_BOUNDS_NS[i] * 1e-9) : "+Inf";
            fsyncBuckets[i] = counters.allocate(CounterType.FSYNC_BUCKET, labels + ",le=\"" + le + "\"");
        }
        fsyncSumNs = counters.allocate(CounterType.FSYNC_SUM, labels);
        fsyncCount = counters.allocate(CounterType.FSYNC_COUNT, labels);
        fsyncMaxNs = counters.allocate(CounterType.FSYNC_MAX, labels);
        ringOccupancy = counters.allocate(CounterType.RING_OCCUPANCY, labels);
        counters.allocate(CounterType.RING_CAPACITY, labels).setRelease(ringCapacity);
    }

    /** A partition append stored {@code batches} batches of {@code records} records, {@code bytes} long. */
    public void onAppend(final int batches, final int records, final int bytes)
    {
        appends.incrementRelease();
        batchesIn.getAndAddRelease(batches);
        recordsIn.getAndAddRelease(records);
        bytesIn.getAndAddRelease(bytes);
    }

    /** A fetch response completed on this shard, carrying {@code bytes} of record batches and {@code records}. */
    public void onFetchCompleted(final long bytes, final long records)
    {
        fetches.incrementRelease();
        bytesOut.getAndAddRelease(bytes);
        recordsOut.getAndAddRelease(records);
    }

    /** A group-commit force of one partition log took {@code nanos}. */
    public void onForce(final long nanos)
    {
        final long[] bounds = FSYNC_BUCKET_BOUNDS_NS;
        int bucket = 0;
        while (bucket < bounds.length && nanos > bounds[bucket])
        {
            bucket++;
        }
        for (int i = bucket; i < fsyncBuckets.length; i++)
        {
            fsyncBuckets[i].incrementRelease();
        }
        fsyncSumNs.getAndAddRelease(nanos);
        fsyncCount.incrementRelease();
        fsyncMaxNs.proposeMaxRelease(nanos);
    }

    /** Events waiting in the shard's ring when it last polled. Stored only on change: an idle shard writes nothing. */
    public void ringOccupancy(final long events)
    {
        if (events != lastRingOccupancy)
        {
            lastRingOccupancy = events;
            ringOccupancy.setRelease(events);
        }
    }
}
