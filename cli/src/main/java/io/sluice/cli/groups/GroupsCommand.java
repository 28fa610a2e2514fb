package io.sluice.cli.groups;

import picocli.CommandLine.Command;

/** {@code sluice groups list|describe|reset-offsets|delete}. */
@Command(
    name = "groups",
    mixinStandardHelpOptions = true,
    description = "List, describe (with lag per partition), reset the offsets of, and delete consumer groups.",
    subcommands = {ListGroups.class, DescribeGroups.class, ResetOffsets.class, DeleteGroups.class})
public final class GroupsCommand
{
}
