package io.kairos.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./kairos} on the node's classpath: {@code dev} runs a node on a Cassandra node of its own, {@code cluster}
 * runs N local nodes on one, {@code node} runs a production node on an external Cassandra, {@code schema} applies the
 * checked-in CQL, {@code learn} runs the learning loop in a process of its own. The tools (training, simulators,
 * benchmarks) are the tools module's ({@code io.kairos.tools}); the launcher runs them on their own classpath. Logs go
 * to stderr (the node's logback.xml).
 */
@Command(
        name = "kairos",
        mixinStandardHelpOptions = true,
        version = "Kairos 0.1.0",
        description = "Real-time coupon decisioning and dynamic pricing.",
        subcommands = {
            DevCommand.class,
            ClusterCommand.class,
            NodeCommand.class,
            SchemaCommand.class,
            LearnCommand.class,
            ClusterMemberCommand.class,
            CommandLine.HelpCommand.class
        })
public final class KairosMain implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new KairosMain());
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }
}
