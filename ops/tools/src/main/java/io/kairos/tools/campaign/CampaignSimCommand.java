package io.kairos.tools.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.http.Role;
import io.kairos.tools.Tool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./kairos campaign-sim draft.json}: a draft campaign's forecast before launch, from a running node ({@code POST
 * /v1/campaigns/simulate}, which persists nothing): per day the coupons issued and redeemed, the budget used and the
 * incremental profit, then the totals with their 90 % intervals and how they were estimated. Exit code 0 with a
 * forecast, 2 when the node refused the draft or could not be reached.
 */
@Command(
        name = "campaign-sim",
        description = {
            "Forecasts a draft campaign on a running node before launch (POST /v1/campaigns/simulate; nothing is"
                    + " persisted): coupons issued and redeemed, budget burn and incremental profit per day, with 90 %%"
                    + " intervals, from the decision ledger's real shoppers and the model deciding now.",
            "The draft is a campaign body as POST /v1/campaigns takes it. Keys come from KAIROS_API_KEYS in the node's"
                    + " format (an operator or admin key; default: the dev node's dev-operator), or --api-key."
        })
public final class CampaignSimCommand extends Tool implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "DRAFT", description = "the draft campaign's JSON file (- for stdin)")
    String draft;

    @Option(
            names = "--url",
            defaultValue = "http://localhost:8080",
            description = "the node (default ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--json", description = "print the node's forecast as JSON only")
    boolean json;

    @Option(
            names = "--api-key",
            description = "an operator or admin key (default: the first such key of KAIROS_API_KEYS)")
    String apiKey;

    @Override
    public Integer call() throws Exception {
        String key;
        try {
            key = apiKey != null ? apiKey : apiKey(Set.of(Role.OPERATOR, Role.ADMIN), "dev-operator");
        } catch (IllegalArgumentException e) {
            err().println(e.getMessage());
            return 2;
        }
        var body = "-".equals(draft)
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(draft));
        var request = HttpRequest.newBuilder(url.resolve("/v1/campaigns/simulate"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        var client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err().println("error: cannot reach " + url + ": " + why(e));
            return 2;
        }
        if (response.statusCode() != 200) {
            err().println("the node answered " + response.statusCode() + ": " + response.body());
            return 2;
        }
        var forecast = JSON.readTree(response.body());
        if (json) out().println(forecast);
        else print(forecast);
        out().flush();
        return 0;
    }

    private void print(JsonNode f) {
        var p = f.path("population");
        out().printf(
                        Locale.ROOT,
                        "population: %d decisions in the ledger (%.1f days), %d eligible, %d shoppers, %.1f opportunities/day%n",
                        p.path("decisions").asLong(),
                        p.path("spanDays").asDouble(),
                        p.path("eligible").asLong(),
                        p.path("shoppers").asLong(),
                        p.path("opportunitiesPerDay").asDouble());
        out().printf(
                        Locale.ROOT,
                        "method: %s (model %s; the coupon logged %d times issued, %d withheld)%n%n",
                        f.path("method").asText(),
                        f.path("model").asText(),
                        f.path("matchedOffers").asLong(),
                        f.path("matchedHoldouts").asLong());
        out().printf(
                        Locale.ROOT,
                        "%-10s %8s %9s %12s %19s%n",
                        "date",
                        "issued",
                        "redeemed",
                        "budget used",
                        "incr. profit");
        for (var d : f.path("days"))
            out().printf(
                            Locale.ROOT,
                            "%-10s %8d %9d %12.2f %19.2f%n",
                            d.path("date").asText(),
                            d.path("issued").asLong(),
                            d.path("redeemed").asLong(),
                            d.path("budgetUsed").asDouble(),
                            d.path("incrementalProfit").asDouble());
        out().printf(
                        Locale.ROOT,
                        "%-10s %8d %9d %12.2f%n%n",
                        "total",
                        f.path("issued").asLong(),
                        f.path("redeemed").asLong(),
                        f.path("budgetUsed").asDouble());
        for (var name : new String[] {"incrementalRevenue", "incrementalProfit"}) {
            var i = f.path(name);
            out().printf(
                            Locale.ROOT,
                            "%-19s %12.2f  (%.0f %% interval %.2f to %.2f)%n",
                            name,
                            i.path("estimate").asDouble(),
                            f.path("confidence").asDouble() * 100,
                            i.path("low").asDouble(),
                            i.path("high").asDouble());
        }
        for (var n : f.path("notes")) out().println("note: " + n.asText());
    }
}
