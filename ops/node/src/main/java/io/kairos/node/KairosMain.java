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
        useCommonPool();
        System.exit(commandLine().execute(args));
    }

    /** The system property that sizes the JDK's common fork-join pool. */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    /**
     * Gives the JDK's common pool at least two threads, so that {@code CompletableFuture}'s asynchronous stages run on
     * it. With one (what the JDK picks on a machine of two cores: cores − 1), {@code CompletableFuture} runs every such
     * stage on a new thread, and Akka's futures turned into {@code CompletionStage}s run every dependent stage that way
     * (Scala's converter makes {@code thenApply} asynchronous): the audit-replay benchmark's node started about 50,000
     * threads in six minutes, five per offer decision. Must run before anything touches {@code ForkJoinPool} or
     * {@code CompletableFuture}; a parallelism set on the command line ({@code -D}) is kept. The launcher and the
     * build's test JVMs set the property too; the image ({@code java -jar}) relies on this.
     */
    static void useCommonPool() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null
                && Runtime.getRuntime().availableProcessors() - 1 < 2) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
    }

    static CommandLine commandLine() {
        return new CommandLine(new KairosMain());
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }
}
