package io.sluice.cli.groups;

import io.sluice.cli.ClusterOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code sluice groups describe GROUP...}: state and members, then one line per partition with the committed
 * offset, the log end offset, the lag between them and the member it is assigned to.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Describe consumer groups: state, members, and per partition committed offset, end offset and lag.")
final class DescribeGroups implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "GROUP", arity = "1..*", description = "Groups to describe.")
    List<String> groups;

    @Override
    public Integer call() throws Exception
    {
        try (Admin admin = cluster.admin())
        {
            final PrintWriter out = spec.commandLine().getOut();
            for (final String group : groups)
            {
                print(out, admin, GroupState.read(admin, group));
            }
            return 0;
        }
    }

    private static void print(final PrintWriter out, final Admin admin, final GroupState state) throws InterruptedException
    {
        final ConsumerGroupDescription description = state.description();
        out.printf("Group: %s  state: %s  members: %d  assignor: %s  coordinator: %s%n", description.groupId(),
            description.groupState(), description.members().size(),
            description.partitionAssignor() == null || description.partitionAssignor().isEmpty() ? "-" : description.partitionAssignor(),
            description.coordinator() == null ? "-" : description.coordinator().idString());

        final Map<TopicPartition, MemberDescription> owners = new HashMap<>();
        for (final MemberDescription member : description.members())
        {
            member.assignment().topicPartitions().forEach(partition -> owners.put(partition, member));
        }
        final TreeSet<TopicPartition> partitions = new TreeSet<>(
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        partitions.addAll(state.committed().keySet());
        partitions.addAll(owners.keySet());
        final Map<TopicPartition, Long> ends = GroupState.offsets(admin, partitions, OffsetSpec.latest());
        out.printf("  %-24s %9s %12s %12s %10s  %s%n", "topic", "partition", "committed", "end", "lag", "member");
        long totalLag = 0;
        for (final TopicPartition partition : partitions)
        {
            final OffsetAndMetadata committed = state.committed().get(partition);
            final Long end = ends.get(partition);
            final String lag;
            if (committed != null && end != null)
            {
                final long value = Math.max(0, end - committed.offset());
                totalLag += value;
                lag = Long.toString(value);
            }
            else
            {
                lag = "-";
            }
            final MemberDescription owner = owners.get(partition);
            out.printf("  %-24s %9d %12s %12s %10s  %s%n", partition.topic(), partition.partition(),
                committed == null ? "-" : Long.toString(committed.offset()), end == null ? "-" : Long.toString(end), lag,
                owner == null ? "-" : owner.consumerId() + " " + owner.clientId() + " " + owner.host());
        }
        out.printf("  total lag: %d%n", totalLag);
    }
}
