package io.sluice.cli.topics;

import io.sluice.cli.CliFailure;
import io.sluice.cli.ClusterOptions;
import io.sluice.cli.ErrorLine;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/** {@code sluice topics delete TOPIC...}. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete topics and their data.")
final class DeleteTopics implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "TOPIC", arity = "1..*", description = "Topics to delete.")
    List<String> topics;

    @Option(names = "--if-exists", description = "Succeed for a topic that does not exist.")
    boolean ifExists;

    @Override
    public Integer call() throws InterruptedException
    {
        try (Admin admin = cluster.admin())
        {
            final Map<String, KafkaFuture<Void>> results = admin.deleteTopics(topics).topicNameValues();
            String failure = null;
            for (final String topic : topics)
            {
                try
                {
                    results.get(topic).get();
                    spec.commandLine().getOut().println("deleted topic '" + topic + "'");
                }
                catch (final ExecutionException ex)
                {
                    if (ex.getCause() instanceof UnknownTopicOrPartitionException)
                    {
                        if (!ifExists && failure == null)
                        {
                            failure = "unknown topic '" + topic + "'";
                        }
                    }
                    else if (failure == null)
                    {
                        failure = "cannot delete topic '" + topic + "': " + ErrorLine.of(ex);
                    }
                }
            }
            if (failure != null)
            {
                throw new CliFailure(failure);
            }
            return 0;
        }
    }
}
