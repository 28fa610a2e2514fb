package io.sluice.broker.metrics;

/**
 * What each counter in the counters file measures: its Agrona type id, the Prometheus family it belongs to,
 * the sample name it is written as, and how its raw value converts to the family's unit.
 *
 * <p>A counter's label in the file is its Prometheus series, {@code sample_name{label="value",...}}, so a reader
 * in another process needs only this table (by type id) to know what it reads. Type ids are part of the file
 * format: never reuse one for a different meaning.
 */
public enum CounterType
{
    APPENDS(1, "sluice_appends_total", "", Kind.COUNTER, 1,
        "Partition appends that stored data (one per partition of a produce request)"),
    BATCHES_IN(2, "sluice_batches_in_total", "", Kind.COUNTER, 1, "Record batches appended"),
    RECORDS_IN(3, "sluice_records_in_total", "", Kind.COUNTER, 1, "Records appended"),
    BYTES_IN(4, "sluice_bytes_in_total", "", Kind.COUNTER, 1, "Record batch bytes appended"),
    FETCHES(5, "sluice_fetch_responses_total", "", Kind.COUNTER, 1,
        "Fetch responses completed, by the shard that completed them"),
    BYTES_OUT(6, "sluice_bytes_out_total", "", Kind.COUNTER, 1, "Record batch bytes sent in fetch responses"),
    RECORDS_OUT(7, "sluice_records_out_total", "", Kind.COUNTER, 1,
        "Records sent in fetch responses (offsets delivered: records removed by compaction count too)"),
    FSYNC_BUCKET(10, "sluice_fsync_seconds", "_bucket", Kind.HISTOGRAM, 1,
        "Group-commit forces of a partition log, by duration"),
    FSYNC_SUM(11, "sluice_fsync_seconds", "_sum", Kind.HISTOGRAM, 1e-9, ""),
    FSYNC_COUNT(12, "sluice_fsync_seconds", "_count", Kind.HISTOGRAM, 1, ""),
    FSYNC_MAX(13, "sluice_fsync_max_seconds", "", Kind.GAUGE, 1e-9, "Longest group-commit force since start"),
    RING_OCCUPANCY(20, "sluice_ring_occupancy", "", Kind.GAUGE, 1,
        "Events waiting in a shard's request ring at its last poll"),
    RING_CAPACITY(21, "sluice_ring_capacity", "", Kind.GAUGE, 1, "Slots in a shard's request ring"),
    REQUESTS(30, "sluice_requests_total", "", Kind.COUNTER, 1,
        "Kafka requests received, by API and network thread"),
    ERRORS(31, "sluice_errors_total", "", Kind.COUNTER, 1,
        "Error codes answered to Kafka clients, per partition or per request as the API reports them"),
    CONNECTIONS(40, "sluice_connections", "", Kind.GAUGE, 1, "Open client connections"),
    CONNECTIONS_ACCEPTED(41, "sluice_connections_accepted_total", "", Kind.COUNTER, 1,
        "Client connections accepted"),
    PARTITION_END_OFFSET(50, "sluice_partition_end_offset", "", Kind.GAUGE, 1,
        "Log end offset of each partition (the next offset to be written)"),
    CONSUMER_COMMITTED_OFFSET(51, "sluice_consumer_committed_offset", "", Kind.GAUGE, 1,
        "Offset each consumer group has committed for each partition"),
    /** Not stored: the Prometheus endpoint derives it from end offsets and committed offsets. */
    CONSUMER_LAG(52, "sluice_consumer_lag", "", Kind.GAUGE, 1,
        "Records between a partition's end offset and the offset a consumer group has committed for it");

    /** Prometheus metric types. */
    public enum Kind
    {
        COUNTER("counter"),
        GAUGE("gauge"),
        HISTOGRAM("histogram");

        private final String text;

        Kind(final String text)
        {
            this.text = text;
        }

        /** As written after {@code # TYPE family}. */
        public String text()
        {
            return text;
        }
    }

    private static final CounterType[] BY_ID = new CounterType[64];

    static
    {
        for (final CounterType type : values())
        {
            BY_ID[type.id] = type;
        }
    }

    private final int id;
    private final String family;
    private final String suffix;
    private final Kind kind;
    private final double scale;
    private final String help;

    CounterType(final int id, final String family, final String suffix, final Kind kind, final double scale, final String help)
    {
        this.id = id;
        this.family = family;
        this.suffix = suffix;
        this.kind = kind;
        this.scale = scale;
        this.help = help;
    }

    /** The type with Agrona type id {@code id}, or null for one this build does not know. */
    public static CounterType of(final int id)
    {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** The Agrona counter type id. */
    public int id()
    {
        return id;
    }

    /** The Prometheus metric family: {@code # HELP} and {@code # TYPE} name it. */
    public String family()
    {
        return family;
    }

    /** The name each sample of this type is written under: the family plus {@code _bucket}, {@code _sum} … */
    public String sampleName()
    {
        return family + suffix;
    }

    public Kind kind()
    {
        return kind;
    }

    /** Multiply the raw value by this to get the family's unit (nanoseconds to seconds: 1e-9). */
    public double scale()
    {
        return scale;
    }

    /** The family's help text (on the family's first type; empty on the others). */
    public String help()
    {
        return help;
    }
}
