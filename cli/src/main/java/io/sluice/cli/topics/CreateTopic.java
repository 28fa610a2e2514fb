package io.sluice.cli.topics;

import io.sluice.cli.CliFailure;
import io.sluice.cli.ClusterOptions;
import io.sluice.cli.ErrorLine;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/** {@code sluice topics create TOPIC [--partitions N] [--replication-factor N] [--config k=v]...}. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
final class CreateTopic implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "TOPIC", description = "Name of the topic.")
    String topic;

    @Option(names = {"--partitions", "-p"}, paramLabel = "N",
        description = "Number of partitions (default: the broker's num.partitions).")
    Integer partitions;

    @Option(names = {"--replication-factor", "-r"}, paramLabel = "N",
        description = "Replicas of each partition (default: the broker's default.replication.factor).")
    Short replicationFactor;

    @Option(names = {"--config", "-c"}, paramLabel = "KEY=VALUE", description = "A topic config, e.g. retention.ms=60000.")
    Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--if-not-exists", description = "Succeed when the topic exists already.")
    boolean ifNotExists;

    @Override
    public Integer call() throws InterruptedException
    {
        try (Admin admin = cluster.admin())
        {
            final NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                .configs(configs);
            try
            {
                admin.createTopics(List.of(newTopic)).all().get();
            }
            catch (final ExecutionException ex)
            {
                if (ex.getCause() instanceof TopicExistsException)
                {
                    if (ifNotExists)
                    {
                        spec.commandLine().getOut().println("topic '" + topic + "' exists already");
                        return 0;
                    }
                    throw new CliFailure("topic '" + topic + "' exists already");
                }
                throw new CliFailure("cannot create topic '" + topic + "': " + ErrorLine.of(ex));
            }
            final int created = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            spec.commandLine().getOut().println("created topic '" + topic + "' with " + created + " partition" +
                (created == 1 ? "" : "s"));
            return 0;
        }
        catch (final ExecutionException ex)
        {
            throw new CliFailure(ErrorLine.of(ex));
        }
    }
}
