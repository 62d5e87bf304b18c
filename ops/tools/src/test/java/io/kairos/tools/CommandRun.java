package io.kairos.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * One execution of a tools command line in a test: its exit code, what it wrote to the command line's out and err
 * writers, and whatever else reached {@code System.out} while it ran.
 *
 * @param rawStdout whatever reached System.out besides the command's own output writer
 */
public record CommandRun(int exit, String out, String err, String rawStdout) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs {@code args} on a fresh command line from {@code commandLine}, capturing its output. */
    public static CommandRun of(Supplier<CommandLine> commandLine, String... args) {
        // System.out is swapped before the command line exists: picocli re-creates writers when System.out changes
        // between construction and execution, which would bypass the writers set below.
        var raw = new ByteArrayOutputStream();
        var stdout = System.out;
        System.setOut(new PrintStream(raw, true, StandardCharsets.UTF_8));
        try {
            var cl = commandLine.get();
            var out = new StringWriter();
            var err = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int exit = cl.execute(args);
            return new CommandRun(exit, out.toString(), err.toString(), raw.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    /** The one JSON object the command printed, checked to be exactly one line on its output writer. */
    public JsonNode json() throws Exception {
        assertThat(out.strip().lines().count())
                .as("exactly one line of JSON on stdout: " + out)
                .isEqualTo(1);
        return JSON.readTree(out);
    }
}
