package io.sluice.cli.topics;

import io.sluice.cli.CliFailure;
import io.sluice.cli.ClusterOptions;
import io.sluice.cli.ErrorLine;
import io.sluice.cli.TopicLookup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/** {@code sluice topics alter TOPIC [--partitions N] [--config k=v]... [--delete-config k]...}. */
@Command(name = "alter", mixinStandardHelpOptions = true,
    description = "Add partitions to a topic, or set or remove its configs.")
final class AlterTopic implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "TOPIC", description = "The topic to change.")
    String topic;

    @Option(names = {"--partitions", "-p"}, paramLabel = "N", description = "Grow the topic to N partitions.")
    Integer partitions;

    @Option(names = {"--config", "-c"}, paramLabel = "KEY=VALUE", description = "Set a topic config.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--delete-config", paramLabel = "KEY", description = "Remove a topic config (back to the default).")
    List<String> delete = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException
    {
        if (partitions == null && set.isEmpty() && delete.isEmpty())
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "nothing to change: give --partitions, --config or --delete-config");
        }
        try (Admin admin = cluster.admin())
        {
            TopicLookup.describe(admin, topic);
            if (partitions != null)
            {
                run(() -> admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all().get(),
                    "cannot grow topic '" + topic + "' to " + partitions + " partitions");
                spec.commandLine().getOut().println("topic '" + topic + "' now has " + partitions + " partitions");
            }
            if (!set.isEmpty() || !delete.isEmpty())
            {
                final List<AlterConfigOp> ops = new ArrayList<>();
                set.forEach((key, value) -> ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
                delete.forEach(key -> ops.add(new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE)));
                final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                run(() -> admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(),
                    "cannot change the configs of topic '" + topic + "'");
                set.forEach((key, value) -> spec.commandLine().getOut().println("set " + key + "=" + value + " on '" + topic + "'"));
                delete.forEach(key -> spec.commandLine().getOut().println("removed " + key + " from '" + topic + "'"));
            }
            return 0;
        }
    }

    private interface AdminCall
    {
        void run() throws ExecutionException, InterruptedException;
    }

    private static void run(final AdminCall call, final String what) throws InterruptedException
    {
        try
        {
            call.run();
        }
        catch (final ExecutionException ex)
        {
            throw new CliFailure(what + ": " + ErrorLine.of(ex));
        }
    }
}
