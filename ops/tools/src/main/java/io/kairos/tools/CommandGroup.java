package io.kairos.tools;

import picocli.CommandLine.ParameterException;

/**
 * A command that only groups subcommands ({@code train}, {@code models}): run without one, it is a usage error that
 * names the choices.
 */
public abstract class CommandGroup extends Tool implements Runnable {
    private final String missingSubcommand;

    /** @param missingSubcommand the error printed above the usage when no subcommand is named */
    protected CommandGroup(String missingSubcommand) {
        this.missingSubcommand = missingSubcommand;
    }

    @Override
    public final void run() {
        throw new ParameterException(spec.commandLine(), missingSubcommand);
    }
}
