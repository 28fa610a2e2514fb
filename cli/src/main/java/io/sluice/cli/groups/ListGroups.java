package io.sluice.cli.groups;

import io.sluice.cli.ClusterOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sluice groups list}: each group with its type and state. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List groups: name, type, state.")
final class ListGroups implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception
    {
        try (Admin admin = cluster.admin())
        {
            final List<GroupListing> groups = new ArrayList<>(admin.listGroups().all().get());
            groups.sort(Comparator.comparing(GroupListing::groupId));
            final PrintWriter out = spec.commandLine().getOut();
            for (final GroupListing group : groups)
            {
                out.printf("%s\t%s\t%s%n", group.groupId(),
                    group.type().map(type -> type.toString().toLowerCase(java.util.Locale.ROOT)).orElse("-"),
                    group.groupState().map(Object::toString).orElse("-"));
            }
            return 0;
        }
    }
}
