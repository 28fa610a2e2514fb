package io.sluice.broker.group;

/**
 * One record for {@code __consumer_offsets}, encoded: the key names what it is about (an offset, a group), the
 * value is its latest state, or null for a tombstone that compaction keeps only for a while.
 */
record CoordinatorRecord(byte[] key, byte[] value)
{
    int sizeInBytes()
    {
        return key.length + (value == null ? 0 : value.length);
    }
}
