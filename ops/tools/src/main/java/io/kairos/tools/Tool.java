package io.kairos.tools;

import io.kairos.http.ApiKeys;
import io.kairos.http.Role;
import java.io.PrintWriter;
import java.util.Set;
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

    /**
     * A refusal's reason in words: the exception's message, else (a refused connection has none) what it means, else
     * its kind.
     */
    public static String why(Throwable e) {
        if (e.getMessage() != null) return e.getMessage();
        return e instanceof java.net.ConnectException
                ? "connection refused (is the node running, at the URL given?)"
                : e.getClass().getSimpleName();
    }

    /** Where results go (stdout unless a caller redirected the command line). */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where progress, warnings and errors go (stderr unless a caller redirected the command line). */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * The first key of {@code KAIROS_API_KEYS} (the node's format, checked as the node checks it) with one of
     * {@code roles}; when the variable is not set, {@code devKey} (a dev node's key), saying so on stderr.
     *
     * @throws IllegalArgumentException when the variable names no such key
     */
    protected String apiKey(Set<Role> roles, String devKey) {
        var keys = System.getenv("KAIROS_API_KEYS");
        if (keys == null || keys.isBlank()) {
            err().println("KAIROS_API_KEYS is not set: using " + devKey + " (a dev node's key)");
            return devKey;
        }
        return ApiKeys.firstKey(keys, roles)
                .orElseThrow(() -> new IllegalArgumentException("KAIROS_API_KEYS holds no key of the roles " + roles));
    }
}
