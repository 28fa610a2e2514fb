package io.sluice.client;

import java.nio.charset.StandardCharsets;

/**
 * A consumer group's committed position in a partition, as Kafka's consumers keep it: the offset of the next
 * record to read, and a string stored with it (the broker bounds it by {@code offset.metadata.max.bytes}).
 */
public record OffsetAndMetadata(long offset, String metadata)
{
    /** What the protocol's string field carries at most. */
    static final int MAX_METADATA_BYTES = 65534;

    /**
     * @param metadata null is stored as "".
     * @throws IllegalArgumentException for a negative offset or metadata the protocol cannot carry.
     */
    public OffsetAndMetadata
    {
        if (offset < 0)
        {
            throw new IllegalArgumentException("invalid offset: " + offset);
        }
        metadata = metadata == null ? "" : metadata;
        if (metadata.length() * 3L > MAX_METADATA_BYTES &&
            metadata.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES)
        {
            throw new IllegalArgumentException("metadata longer than " + MAX_METADATA_BYTES + " UTF-8 bytes");
        }
    }

    /** An offset with no metadata. */
    public OffsetAndMetadata(final long offset)
    {
        this(offset, "");
    }
}
