package io.kairos.tools;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the launcher's tools: every tool has the standard {@code --help} and {@code --version} options (declared here
 * once, inherited by each tool's own {@code @Command}), and writes through its command line's writers, which the
 * launcher points at stdout and stderr and tests capture.
 */
@Command(mixinStandardHelpOptions = true)
public abstract class Tool {
    /** The running command, injected by picocli. */
    @Spec
    protected CommandSpec spec;

    /** Where results go (stdout unless a caller redirected the command line). */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where progress, warnings and errors go (stderr unless a caller redirected the command line). */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
