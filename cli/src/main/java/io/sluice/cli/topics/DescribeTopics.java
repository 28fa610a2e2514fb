package io.sluice.cli.topics;

import io.sluice.cli.ClusterOptions;
import io.sluice.cli.TopicLookup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code sluice topics describe [TOPIC...]}: each topic's id, partitions with their leader, replicas, in-sync
 * replicas and offsets, and the configs set on it.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Describe topics (all when none is named): partitions, offsets, configs set on them.")
final class DescribeTopics implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "TOPIC", arity = "0..*", description = "Topics to describe (default: every topic).")
    List<String> topics = new ArrayList<>();

    @Override
    public Integer call() throws Exception
    {
        try (Admin admin = cluster.admin())
        {
            final List<String> names = topics.isEmpty() ? new ArrayList<>(new TreeSet<>(admin.listTopics().names().get())) : topics;
            final List<TopicDescription> descriptions = new ArrayList<>();
            for (final String name : names)
            {
                descriptions.add(TopicLookup.describe(admin, name));
            }
            final Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (final TopicDescription description : descriptions)
            {
                for (final TopicPartitionInfo partition : description.partitions())
                {
                    final TopicPartition key = new TopicPartition(description.name(), partition.partition());
                    earliest.put(key, OffsetSpec.earliest());
                    latest.put(key, OffsetSpec.latest());
                }
            }
            final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all().get();
            final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            final PrintWriter out = spec.commandLine().getOut();
            for (final TopicDescription description : descriptions)
            {
                final Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, description.name())))
                    .all().get().values().iterator().next();
                print(out, description, config, starts, ends);
            }
            return 0;
        }
    }

    private static void print(
        final PrintWriter out,
        final TopicDescription description,
        final Config config,
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts,
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends)
    {
        final List<TopicPartitionInfo> partitions = description.partitions();
        out.printf("Topic: %s  id: %s  partitions: %d  replication factor: %d%n", description.name(), description.topicId(),
            partitions.size(), partitions.isEmpty() ? 0 : partitions.get(0).replicas().size());
        final String set = config.entries().stream()
            .filter(entry -> entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
            .map(entry -> entry.name() + "=" + entry.value())
            .sorted()
            .collect(Collectors.joining(","));
        out.println("  configs: " + (set.isEmpty() ? "(defaults)" : set));
        out.printf("  %-9s %-6s %-9s %-9s %12s %12s%n", "partition", "leader", "replicas", "isr", "start", "end");
        for (final TopicPartitionInfo partition : partitions)
        {
            final TopicPartition key = new TopicPartition(description.name(), partition.partition());
            out.printf("  %-9d %-6s %-9s %-9s %12d %12d%n", partition.partition(),
                partition.leader() == null ? "none" : partition.leader().idString(), ids(partition.replicas()), ids(partition.isr()),
                starts.get(key).offset(), ends.get(key).offset());
        }
    }

    private static String ids(final List<Node> nodes)
    {
        return nodes.stream().map(Node::idString).collect(Collectors.joining(","));
    }
}
