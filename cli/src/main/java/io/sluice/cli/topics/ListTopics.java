package io.sluice.cli.topics;

import io.sluice.cli.ClusterOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code sluice topics list}: one topic name per line, sorted. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List topic names, one per line.")
final class ListTopics implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--internal", description = "Include internal topics (__consumer_offsets ...).")
    boolean internal;

    @Override
    public Integer call() throws Exception
    {
        try (Admin admin = cluster.admin())
        {
            for (final String name : new TreeSet<>(admin.listTopics(new ListTopicsOptions().listInternal(internal)).names().get()))
            {
                spec.commandLine().getOut().println(name);
            }
            return 0;
        }
    }
}
