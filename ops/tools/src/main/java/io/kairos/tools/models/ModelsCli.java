package io.kairos.tools.models;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The models module's command-line tools for data scientists. The node's root launcher mounts {@link #subcommands()};
 * {@link #main} runs them standalone ({@code java -cp … io.kairos.tools.models.ModelsCli}).
 */
@Command(
        name = "kairos-models",
        mixinStandardHelpOptions = true,
        description = "Kairos model tools: uplift evaluation, BG/NBD, elasticity, training and the model registry.")
public final class ModelsCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Fresh instances of every command, for mounting under another picocli root. */
    public static List<Object> subcommands() {
        return List.of(
                new UpliftEvalCommand(),
                new BgNbdFitCommand(),
                new ElasticityCommand(),
                new TrainCommand(),
                new ModelsCommand(),
                new PreferenceEvalCommand());
    }

    /** A command line with every tool mounted under this root. */
    public static CommandLine commandLine() {
        var cl = new CommandLine(new ModelsCli());
        subcommands().forEach(cl::addSubcommand);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
