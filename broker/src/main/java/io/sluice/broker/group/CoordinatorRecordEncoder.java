package io.sluice.broker.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes the records the coordinator keeps in {@code __consumer_offsets}. The format is Sluice's own (Kafka's
 * coordinator record schemas are not part of kafka-clients) and is read only by {@link CoordinatorRecordDecoder};
 * every key and value starts with a version so that it can evolve. Big-endian, like the rest of Kafka's wire.
 *
 * <pre>
 * string          := int16 length (-1: null), UTF-8 bytes
 * bytes           := int32 length, bytes
 *
 * offset key      := int16 1, string group, string topic, int32 partition
 * offset value    := int16 1, int64 offset, int32 leader epoch (-1: none), string metadata,
 *                    int64 commit timestamp, int64 expire timestamp (-1: none)
 * group key       := int16 2, string group
 * group value     := int16 1, string protocol type, int32 generation, string protocol, string leader,
 *                    int64 state timestamp, int32 member count, member*
 * member          := string member id, string group instance id, string client id, string client host,
 *                    int32 rebalance timeout, int32 session timeout, bytes subscription, bytes assignment
 * </pre>
 *
 * A null value is a tombstone: the offset, or the group's metadata, is deleted. Keys use the numbers Kafka uses
 * for the same kinds of record (1 offset commit, 2 group metadata).
 *
 * <p>Stateless and thread-safe.
 */
final class CoordinatorRecordEncoder
{
    static final short OFFSET_KEY = 1;
    static final short GROUP_KEY = 2;
    static final short OFFSET_VALUE_VERSION = 1;
    static final short GROUP_VALUE_VERSION = 1;

    private CoordinatorRecordEncoder()
    {
    }

    static CoordinatorRecord offsetCommit(
        final String groupId, final String topic, final int partition, final OffsetAndMetadata offset)
    {
        final byte[] metadata = utf8(offset.metadata());
        final ByteBuffer value = ByteBuffer.allocate(2 + 8 + 4 + size(metadata) + 8 + 8)
            .putShort(OFFSET_VALUE_VERSION)
            .putLong(offset.offset())
            .putInt(offset.leaderEpoch());
        putString(value, metadata);
        value.putLong(offset.commitTimestampMs()).putLong(offset.expireTimestampMs());
        return new CoordinatorRecord(offsetKey(groupId, topic, partition), value.array());
    }

    static CoordinatorRecord offsetTombstone(final String groupId, final String topic, final int partition)
    {
        return new CoordinatorRecord(offsetKey(groupId, topic, partition), null);
    }

    /** The group as it is now, with {@code assignment} (member id to bytes) as its members' assignments. */
    static CoordinatorRecord groupMetadata(final ClassicGroup group, final Map<String, byte[]> assignment)
    {
        final String protocol = group.protocolName();
        final byte[] protocolType = utf8(group.protocolType());
        final byte[] protocolName = utf8(protocol);
        final byte[] leader = utf8(group.leaderId());
        int size = 2 + size(protocolType) + 4 + size(protocolName) + size(leader) + 8 + 4;
        for (final GroupMember member : group.members())
        {
            size += size(utf8(member.memberId())) + size(utf8(member.groupInstanceId())) + size(utf8(member.clientId())) +
                size(utf8(member.clientHost())) + 4 + 4 + 4 + member.metadata(protocol).length + 4 +
                assignment.getOrDefault(member.memberId(), GroupMember.EMPTY_BYTES).length;
        }
        final ByteBuffer value = ByteBuffer.allocate(size).putShort(GROUP_VALUE_VERSION);
        putString(value, protocolType);
        value.putInt(group.generationId());
        putString(value, protocolName);
        putString(value, leader);
        value.putLong(group.stateTimestampMs()).putInt(group.memberCount());
        for (final GroupMember member : group.members())
        {
            putString(value, utf8(member.memberId()));
            putString(value, utf8(member.groupInstanceId()));
            putString(value, utf8(member.clientId()));
            putString(value, utf8(member.clientHost()));
            value.putInt(member.rebalanceTimeoutMs()).putInt(member.sessionTimeoutMs());
            putBytes(value, member.metadata(protocol));
            putBytes(value, assignment.getOrDefault(member.memberId(), GroupMember.EMPTY_BYTES));
        }
        return new CoordinatorRecord(groupKey(group.groupId()), value.array());
    }

    static CoordinatorRecord groupTombstone(final String groupId)
    {
        return new CoordinatorRecord(groupKey(groupId), null);
    }

    private static byte[] offsetKey(final String groupId, final String topic, final int partition)
    {
        final byte[] group = utf8(groupId);
        final byte[] topicBytes = utf8(topic);
        final ByteBuffer key = ByteBuffer.allocate(2 + size(group) + size(topicBytes) + 4).putShort(OFFSET_KEY);
        putString(key, group);
        putString(key, topicBytes);
        return key.putInt(partition).array();
    }

    private static byte[] groupKey(final String groupId)
    {
        final byte[] group = utf8(groupId);
        final ByteBuffer key = ByteBuffer.allocate(2 + size(group)).putShort(GROUP_KEY);
        putString(key, group);
        return key.array();
    }

    private static byte[] utf8(final String text)
    {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static int size(final byte[] string)
    {
        return 2 + (string == null ? 0 : string.length);
    }

    private static void putString(final ByteBuffer buffer, final byte[] string)
    {
        if (string == null)
        {
            buffer.putShort((short)-1);
            return;
        }
        if (string.length > Short.MAX_VALUE)
        {
            throw new IllegalArgumentException("string of " + string.length + " bytes is too long for a coordinator record");
        }
        buffer.putShort((short)string.length).put(string);
    }

    private static void putBytes(final ByteBuffer buffer, final byte[] bytes)
    {
        buffer.putInt(bytes.length).put(bytes);
    }
}
