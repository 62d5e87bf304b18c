package io.kairos.tools.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kairos.models.registry.Json;
import io.kairos.tools.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * Shared shape of the data-science commands: progress lines go to stderr, results to stdout (with {@code --json}
 * exactly one JSON object), and a user mistake (missing column, unknown model, unreadable file) ends with a one-line
 * message and exit code 2 instead of a stack trace.
 */
abstract class ToolCommand extends Tool implements Callable<Integer> {
    /** Exit code for bad input. */
    static final int USAGE = 2;

    @Option(names = "--json", description = "Print one JSON object to stdout instead of text.")
    boolean json;

    /** The command's work; returns the exit code. */
    abstract int run() throws IOException;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (IllegalArgumentException
                | IllegalStateException
                | NoSuchElementException
                | IOException
                | UncheckedIOException
                | com.datastax.oss.driver.api.core.DriverException e) {
            err().println("error: " + e.getMessage());
            err().flush();
            return USAGE;
        }
    }

    void progress(String line) {
        err().println(line);
        err().flush();
    }

    void printJson(Object value) {
        try {
            out().println(Json.mapper().writeValueAsString(value));
            out().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
