package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kairos.node.FuzzExchange.Answer;
import io.kairos.node.OpenApiRequests.FuzzRequest;
import io.kairos.tracking.TrackingTokens;
import io.kairos.tracking.TrackingTokens.Kind;
import io.kairos.tracking.TrackingTokens.Link;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes every route: for every operation of openapi.yaml (its paths, parameters and request-body schemas, read from
 * the document itself) at least 10,000 generated requests in all, valid, boundary and malformed ones
 * ({@link OpenApiRequests}, {@link RequestMutations}), go over real HTTP to a real node on Cassandra, a few at a time.
 * Proves that none is answered with a 5xx, that every 4xx is {@code application/problem+json} carrying its status, a
 * type and a title, and that requests without a valid key get 401, with a key of the wrong role 403, with a body over
 * {@code max-body-bytes} 413, and with an undeclared method or path a 4xx ({@link FuzzExchange}). Rate limits are off
 * so that 429s hide nothing. The seed is printed; {@code -Dfuzz.seed=} repeats a run and {@code -Dfuzz.requests=} sizes
 * it.
 */
class ApiFuzzIT {
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);
    private static final int IN_FLIGHT = 4;
    private static final int SHOWN = 20;
    private static final Map<String, String> KEYS = Map.of(
            "admin", NodeHarness.ADMIN_KEY,
            "ingest", "ingest-key-for-tests",
            "operator", "fuzz-operator-key",
            "auditor", "fuzz-auditor-key",
            "expired", "fuzz-expired-key");
    private static final String CONFIG =
            """
            kairos.http.rate-limit { per-key = 0, per-shopper = 0 }
            # nothing to drain for at the end: no load balancer, and the open event streams need not finish
            kairos.cluster.shutdown-drain = 100ms
            kairos.http.shutdown-deadline = 1s
            kairos.http.api-keys = "admin=%s,ingest=ingest-key-for-tests,operator=fuzz-operator-key,\
            auditor=fuzz-auditor-key,ingest=fuzz-expired-key;id=fuzz-expired;expires=2020-01-01"
            """
                    .formatted(NodeHarness.ADMIN_KEY);

    /**
     * Ids the requests draw from: the entities this test creates first ({@link #createEntities}), and what it learns
     * from answers.
     */
    static final class Pools {
        final List<String> shoppers =
                List.of("fz-s0", "fz-s1", "fz-s2", "fz-s3", "fz-s4", "fz-s5", "fz-s6", "fz.s+7@shop");
        final List<String> campaigns = List.of("fz-c0", "fz-c1", "fz-c2");
        final List<String> skus = List.of("fz-sku-0", "fz-sku-1", "fz-sku-2", "fz-sku-3", "fz-sku-4", "fz-sku-5");
        final List<String> orders = new CopyOnWriteArrayList<>(List.of("fz-o0", "fz-o1", "fz-o2"));
        /** "shopperId couponId" of offers issued. */
        final List<String> coupons = new CopyOnWriteArrayList<>();
        /** "shopperId identity" of identities linked. */
        final List<String> links = new CopyOnWriteArrayList<>();

        final List<String> decisions = new CopyOnWriteArrayList<>();
        final List<String> etags = new CopyOnWriteArrayList<>();
        final List<String> tokens = new CopyOnWriteArrayList<>();
        /** By operation id: the {@code nextCursor}s its pages gave. */
        final Map<String, List<String>> cursors = new ConcurrentHashMap<>();
    }

    @Test
    void noGeneratedRequestToAnyOperationGetsA5xxAndEvery4xxIsProblemJson() throws Exception {
        long seed = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
        long begun = System.nanoTime();
        try (var node = NodeHarness.start(NodeHarness.freshSchema("fuzz"), CONFIG)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> node.management("/ready").statusCode() == 200);
            long ready = System.nanoTime();
            var pools = new Pools();
            createEntities(node, pools);
            System.out.printf(
                    "Fuzz: node ready in %.1f s, entities created in %.1f s%n",
                    (ready - begun) / 1e9, (System.nanoTime() - ready) / 1e9);
            var requests = new OpenApiRequests(pools, KEYS, seed);
            var exchange = new FuzzExchange(node.httpPort);

            long started = System.nanoTime();
            var next = new AtomicInteger();
            var workers = Executors.newFixedThreadPool(IN_FLIGHT);
            var done = new ArrayList<Future<?>>();
            for (int w = 0; w < IN_FLIGHT; w++)
                done.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                        var q = requests.request(i);
                        learn(pools, q, exchange.exchange(q));
                    }
                    return null;
                }));
            workers.shutdown();
            for (var f : done) f.get(10, TimeUnit.MINUTES);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            var report = report(requests, exchange, seed, millis);
            System.out.println(report);
            Files.writeString(
                    Path.of("target", "api-fuzz-failures.txt"), String.join("\n", exchange.failures) + "\n" + report);
            assertThat(requests.operations).hasSize(exchange.counts.size());
            assertThat(exchange.sent.get()).isGreaterThanOrEqualTo(REQUESTS);
            assertThat(exchange.failures)
                    .as(
                            "%d of %d requests broke the contract (seed %d, re-run with -Dfuzz.seed=%d); by problem %s;"
                                    + " %d of them, each kind first (all in target/api-fuzz-failures.txt):%n%s%n%s",
                            exchange.failures.size(),
                            exchange.sent.get(),
                            seed,
                            seed,
                            new TreeMap<>(exchange.failuresByProblem),
                            SHOWN,
                            String.join("\n", firstOfEachKind(exchange.failures)),
                            report)
                    .isEmpty();
        }
    }

    /**
     * Entities the valid requests find: a catalogue of six SKUs (two priced dynamically), three campaigns, shoppers
     * with events, profiles and offers, a linked identity, orders, and tracking tokens for the offers.
     */
    private static void createEntities(NodeHarness node, Pools pools) throws Exception {
        var now = Instant.now();
        var catalog = new ArrayList<String>();
        for (int i = 0; i < pools.skus.size(); i++)
            catalog.add("{\"sku\":\"%s\",\"listPrice\":20.00,\"cost\":8.00,\"category\":\"c%d\",\"name\":\"Fuzz %d\"}"
                    .formatted(pools.skus.get(i), i % 4, i));
        ok(node.put("/v1/catalog/skus", "{\"skus\":[" + String.join(",", catalog) + "]}"), 200);
        for (var sku : pools.skus.subList(0, 2))
            ok(
                    node.put(
                            "/v1/skus/" + sku,
                            """
                {"listPrice": 20.00, "cost": 8.00, "floor": 14.00, "ceiling": 26.00, "maxStepPercent": 10,
                 "minMarginPercent": 10, "repriceEvery": "PT1H", "policy": "thompson"}"""),
                    200);
        var coupons = List.of(
                "{\"type\":\"amount_off\",\"value\":5}",
                "{\"type\":\"percent_off\",\"value\":10,\"maxDiscount\":20,\"stackGroup\":\"g1\"}",
                "{\"type\":\"threshold_amount_off\",\"value\":10,\"minSpend\":30,\"stackGroup\":\"g2\"}");
        for (int i = 0; i < pools.campaigns.size(); i++)
            ok(
                    node.post(
                            "/v1/campaigns",
                            """
                {"campaignId":"%s","name":"Fuzz %d","coupon":%s,"budget":100000,"validDays":7,"startsAt":"%s",
                 "endsAt":"%s","objective":"activation","pacing":"asap","exploration":1}"""
                                    .formatted(
                                            pools.campaigns.get(i),
                                            i,
                                            coupons.get(i),
                                            now.minus(Duration.ofHours(1)),
                                            now.plus(Duration.ofDays(30)))),
                    201);
        for (var shopper : pools.shoppers) {
            var path = "/v1/shoppers/" + shopper.replace("+", "%2B");
            ok(
                    node.post(
                            "/v1/events",
                            "{\"events\":[{\"eventId\":\"fz-seed-%s\",\"shopperId\":\"%s\",\"type\":\"add_to_cart\",\"sku\":\"fz-sku-0\",\"occurredAt\":\"%s\"}]}"
                                    .formatted(shopper, shopper, now.minusSeconds(30))),
                    202);
            ok(node.put(path + "/profile", "{\"consent\":{\"sms\":true},\"tags\":[\"vip\"]}"), 200);
        }
        // the campaigns reach the node's catalogue through Distributed Data: decide until one is issued
        var decided = new AtomicInteger();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    var shopper = pools.shoppers.get(decided.getAndIncrement() % pools.shoppers.size());
                    var answer = node.post("/v1/shoppers/" + shopper.replace("+", "%2B") + "/offers/decide", "");
                    learnOffers(pools, answer.body());
                    return !pools.coupons.isEmpty() && decided.get() >= pools.shoppers.size();
                });
        var withCoupon = pools.coupons.get(0).split(" ");
        ok(
                node.post(
                        "/v1/orders",
                        "{\"orderId\":\"fz-o0\",\"shopperId\":\"%s\",\"items\":[{\"sku\":\"fz-sku-2\",\"quantity\":2}],\"couponIds\":[\"%s\"]}"
                                .formatted(withCoupon[0], withCoupon[1])),
                201);
        for (int i = 1; i < 3; i++)
            ok(
                    node.post(
                            "/v1/orders",
                            "{\"orderId\":\"fz-o%d\",\"shopperId\":\"fz-s%d\",\"items\":[{\"sku\":\"fz-sku-%d\",\"quantity\":1}]}"
                                    .formatted(i, i, i + 2)),
                    201);
        ok(node.post("/v1/shoppers/fz-s0/links", "{\"identity\":\"email:fz-linked@example.com\"}"), 200);
        pools.links.add("fz-s0 email:fz-linked@example.com");
        var tokens = TrackingTokens.create(node.system);
        for (int i = 0; i < pools.shoppers.size(); i++) {
            var expires = i == 0 ? now.minusSeconds(60) : now.plus(Duration.ofDays(1));
            pools.tokens.add(tokens.mint(new Link(
                    pools.shoppers.get(i).replace("+", "-"),
                    "fz-offer-" + i,
                    i < pools.coupons.size() ? pools.coupons.get(i).split(" ")[1] : "CPN-fz-" + i,
                    i % 2 == 0 ? "email" : "sms",
                    i % 2 == 0 ? Kind.OPEN : Kind.CLICK,
                    URI.create("https://shop.example/c/" + i),
                    expires,
                    false)));
        }
    }

    /** Up to {@link #SHOWN} failures: the first of each kind (what went wrong, with its status), then the next. */
    private static List<String> firstOfEachKind(List<String> failures) {
        var byKind = new java.util.LinkedHashMap<String, String>();
        failures.forEach(f -> byKind.putIfAbsent(f.substring(0, f.indexOf('\n')), f));
        var shown = new java.util.LinkedHashSet<>(byKind.values());
        shown.addAll(failures);
        return shown.stream().limit(SHOWN).toList();
    }

    private static void ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode())
                .as("setting up: %s %s", response.request().uri(), response.body())
                .isEqualTo(status);
    }

    /** Remembers what later requests can use: coupons, decisions, entity tags, cursors, links, orders. */
    private static void learn(Pools pools, FuzzRequest q, Answer a) {
        if (a.status() < 200 || a.status() >= 300 || !a.contentType().startsWith("application/json")) return;
        if (a.etag() != null) remember(pools.etags, a.etag());
        var body = json(a.body());
        if (body == null) return;
        learnOffers(pools, a.body());
        if (body.hasNonNull("nextCursor"))
            remember(
                    pools.cursors.computeIfAbsent(q.op().id(), k -> new CopyOnWriteArrayList<>()),
                    body.get("nextCursor").asText());
        if (q.op().id().equals("postLink") && body.has("identity"))
            remember(
                    pools.links,
                    body.path("shopperId").asText() + " " + body.get("identity").asText());
        if (q.op().id().equals("placeOrder") && body.has("orderId"))
            remember(pools.orders, body.get("orderId").asText());
    }

    private static void learnOffers(Pools pools, String answer) {
        var body = json(answer);
        if (body == null) return;
        if (body.hasNonNull("decisionId"))
            remember(pools.decisions, body.get("decisionId").asText());
        for (var offer : body.path("offers"))
            if (offer.has("couponId") && body.has("shopperId"))
                remember(
                        pools.coupons,
                        body.get("shopperId").asText() + " "
                                + offer.get("couponId").asText());
    }

    private static void remember(List<String> list, String value) {
        if (list.size() < 200 && !list.contains(value)) list.add(value);
    }

    private static JsonNode json(String body) {
        try {
            var node = SchemaValues.JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Requests per operation by kind and status, failures by problem, the seed and the time taken. */
    private static String report(OpenApiRequests requests, FuzzExchange exchange, long seed, long millis) {
        var sb = new StringBuilder("%nFuzzed %d requests over %d operations in %.1f s (seed %d: -Dfuzz.seed=%d)%n"
                .formatted(exchange.sent.get(), requests.operations.size(), millis / 1000.0, seed, seed));
        sb.append("%-58s %6s %6s %6s %6s %6s  %s%n"
                .formatted("operation", "total", "valid", "bound", "malf", "avg ms", "statuses"));
        for (var op : requests.operations) {
            var counts = exchange.counts.getOrDefault(op.label(), Map.of());
            int valid = get(counts, "VALID"), boundary = get(counts, "BOUNDARY"), malformed = get(counts, "MALFORMED");
            var statuses = new TreeMap<String, Integer>();
            counts.forEach((k, v) -> {
                if (k.startsWith("status ")) statuses.put(k.substring(7), v.get());
            });
            int total = valid + boundary + malformed;
            int average = get(counts, "millis") / Math.max(1, total);
            sb.append("%-58s %6d %6d %6d %6d %6d  %s%n"
                    .formatted(op.label(), total, valid, boundary, malformed, average, statuses));
        }
        sb.append("Failures: ")
                .append(exchange.failures.size())
                .append(' ')
                .append(new TreeMap<>(exchange.failuresByProblem));
        return sb.toString();
    }

    private static int get(Map<String, AtomicInteger> counts, String key) {
        var n = counts.get(key);
        return n == null ? 0 : n.get();
    }
}
