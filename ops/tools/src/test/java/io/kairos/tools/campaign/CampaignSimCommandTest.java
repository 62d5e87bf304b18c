package io.kairos.tools.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kairos.tools.CommandRun;
import io.kairos.tools.ToolsMain;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kairos campaign-sim} against a stand-in for {@code POST /v1/campaigns/simulate}: the draft goes to the node
 * as it is, the forecast comes back as a table or as the node's JSON, and a refused draft is exit code 2 with the
 * node's problem.
 */
class CampaignSimCommandTest {
    private static final String FORECAST =
            """
            {"days":[{"date":"2027-01-04","issued":120,"redeemed":31,"budgetUsed":155.00,"incrementalProfit":42.10},
                     {"date":"2027-01-05","issued":118,"redeemed":30,"budgetUsed":150.00,"incrementalProfit":41.30}],
             "issued":238,"redeemed":61,"budgetUsed":305.00,
             "incrementalRevenue":{"estimate":390.00,"low":120.50,"high":659.50},
             "incrementalProfit":{"estimate":83.40,"low":-20.00,"high":186.80},
             "method":"doubly-robust","model":"uplift@3","confidence":0.9,
             "population":{"decisions":4000,"eligible":3500,"shoppers":2100,"spanDays":14.0,"opportunitiesPerDay":250.0},
             "matchedOffers":900,"matchedHoldouts":95,"notes":[]}""";

    private HttpServer server;
    private final AtomicReference<String> request = new AtomicReference<>();

    @TempDir
    Path dir;

    private String serve(int status, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/campaigns/simulate", exchange -> {
            request.set(exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            var bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private Path draft() throws Exception {
        var file = dir.resolve("draft.json");
        Files.writeString(file, "{\"campaignId\":\"spring\",\"budget\":500}");
        return file;
    }

    @Test
    void theForecastIsATableOfDaysAndTotalsWithTheirIntervals() throws Exception {
        var url = serve(200, FORECAST);
        var run = CommandRun.of(
                ToolsMain::commandLine, "campaign-sim", draft().toString(), "--url", url, "--api-key", "op-key");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(request.get()).isEqualTo("Bearer op-key {\"campaignId\":\"spring\",\"budget\":500}");
        assertThat(run.out())
                .contains("method: doubly-robust (model uplift@3; the coupon logged 900 times issued, 95 withheld)")
                .contains("2027-01-05")
                .contains("incrementalProfit")
                .contains("83.40  (90 % interval -20.00 to 186.80)")
                .containsPattern("total\\s+238\\s+61\\s+305.00");
    }

    @Test
    void withJsonItPrintsTheNodesForecast() throws Exception {
        var url = serve(200, FORECAST);
        var run = CommandRun.of(
                ToolsMain::commandLine,
                "campaign-sim",
                draft().toString(),
                "--url",
                url,
                "--json",
                "--api-key",
                "op-key");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.json().path("incrementalProfit").path("high").asDouble()).isEqualTo(186.8);
        assertThat(run.json().path("days")).hasSize(2);
    }

    @Test
    void aRefusedDraftIsExitTwoWithTheNodesProblem() throws Exception {
        var url = serve(400, "{\"status\":400,\"detail\":\"budget: must be at least 0.01\"}");
        var run = CommandRun.of(
                ToolsMain::commandLine, "campaign-sim", draft().toString(), "--url", url, "--api-key", "op-key");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("400").contains("budget: must be at least 0.01");
    }
}
