package io.kairos.node;

import io.kairos.models.cli.ModelsCli;
import io.kairos.node.bench.PricingBenchmark;
import io.kairos.pricing.sim.PricingCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./kairos}: the one launcher. {@code dev} runs a node on a Cassandra node of its own, {@code cluster} runs N
 * local nodes on one, {@code node} runs a production node on an external Cassandra, {@code schema} applies the
 * checked-in CQL; the data tools of other modules are mounted beside them ({@code uplift-eval}, {@code bgnbd-fit},
 * {@code elasticity}, {@code train}, {@code models} from the models module, {@code pricing-sim} from the pricing
 * module). Logs go to stderr (the node's logback.xml), so a tool's {@code --json} output is the only thing on stdout.
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
            ClusterMemberCommand.class,
            PricingBenchmark.class,
            CommandLine.HelpCommand.class
        })
public final class KairosMain implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        var cl = new CommandLine(new KairosMain());
        ModelsCli.subcommands().forEach(cl::addSubcommand);
        PricingCli.subcommands().forEach(cl::addSubcommand);
        return cl;
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }
}
