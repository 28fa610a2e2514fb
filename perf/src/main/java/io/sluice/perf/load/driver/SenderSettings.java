package io.sluice.perf.load.driver;

import java.util.Map;

/**
 * How a sender batches and acknowledges, in Kafka producer terms.
 *
 * @param acks        "0", "1" or "all"
 * @param compression "none", "gzip", "snappy", "lz4" or "zstd"
 * @param batchBytes  the most bytes one batch to one partition may hold
 * @param lingerMs    how long a batch may wait for more records before it is sent
 * @param invoked     the sender starts no I/O thread: the caller runs its I/O with {@link RecordSender#invoke()}
 *                    (native only)
 * @param extra       further driver properties, applied last (for Kafka: producer configs)
 */
public record SenderSettings(
    String acks, String compression, int batchBytes, int lingerMs, boolean invoked, Map<String, String> extra)
{
    public SenderSettings
    {
        extra = Map.copyOf(extra);
    }
}
