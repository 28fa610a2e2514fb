package io.sluice.cli.groups;

import io.sluice.cli.CliFailure;
import io.sluice.cli.ClusterOptions;
import io.sluice.cli.ErrorLine;
import io.sluice.cli.TimeArgument;
import io.sluice.cli.TopicLookup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * {@code sluice groups reset-offsets GROUP --topic T (--to-earliest | --to-latest | --to-offset N | --to-datetime T |
 * --shift-by N) [--execute]}: shows the new committed offsets, and commits them with {@code --execute}. Like
 * Kafka's tool, it only changes a group without active members, and a new offset is kept within the partition's
 * earliest and latest offsets.
 */
@Command(name = "reset-offsets", mixinStandardHelpOptions = true,
    description = "Move a group's committed offsets (shows the plan; --execute applies it). The group must have no active member.")
final class ResetOffsets implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "GROUP", description = "The group.")
    String group;

    @Option(names = {"--topic", "-t"}, paramLabel = "TOPIC[:P,P...]", required = true,
        description = "A topic to reset, all its partitions or the ones listed (repeatable).")
    List<String> topics;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Where to move each offset: exactly one. */
    static final class Target
    {
        @Option(names = "--to-earliest", description = "To each partition's earliest offset.")
        boolean earliest;

        @Option(names = "--to-latest", description = "To each partition's end (skip everything there is).")
        boolean latest;

        @Option(names = "--to-offset", paramLabel = "N", description = "To offset N.")
        Long offset;

        @Option(names = "--to-datetime", paramLabel = "TIME",
            description = "To the first record at or after TIME (epoch ms, ISO instant, or local ISO date-time).")
        String datetime;

        @Option(names = "--shift-by", paramLabel = "N", description = "By N from the committed offset (negative: back).")
        Long shift;
    }

    @Option(names = "--execute", description = "Commit the new offsets (without it, only show them).")
    boolean execute;

    @Override
    public Integer call() throws Exception
    {
        try (Admin admin = cluster.admin())
        {
            final List<TopicPartition> partitions = partitions(admin);
            final GroupState state = readOrEmpty(admin);
            if (execute && state != null && !state.isInactive())
            {
                throw new CliFailure("group '" + group + "' has " + state.description().members().size() +
                    " active member(s); stop them before resetting its offsets");
            }
            final Map<TopicPartition, Long> earliest = GroupState.offsets(admin, partitions, OffsetSpec.earliest());
            final Map<TopicPartition, Long> latest = GroupState.offsets(admin, partitions, OffsetSpec.latest());
            final Map<TopicPartition, Long> wanted = wanted(admin, partitions, state, earliest, latest);

            final Map<TopicPartition, OffsetAndMetadata> plan = new TreeMap<>(
                Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
            wanted.forEach((partition, offset) -> plan.put(partition,
                new OffsetAndMetadata(Math.max(earliest.get(partition), Math.min(latest.get(partition), offset)))));

            final PrintWriter out = spec.commandLine().getOut();
            out.printf("%-24s %9s %12s %12s%n", "topic", "partition", "current", "new");
            for (final Map.Entry<TopicPartition, OffsetAndMetadata> entry : plan.entrySet())
            {
                final OffsetAndMetadata current = state == null ? null : state.committed().get(entry.getKey());
                out.printf("%-24s %9d %12s %12d%n", entry.getKey().topic(), entry.getKey().partition(),
                    current == null ? "-" : Long.toString(current.offset()), entry.getValue().offset());
            }
            if (!execute)
            {
                out.println("dry run: nothing changed (add --execute to commit these offsets)");
                return 0;
            }
            try
            {
                admin.alterConsumerGroupOffsets(group, plan).all().get();
            }
            catch (final ExecutionException ex)
            {
                throw new CliFailure("cannot reset the offsets of group '" + group + "': " + ErrorLine.of(ex));
            }
            out.println("committed new offsets for " + plan.size() + " partition" + (plan.size() == 1 ? "" : "s") +
                " of group '" + group + "'");
            return 0;
        }
    }

    /** A group that has never committed is still a valid target: resetting creates its offsets. */
    private GroupState readOrEmpty(final Admin admin) throws InterruptedException
    {
        try
        {
            return GroupState.read(admin, group);
        }
        catch (final CliFailure unknown)
        {
            return null;
        }
    }

    private List<TopicPartition> partitions(final Admin admin) throws InterruptedException
    {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String spec : topics)
        {
            final int colon = spec.indexOf(':');
            final String topic = colon < 0 ? spec : spec.substring(0, colon);
            final List<TopicPartitionInfo> infos = TopicLookup.describe(admin, topic).partitions();
            if (colon < 0)
            {
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                continue;
            }
            for (final String part : spec.substring(colon + 1).split(","))
            {
                final int partition;
                try
                {
                    partition = Integer.parseInt(part.trim());
                }
                catch (final NumberFormatException ex)
                {
                    throw new CliFailure("bad partition '" + part + "' in --topic " + spec);
                }
                if (partition < 0 || partition >= infos.size())
                {
                    throw new CliFailure("topic '" + topic + "' has no partition " + partition);
                }
                partitions.add(new TopicPartition(topic, partition));
            }
        }
        return partitions;
    }

    private Map<TopicPartition, Long> wanted(
        final Admin admin,
        final List<TopicPartition> partitions,
        final GroupState state,
        final Map<TopicPartition, Long> earliest,
        final Map<TopicPartition, Long> latest) throws InterruptedException
    {
        if (target.earliest)
        {
            return earliest;
        }
        if (target.latest)
        {
            return latest;
        }
        final Map<TopicPartition, Long> wanted = new HashMap<>();
        if (target.offset != null)
        {
            partitions.forEach(partition -> wanted.put(partition, target.offset));
        }
        else if (target.datetime != null)
        {
            final Map<TopicPartition, Long> found =
                GroupState.offsets(admin, partitions, OffsetSpec.forTimestamp(TimeArgument.parseMillis(target.datetime)));
            // No record at or after the time: the end, as Kafka's tool does.
            partitions.forEach(partition -> wanted.put(partition,
                found.getOrDefault(partition, -1L) < 0 ? latest.get(partition) : found.get(partition)));
        }
        else
        {
            for (final TopicPartition partition : partitions)
            {
                final OffsetAndMetadata current = state == null ? null : state.committed().get(partition);
                if (current == null)
                {
                    throw new CliFailure("group '" + group + "' has no committed offset for " + partition + " to shift");
                }
                wanted.put(partition, current.offset() + target.shift);
            }
        }
        return wanted;
    }
}
