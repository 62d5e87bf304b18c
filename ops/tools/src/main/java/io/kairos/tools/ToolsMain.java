package io.kairos.tools;

import io.kairos.tools.audit.AuditCommand;
import io.kairos.tools.bench.PricingBenchmark;
import io.kairos.tools.bench.ScoringBenchmark;
import io.kairos.tools.campaign.CampaignSimCommand;
import io.kairos.tools.models.ModelsCli;
import io.kairos.tools.pricing.PricingSimCommand;
import io.kairos.tools.shopsim.ShopSimCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./kairos <tool>}: the commands a node does not need to serve traffic, on a classpath of their own (the node's
 * jar carries none of them). Model tools ({@code uplift-eval}, {@code bgnbd-fit}, {@code elasticity}, {@code train},
 * {@code preference-eval}, {@code models}), the pricing simulator ({@code pricing-sim}) and in-process benchmarks
 * ({@code bench-pricing}, {@code bench-scoring}). Logs go to stderr, so a tool's {@code --json} output is the only
 * thing on stdout.
 */
@Command(
        name = "kairos",
        mixinStandardHelpOptions = true,
        version = "Kairos 0.1.0",
        description = "Kairos tools (the node's own commands: ./kairos dev | cluster | node | schema).",
        subcommands = {
            AuditCommand.class,
            CampaignSimCommand.class,
            PricingSimCommand.class,
            ShopSimCommand.class,
            PricingBenchmark.class,
            ScoringBenchmark.class,
            CommandLine.HelpCommand.class
        })
public final class ToolsMain implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        var cl = new CommandLine(new ToolsMain());
        ModelsCli.subcommands().forEach(cl::addSubcommand);
        cl.setExecutionExceptionHandler(ToolsMain::refused);
        return cl;
    }

    /**
     * A tool that refuses (a wrong argument, a node in the wrong state, a node not there) says why in one line on
     * stderr, {@code error: …}, and exits with 2; anything else is a bug, and keeps its stack trace.
     */
    private static int refused(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        if (!(e instanceof IllegalArgumentException
                || e instanceof IllegalStateException
                || e instanceof java.io.IOException
                || e instanceof java.io.UncheckedIOException)) throw e;
        cl.getErr().println("error: " + Tool.why(e));
        cl.getErr().flush();
        return 2;
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }
}
