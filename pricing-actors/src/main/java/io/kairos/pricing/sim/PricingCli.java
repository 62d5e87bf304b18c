package io.kairos.pricing.sim;

import java.util.List;
import picocli.CommandLine;

/** The pricing module's command-line tools, mounted by the root {@code ./kairos} launcher. */
public final class PricingCli {

    private PricingCli() {}

    /** Fresh instances of the module's picocli commands. */
    public static List<Object> subcommands() {
        return List.of(new PricingSimCommand());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PricingSimCommand()).execute(args));
    }
}
