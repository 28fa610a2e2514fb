package io.sluice.cli.groups;

import io.sluice.cli.CliFailure;
import io.sluice.cli.ErrorLine;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * What the group commands read about one group: its description, its committed offsets, and the partitions'
 * offsets to compare them with.
 *
 * @param description the group as its coordinator describes it.
 * @param committed   committed offset of each partition the group has one for (no null values).
 */
record GroupState(ConsumerGroupDescription description, Map<TopicPartition, OffsetAndMetadata> committed)
{
    /**
     * Read {@code group}.
     *
     * @throws CliFailure "unknown group" when the broker knows no such group.
     */
    static GroupState read(final Admin admin, final String group) throws InterruptedException
    {
        try
        {
            final ConsumerGroupDescription description =
                admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
            final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((partition, offset) ->
            {
                if (offset != null)
                {
                    committed.put(partition, offset);
                }
            });
            if (description.groupState() == org.apache.kafka.common.GroupState.DEAD && committed.isEmpty())
            {
                throw new CliFailure("unknown group '" + group + "'");
            }
            return new GroupState(description, committed);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof GroupIdNotFoundException)
            {
                throw new CliFailure("unknown group '" + group + "'");
            }
            throw new CliFailure("cannot read group '" + group + "': " + ErrorLine.of(ex));
        }
    }

    /** True when no member is active, so its offsets may be changed. */
    boolean isInactive()
    {
        return description.members().isEmpty();
    }

    /** The offset {@code spec} names for each of {@code partitions}. */
    static Map<TopicPartition, Long> offsets(
        final Admin admin, final Collection<TopicPartition> partitions, final OffsetSpec spec) throws InterruptedException
    {
        final Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, spec));
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        try
        {
            for (final Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> entry :
                admin.listOffsets(query).all().get().entrySet())
            {
                offsets.put(entry.getKey(), entry.getValue().offset());
            }
        }
        catch (final ExecutionException ex)
        {
            throw new CliFailure("cannot read the offsets of " + partitions + ": " + ErrorLine.of(ex));
        }
        return offsets;
    }
}
