package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The node's logback.xml: JSON lines in production and human lines in dev, both carrying the shopper (the entity's
 * {@code persistenceId} MDC) and neither carrying an identity such as a phone number or e-mail address.
 */
class LogFormatTest {
    private static final String MESSAGE =
            "linking phone:13812345678 to alice; entity akka://kairos/system/sharding/Shopper/7/email%3Abob@example.com";

    private static String logOnce(String format) throws Exception {
        var context = new LoggerContext();
        context.putProperty("KAIROS_LOG_FORMAT", format);
        var out = new ByteArrayOutputStream();
        // The node logs to stderr: stdout is reserved for the data tools' results.
        var console = System.err;
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            var configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
            MDC.put("persistenceId", "Shopper|phone:13812345678");
            context.getLogger("io.kairos.test").info(MESSAGE);
            MDC.clear();
            context.stop(); // flushes the async appender
        } finally {
            System.setErr(console);
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void productionLogsAreJsonLinesWithTheShopperAndWithoutIdentities() throws Exception {
        var line = logOnce("json");
        var json = new ObjectMapper().readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("message").asText())
                .contains("to alice")
                .contains("phone:***")
                .contains("email%3A***");
        assertThat(json.path("persistenceId").asText()).isEqualTo("Shopper|phone:***");
        assertThat(line).doesNotContain("13812345678").doesNotContain("bob@example.com");
    }

    @Test
    void devLogsAreHumanLinesWithTheSameMasking() throws Exception {
        var line = logOnce("text");
        assertThat(line)
                .doesNotStartWith("{")
                .contains("INFO")
                .contains("Shopper|phone:***")
                .contains("to alice")
                .doesNotContain("13812345678")
                .doesNotContain("bob@example.com");
    }
}
