package io.sluice.tuning;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.sluice.tuning.check.Finding;
import io.sluice.tuning.check.FindingsReport;
import io.sluice.tuning.check.HostSettingsInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/sluice tune check}: reads the host's settings and prints each beside Sluice's recommendation. */
@Command(
    name = "check",
    description = {
        "Read the operating-system settings that matter to a Sluice broker (transparent huge pages, swap, dirty-page",
        "write-back, memory maps, socket buffer caps, listen backlog, CPU governor and clock source, cores, NUMA,",
        "isolated CPUs, open-file limit) and print what was found beside what Sluice recommends and why.",
        "Changes nothing. Exit 0 whatever it finds; 1 only when it cannot run."},
    mixinStandardHelpOptions = true)
final class TuneCheckCommand implements Callable<Integer>
{
    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    private boolean json;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
        description = "Read proc/ and sys/ under DIR instead of / (a copied tree, for tests). " +
            "Default: ${DEFAULT-VALUE}")
    private Path root;

    @Override
    public Integer call()
    {
        if (!Files.isDirectory(root))
        {
            System.err.println("sluice tune check: --root " + root + " is not a directory");
            return 1;
        }
        final List<Finding> findings = new HostSettingsInspector(root).inspect();
        if (json)
        {
            FindingsReport.printJson(findings, root.toString(), System.out);
        }
        else
        {
            FindingsReport.printText(findings, root.toString(), System.out);
        }
        return 0;
    }
}
