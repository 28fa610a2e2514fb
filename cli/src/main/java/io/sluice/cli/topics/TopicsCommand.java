package io.sluice.cli.topics;

import picocli.CommandLine.Command;

/** {@code sluice topics create|list|describe|alter|delete}. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Create, list, describe, alter and delete topics.",
    subcommands = {CreateTopic.class, ListTopics.class, DescribeTopics.class, AlterTopic.class, DeleteTopics.class})
public final class TopicsCommand
{
}
