package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The node's own logging configuration writes to stderr, never stdout (the tools' results own stdout), and the launcher
 * on the node's classpath knows the node's commands.
 */
class KairosMainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The node's logback.xml, not the tests' logback-test.xml: that is what writes to stderr in production. */
    @BeforeAll
    static void useTheNodesLogging() throws Exception {
        configureLogging("/logback.xml");
    }

    @AfterAll
    static void restoreTestLogging() throws Exception {
        configureLogging("/logback-test.xml");
    }

    private static void configureLogging(String resource) throws Exception {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        var configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(KairosMainTest.class.getResource(resource));
    }

    @Test
    void theNodesLogsGoToStderr() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var stdout = System.out;
        var stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger("io.kairos.node.probe").warn("log-destination-probe");
            // the appender is asynchronous: stopping the context drains its queue
            ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            configureLogging("/logback.xml");
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("log-destination-probe");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theNodesCommandsAreTheLaunchersOnTheNodesClasspath() {
        assertThat(KairosMain.commandLine().getSubcommands().keySet())
                .contains("dev", "cluster", "node", "schema")
                .doesNotContain("train", "pricing-sim", "bench-pricing");
    }
}
