package io.kairos.tools.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.http.Role;
import io.kairos.tools.Tool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./kairos audit replay}: re-derives every offer decision of a window (or a SKU's pricing decisions) on a
 * running node ({@code POST /v1/audit/decisions/replay}, streamed) and reports how many are identical, different or not
 * re-derivable, and the rate. Exit code 0 when no decision is different, 1 when one is, 2 when the replay failed.
 */
@Command(
        name = "replay",
        description =
                "Re-derives every offer decision (or with --sku every pricing decision of a SKU) made in [--from, "
                        + "--to) on a running node and compares each with its record. Exit code 0: none different; 1: some different; 2: the replay failed.")
public final class AuditReplayCommand extends Tool implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many different decisions the report lists. */
    private static final int LISTED = 20;

    @Option(
            names = "--url",
            defaultValue = "http://localhost:8080",
            description = "the node (default ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--from", required = true, description = "decisions made at or after this instant (ISO-8601)")
    Instant from;

    @Option(names = "--to", required = true, description = "decisions made before this instant (ISO-8601)")
    Instant to;

    @Option(names = "--campaign", description = "only the decisions this campaign was a candidate in or held out of")
    String campaign;

    @Option(names = "--sku", description = "the pricing decisions of this SKU instead of offer decisions")
    String sku;

    @Option(
            names = "--json",
            description = "print {\"replayed\", \"identical\", \"different\", \"notRederivable\", \"perSecond\", "
                    + "\"differentDecisions\"} only")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String key;
        try {
            key = apiKey(Set.of(Role.AUDITOR, Role.ADMIN), "dev-auditor");
        } catch (IllegalArgumentException e) {
            err().println(e.getMessage());
            return 2;
        }
        if (campaign != null && sku != null) {
            err().println("--campaign and --sku exclude each other: offer decisions of a campaign, or a SKU's prices");
            return 2;
        }
        var body = JSON.createObjectNode().put("from", from.toString()).put("to", to.toString());
        if (campaign != null) body.put("campaignId", campaign);
        if (sku != null) body.put("sku", sku);
        var request = HttpRequest.newBuilder(url.resolve("/v1/audit/decisions/replay"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        var client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        long started = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            err().println("error: cannot reach " + url + ": " + why(e));
            return 2;
        }
        if (response.statusCode() != 200) {
            err().println("the node answered " + response.statusCode() + ": "
                    + String.join("\n", response.body().toList()));
            return 2;
        }
        var tally = new Tally();
        try (var lines = response.body()) {
            lines.forEach(line -> tally.add(read(line)));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (tally.summary == null) {
            err().println("the stream ended without its summary line after " + tally.replayed + " decisions");
            return 2;
        }
        double perSecond = tally.replayed / Math.max(seconds, 1e-9);
        if (json) {
            ObjectNode out = JSON.createObjectNode()
                    .put("replayed", tally.replayed)
                    .put("identical", tally.identical)
                    .put("different", tally.different.size())
                    .put("notRederivable", tally.notRederivable)
                    .put("perSecond", Math.round(perSecond * 10) / 10.0);
            var ids = out.putArray("differentDecisions");
            tally.different.forEach(d -> ids.add(d.path("decisionId").asText()));
            out().println(out);
        } else {
            out().printf(
                            "%d decisions replayed in %.1f s (%.0f/s): %d identical, %d different, %d not re-derivable%n",
                            tally.replayed,
                            seconds,
                            perSecond,
                            tally.identical,
                            tally.different.size(),
                            tally.notRederivable);
            for (var d : tally.different.subList(0, Math.min(LISTED, tally.different.size()))) {
                out().println("different: " + d.path("decisionId").asText());
                for (var f : d.path("differences"))
                    out().println("  " + f.path("field").asText() + ": recorded "
                            + f.path("recorded").asText("(none)") + ", replayed "
                            + f.path("replayed").asText("(none)"));
            }
            tally.reasons.forEach(r -> out().println(r));
        }
        out().flush();
        if (tally.replayed != tally.summary.path("replayed").asLong()) {
            err().println("the node counted " + tally.summary + " but sent " + tally.replayed + " verdicts");
            return 2;
        }
        return tally.different.isEmpty() ? 0 : 1;
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable line from the node: " + line, e);
        }
    }

    /** The verdicts counted so far. */
    private static final class Tally {
        long replayed;
        long identical;
        long notRederivable;
        final List<JsonNode> different = new ArrayList<>();
        /** Distinct reasons for decisions not re-derivable, in the order first seen (at most {@link #LISTED}). */
        final java.util.LinkedHashSet<String> reasons = new java.util.LinkedHashSet<>();

        JsonNode summary;

        void add(JsonNode line) {
            if (line.has("summary")) {
                summary = line.path("summary");
                return;
            }
            replayed++;
            if (!line.path("rederivable").asBoolean()) {
                notRederivable++;
                if (reasons.size() < LISTED) reasons.add(line.path("reason").asText());
            } else if (line.path("identical").asBoolean()) identical++;
            else different.add(line);
        }
    }
}
