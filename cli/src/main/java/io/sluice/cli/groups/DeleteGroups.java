package io.sluice.cli.groups;

import io.sluice.cli.CliFailure;
import io.sluice.cli.ClusterOptions;
import io.sluice.cli.ErrorLine;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/** {@code sluice groups delete GROUP...}: only groups without active members can go. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete consumer groups and their committed offsets (the groups must have no active member).")
final class DeleteGroups implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "GROUP", arity = "1..*", description = "Groups to delete.")
    List<String> groups;

    @Override
    public Integer call() throws InterruptedException
    {
        try (Admin admin = cluster.admin())
        {
            final Map<String, KafkaFuture<Void>> results = admin.deleteConsumerGroups(groups).deletedGroups();
            String failure = null;
            for (final String group : groups)
            {
                try
                {
                    results.get(group).get();
                    spec.commandLine().getOut().println("deleted group '" + group + "'");
                }
                catch (final ExecutionException ex)
                {
                    final String reason;
                    if (ex.getCause() instanceof GroupIdNotFoundException)
                    {
                        reason = "unknown group '" + group + "'";
                    }
                    else if (ex.getCause() instanceof GroupNotEmptyException)
                    {
                        reason = "group '" + group + "' has active members; stop them first";
                    }
                    else
                    {
                        reason = "cannot delete group '" + group + "': " + ErrorLine.of(ex);
                    }
                    failure = failure == null ? reason : failure;
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
