package io.sluice.broker.group;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the records {@link CoordinatorRecordEncoder} writes (the format is documented there) and hands each to
 * a {@link Listener}, in log order, as the loader replays {@code __consumer_offsets}.
 *
 * <p>Stateless and thread-safe.
 */
final class CoordinatorRecordDecoder
{
    /** What a replayed record says. */
    interface Listener
    {
        /** An offset was committed ({@code offset} set) or deleted ({@code offset} null). */
        void onOffset(String groupId, String topic, int partition, OffsetAndMetadata offset);

        /** A group's metadata was stored ({@code group} set) or the group deleted ({@code group} null). */
        void onGroup(String groupId, StoredGroup group);
    }

    private CoordinatorRecordDecoder()
    {
    }

    /**
     * Decode one record.
     *
     * @param value null for a tombstone.
     * @return null when done, else why the record was skipped (a version this build does not know, a corrupt record).
     */
    static String decode(final ByteBuffer key, final ByteBuffer value, final Listener listener)
    {
        try
        {
            final short keyType = key.getShort();
            switch (keyType)
            {
                case CoordinatorRecordEncoder.OFFSET_KEY:
                {
                    final String groupId = getString(key);
                    final String topic = getString(key);
                    final int partition = key.getInt();
                    if (value == null)
                    {
                        listener.onOffset(groupId, topic, partition, null);
                        return null;
                    }
                    final short version = value.getShort();
                    if (version != CoordinatorRecordEncoder.OFFSET_VALUE_VERSION)
                    {
                        return "offset value version " + version + " of group " + groupId;
                    }
                    final long offset = value.getLong();
                    final int leaderEpoch = value.getInt();
                    final String metadata = getString(value);
                    final long commitTimestamp = value.getLong();
                    final long expireTimestamp = value.getLong();
                    listener.onOffset(groupId, topic, partition, new OffsetAndMetadata(
                        offset, leaderEpoch, metadata == null ? "" : metadata, commitTimestamp, expireTimestamp));
                    return null;
                }
                case CoordinatorRecordEncoder.GROUP_KEY:
                {
                    final String groupId = getString(key);
                    if (value == null)
                    {
                        listener.onGroup(groupId, null);
                        return null;
                    }
                    final short version = value.getShort();
                    if (version != CoordinatorRecordEncoder.GROUP_VALUE_VERSION)
                    {
                        return "group value version " + version + " of group " + groupId;
                    }
                    listener.onGroup(groupId, group(value));
                    return null;
                }
                default:
                    return "record key type " + keyType;
            }
        }
        catch (final BufferUnderflowException | IllegalArgumentException ex)
        {
            return "corrupt record: " + ex;
        }
    }

    private static StoredGroup group(final ByteBuffer value)
    {
        final String protocolType = getString(value);
        final int generation = value.getInt();
        final String protocolName = getString(value);
        final String leader = getString(value);
        final long stateTimestamp = value.getLong();
        final int count = value.getInt();
        if (count < 0 || count > value.remaining())
        {
            throw new IllegalArgumentException("member count " + count);
        }
        final List<StoredGroup.Member> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            members.add(new StoredGroup.Member(
                getString(value), getString(value), getString(value), getString(value), value.getInt(), value.getInt(),
                getBytes(value), getBytes(value)));
        }
        return new StoredGroup(protocolType, generation, protocolName, leader, stateTimestamp, members);
    }

    private static String getString(final ByteBuffer buffer)
    {
        final short length = buffer.getShort();
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] getBytes(final ByteBuffer buffer)
    {
        final int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining())
        {
            throw new IllegalArgumentException("byte array of " + length + " bytes");
        }
        final byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }
}
