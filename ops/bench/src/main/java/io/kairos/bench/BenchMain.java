package io.kairos.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./kairos bench …}: benchmark commands. They print figures (for BENCHMARKS.md); they are never tests and never
 * run on the node's classpath.
 */
@Command(
        name = "kairos bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures for BENCHMARKS.md.",
        subcommands = {
            IngestCommand.class,
            KafkaIngestCommand.class,
            ShopperPricesCommand.class,
            ConsoleCommand.class,
            CatalogImportCommand.class,
            HotCampaignCommand.class,
            NoisyNeighbourCommand.class,
            SoakCommand.class,
            AuditReplayCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BenchMain implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
