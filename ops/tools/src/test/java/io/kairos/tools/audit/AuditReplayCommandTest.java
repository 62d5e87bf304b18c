package io.kairos.tools.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kairos.tools.CommandRun;
import io.kairos.tools.ToolsMain;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./kairos audit replay} against a stand-in for the node's streamed endpoint: the counts and the exit code
 * follow the verdicts, and a stream cut before its summary line is a failure, not a clean run.
 */
class AuditReplayCommandTest {
    private static final String IDENTICAL =
            "{\"decisionId\":\"d1\",\"kind\":\"offer\",\"rederivable\":true,\"identical\":true,\"differences\":[],\"compared\":20}";
    private static final String DIFFERENT =
            "{\"decisionId\":\"d2\",\"kind\":\"offer\",\"rederivable\":true,\"identical\":false,\"differences\":"
                    + "[{\"field\":\"choice.propensity\",\"recorded\":\"0.9\",\"replayed\":\"0.5\"}],\"compared\":20}";
    private static final String OLD =
            "{\"decisionId\":\"d3\",\"kind\":\"offer\",\"rederivable\":false,\"reason\":\"not re-derivable: model m "
                    + "version 1 is not in the model store\",\"identical\":false,\"differences\":[],\"compared\":0}";

    private HttpServer server;
    private final AtomicReference<String> request = new AtomicReference<>();

    private String serve(String... lines) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/audit/decisions/replay", exchange -> {
            request.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            var body = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private static CommandRun run(String url, String... more) {
        var args = new java.util.ArrayList<>(java.util.List.of(
                "audit", "replay", "--url", url, "--from", "2026-12-01T00:00:00Z", "--to", "2026-12-02T00:00:00Z"));
        args.addAll(java.util.List.of(more));
        return CommandRun.of(ToolsMain::commandLine, args.toArray(String[]::new));
    }

    @Test
    void allIdenticalIsExitZeroWithTheCountsInJson() throws Exception {
        var url = serve(
                IDENTICAL, OLD, "{\"summary\":{\"replayed\":2,\"identical\":1,\"different\":0,\"notRederivable\":1}}");
        var run = run(url, "--campaign", "spring", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        var json = run.json();
        assertThat(json.path("replayed").asInt()).isEqualTo(2);
        assertThat(json.path("identical").asInt()).isEqualTo(1);
        assertThat(json.path("different").asInt()).isZero();
        assertThat(json.path("notRederivable").asInt()).isEqualTo(1);
        assertThat(json.path("perSecond").asDouble()).isPositive();
        assertThat(request.get())
                .contains("\"from\":\"2026-12-01T00:00:00Z\"")
                .contains("\"to\":\"2026-12-02T00:00:00Z\"")
                .contains("\"campaignId\":\"spring\"");
    }

    @Test
    void aDifferentDecisionIsExitOneAndNamesItsFields() throws Exception {
        var url = serve(
                IDENTICAL,
                DIFFERENT,
                "{\"summary\":{\"replayed\":2,\"identical\":1,\"different\":1,\"notRederivable\":0}}");
        var run = run(url);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out())
                .contains("2 decisions replayed")
                .contains("1 identical, 1 different, 0 not re-derivable")
                .contains("different: d2")
                .contains("choice.propensity: recorded 0.9, replayed 0.5");
    }

    @Test
    void aSkuAsksForItsPricingDecisionsAndExcludesACampaign() throws Exception {
        var url = serve(
                IDENTICAL.replace("\"offer\"", "\"price\""),
                "{\"summary\":{\"replayed\":1,\"identical\":1,\"different\":0,\"notRederivable\":0}}");
        assertThat(run(url, "--sku", "tea-1").exit()).isZero();
        assertThat(request.get()).contains("\"sku\":\"tea-1\"").doesNotContain("campaignId");
        var both = run(url, "--sku", "tea-1", "--campaign", "spring");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("exclude each other");
    }

    @Test
    void aStreamCutBeforeItsSummaryIsExitTwo() throws Exception {
        var run = run(serve(IDENTICAL));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("without its summary line");
    }
}
