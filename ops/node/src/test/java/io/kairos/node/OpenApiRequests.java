package io.kairos.node;

import static io.kairos.node.SchemaValues.JSON;
import static io.kairos.node.SchemaValues.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kairos.node.ApiFuzzIT.Pools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Requests for every operation of openapi.yaml, generated from the document (its paths, parameters and request-body
 * schemas, {@code $ref}s resolved into {@code components}): valid ones, boundary ones ({@link #boundary}) and malformed
 * ones ({@link RequestMutations}). Valid values come from small pools of shopper, campaign, SKU and order ids and from
 * what the test learned from answers (coupons, decisions, links, entity tags, cursors, tracking tokens), so they find
 * existing entities some of the time. Request {@code i} of a run depends only on the seed, {@code i} and what was
 * learned.
 */
final class OpenApiRequests {
    private static final List<String> METHODS = List.of("get", "put", "post", "patch", "delete");

    enum Kind {
        VALID,
        BOUNDARY,
        MALFORMED
    }

    record Param(String name, String in, boolean required, JsonNode schema) {}

    record Operation(
            String id,
            String method,
            String template,
            List<Param> params,
            JsonNode body,
            String mediaType,
            boolean bodyRequired,
            List<String> roles,
            boolean open) {
        String label() {
            return method + " " + template;
        }

        List<Param> params(String in) {
            return params.stream().filter(p -> p.in().equals(in)).toList();
        }
    }

    /**
     * One request to send: {@code target} is the path and query exactly as sent; {@code expect} is the status it must
     * get (0: any but 5xx, -1: any 4xx).
     */
    record FuzzRequest(
            Operation op,
            Kind kind,
            String what,
            String method,
            String target,
            List<Map.Entry<String, String>> headers,
            byte[] body,
            int expect) {}

    final List<Operation> operations;
    final Map<String, Set<String>> declared = new HashMap<>();
    final Pools pools;
    final Map<String, String> keys;
    private final long seed;

    /** {@code keys}: an API key per role (admin, ingest, operator, auditor) and an expired one ("expired"). */
    OpenApiRequests(Pools pools, Map<String, String> keys, long seed) {
        this.operations = load();
        this.pools = pools;
        this.keys = keys;
        this.seed = seed;
        for (var op : operations)
            declared.computeIfAbsent(op.template(), t -> new TreeSet<>()).add(op.method());
    }

    /** The operations of {@code /openapi.yaml} on the classpath. */
    static List<Operation> load() {
        try (var in = OpenApiRequests.class.getResourceAsStream("/openapi.yaml")) {
            var document = new ObjectMapper(new YAMLFactory()).readTree(in);
            var paths = resolve(document, document.get("paths"), 0);
            var operations = new ArrayList<Operation>();
            paths.fields().forEachRemaining(path -> {
                var shared = params(path.getValue().get("parameters"));
                path.getValue().fields().forEachRemaining(m -> {
                    if (!METHODS.contains(m.getKey())) return;
                    var op = m.getValue();
                    var params = new ArrayList<>(shared);
                    params.addAll(params(op.get("parameters")));
                    var content = op.path("requestBody").path("content");
                    var media =
                            content.size() == 0 ? null : content.fieldNames().next();
                    var roles = new ArrayList<String>();
                    op.path("x-roles").forEach(r -> roles.add(r.asText()));
                    operations.add(new Operation(
                            op.path("operationId").asText(),
                            m.getKey().toUpperCase(Locale.ROOT),
                            path.getKey(),
                            params,
                            media == null ? null : content.get(media).path("schema"),
                            media,
                            op.path("requestBody").path("required").asBoolean(false),
                            roles,
                            op.has("security") && op.get("security").isEmpty()));
                });
            });
            return List.copyOf(operations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Param> params(JsonNode list) {
        var params = new ArrayList<Param>();
        if (list != null)
            list.forEach(p -> params.add(new Param(
                    p.get("name").asText(),
                    p.get("in").asText(),
                    p.path("required").asBoolean(false),
                    p.path("schema"))));
        return params;
    }

    /** {@code node} with every {@code $ref} replaced by what it points to in {@code document}. */
    static JsonNode resolve(JsonNode document, JsonNode node, int depth) {
        if (depth > 60) throw new IllegalStateException("$ref cycle in openapi.yaml");
        if (node.isObject() && node.has("$ref"))
            return resolve(document, document.at(node.get("$ref").asText().substring(1)), depth + 1);
        if (node.isObject()) {
            var copy = NODES.objectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), resolve(document, f.getValue(), depth + 1)));
            return copy;
        }
        if (node.isArray()) {
            var copy = NODES.arrayNode();
            node.forEach(e -> copy.add(resolve(document, e, depth + 1)));
            return copy;
        }
        return node;
    }

    /** Request {@code i} of the run: operations in turn; 40 % valid, 25 % boundary, 35 % malformed. */
    FuzzRequest request(int i) {
        var random = new Random(new SplittableRandom(seed + i * 0x9E3779B97F4A7C15L).nextLong());
        var op = operations.get(i % operations.size());
        double p = random.nextDouble();
        var draft = new Draft(op, p < 0.40 ? Kind.VALID : p < 0.65 ? Kind.BOUNDARY : Kind.MALFORMED, random);
        if (draft.kind == Kind.BOUNDARY) boundary(draft);
        if (draft.kind == Kind.MALFORMED) new RequestMutations(this, draft).apply();
        return draft.done();
    }

    /** A request being built: valid at first, then changed in one place. */
    final class Draft {
        final Operation op;
        final Kind kind;
        final Random random;
        final SchemaValues values;
        final Map<String, String> context = new HashMap<>();
        final Map<String, String> path = new LinkedHashMap<>();
        final Map<String, String> query = new LinkedHashMap<>();
        final Map<String, String> headers = new LinkedHashMap<>();
        String what = "valid";
        String method;
        String pathOverride;
        String contentType;
        boolean hasBody;
        byte[] rawBody;
        int expect;

        Draft(Operation op, Kind kind, Random random) {
            this.op = op;
            this.kind = kind;
            this.random = random;
            this.method = op.method();
            this.values = new SchemaValues(random, this::hint);
            if (!pools.coupons.isEmpty() && random.nextBoolean()) pair(pools.coupons, "couponId");
            if (op.template().contains("{identity}") && !pools.links.isEmpty() && random.nextInt(4) > 0)
                pair(pools.links, "identity");
            // Erasure gets ids of its own: an erased pool shopper would answer every later request as erased.
            if (op.id().equals("eraseShopper")) context.put("shopperId", "fz-erased-" + values.id(8));
            var cursors = pools.cursors.get(op.id());
            if (cursors != null && !cursors.isEmpty()) context.put("cursor", pick(cursors));
            for (var p : op.params("path")) path.put(p.name(), encode(value(p), false));
            for (var p : op.params("query"))
                if (p.required()
                        || random.nextBoolean() && (!p.name().equals("cursor") || context.containsKey("cursor")))
                    query.put(p.name(), encode(value(p), true));
            for (var p : op.params("header")) if (p.required() || random.nextBoolean()) headers.put(p.name(), value(p));
            if (!op.open()) headers.put("Authorization", "Bearer " + keyFor(op));
            if (op.body() != null && (op.bodyRequired() || random.nextInt(4) > 0)) ensureBody();
        }

        void ensureBody() {
            if (hasBody || op.body() == null) return;
            values.body(op.body());
            hasBody = true;
            contentType = op.mediaType();
        }

        private void pair(List<String> learned, String second) {
            var pair = pick(learned).split(" ", 2);
            context.put("shopperId", pair[0]);
            context.put(second, pair[1]);
        }

        String value(Param p) {
            return values.text(p.schema(), p.name());
        }

        /** A value for a property or parameter name from the pools, or null to let its schema decide. */
        private String hint(String name, Random r) {
            if (context.containsKey(name)) return context.get(name);
            return switch (name) {
                case "shopperId" -> r.nextInt(5) > 0 ? pick(pools.shoppers) : "fz-guest-" + values.id(8);
                case "campaignId" -> r.nextInt(5) > 0 ? pick(pools.campaigns) : values.id(10);
                case "sku" -> r.nextInt(6) > 0 ? pick(pools.skus) : "fz-sku-x" + r.nextInt(50);
                case "skus" -> skus(1 + r.nextInt(5));
                case "orderId" -> r.nextInt(3) > 0 ? pick(pools.orders) : "fz-o-" + Long.toHexString(r.nextLong());
                case "couponId" ->
                    pools.coupons.isEmpty()
                            ? values.id(12)
                            : pick(pools.coupons).split(" ")[1];
                case "eventId" -> "fz-e-" + Long.toHexString(r.nextLong());
                case "identity" -> identity(r);
                case "decisionId" ->
                    r.nextBoolean() && !pools.decisions.isEmpty()
                            ? pick(pools.decisions)
                            : "price:" + pick(pools.skus) + ":" + (1 + r.nextInt(4));
                case "name" -> r.nextInt(4) > 0 ? "offer-uplift" : values.id(10);
                case "token" -> pools.tokens.isEmpty() || r.nextInt(4) == 0 ? forgedToken() : pick(pools.tokens);
                case "repriceEvery" -> pick(List.of("PT1H", "PT5M", "PT30M", "P1D"));
                case "timeZone" -> pick(List.of("Europe/Berlin", "Asia/Shanghai", "UTC", "America/New_York"));
                case "currency" -> pick(List.of("EUR", "EUR", "USD"));
                case "channel" -> pick(List.of("in_app", "email", "sms", "push"));
                case "category" -> "c" + r.nextInt(4);
                case "stackGroup" -> "g" + r.nextInt(2);
                case "tag" -> pick(List.of("vip", "new", "fz"));
                case "Idempotency-Key" -> r.nextInt(3) == 0 ? "fz-idem-" + r.nextInt(4) : null;
                case "If-Match" -> pools.etags.isEmpty() || r.nextInt(4) == 0 ? "\"fz\"" : pick(pools.etags);
                case "Last-Event-ID" -> Integer.toString(r.nextInt(30));
                default -> null;
            };
        }

        String skus(int n) {
            var list = new ArrayList<String>();
            for (int i = 0; i < n; i++) list.add(encode(hint("sku", random), true));
            return String.join(",", list);
        }

        private String identity(Random r) {
            return switch (r.nextInt(4)) {
                case 0 -> "email:fz" + r.nextInt(1000) + "@example.com";
                case 1 -> "phone:+49151" + (10_000_000 + r.nextInt(89_999_999));
                case 2 -> "device:" + values.id(12);
                default -> "openid:o6_" + values.id(20);
            };
        }

        String forgedToken() {
            return "eyJ" + values.id(40).replaceAll("[^A-Za-z0-9]", "x") + ".k1."
                    + values.id(43).replaceAll("[^A-Za-z0-9]", "_");
        }

        String keyFor(Operation o) {
            var roles = new ArrayList<>(o.roles());
            roles.add("admin");
            return keys.get(pick(roles));
        }

        <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }

        /** Percent-encodes all but unreserved characters (and, some of the time in paths, ':' and '@' and '+'). */
        String encode(String s, boolean inQuery) {
            var sb = new StringBuilder();
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                boolean plain = c < 128
                        && (Character.isLetterOrDigit(c)
                                || "-._~".indexOf(c) >= 0
                                || !inQuery && ":@+".indexOf(c) >= 0 && random.nextBoolean()
                                || inQuery && c == ',');
                sb.append(plain ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
            }
            return sb.toString();
        }

        FuzzRequest done() {
            var target = new StringBuilder();
            if (pathOverride != null) target.append(pathOverride);
            else {
                var p = op.template();
                for (var e : path.entrySet()) p = p.replace("{" + e.getKey() + "}", e.getValue());
                target.append(p);
            }
            var sep = "?";
            for (var e : query.entrySet()) {
                target.append(sep).append(e.getKey()).append(e.getValue() == null ? "" : "=" + e.getValue());
                sep = "&";
            }
            byte[] body = rawBody;
            if (body == null && hasBody) {
                try {
                    body = JSON.writeValueAsBytes(values.root());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            var all = new ArrayList<Map.Entry<String, String>>(headers.entrySet());
            if (body != null && contentType != null) all.add(Map.entry("Content-Type", contentType));
            return new FuzzRequest(op, kind, what, method, target.toString(), List.copyOf(all), body, expect);
        }
    }

    /** One value at or just past a bound: in the body, a path id, a query parameter, a header, or no body. */
    private void boundary(Draft d) {
        var op = d.op;
        var choices = new ArrayList<Runnable>();
        if (op.body() != null) {
            d.ensureBody();
            for (int i = 0; i < 4; i++)
                choices.add(() -> {
                    var site = d.pick(d.values.sites);
                    var v = d.values.boundary(site.schema(), site.name());
                    site.set(v.node());
                    d.what = "body " + site.name() + ": " + v.what();
                });
            if (!op.bodyRequired())
                choices.add(() -> {
                    d.hasBody = d.random.nextBoolean();
                    d.rawBody = d.hasBody ? "null".getBytes(StandardCharsets.UTF_8) : null;
                    d.what = d.hasBody ? "body null" : "no body";
                });
        }
        for (var p : op.params("path"))
            choices.add(() -> {
                int max = p.schema().path("maxLength").asInt(128);
                int n = d.random.nextBoolean() ? max : max + 1;
                d.path.put(p.name(), d.values.id(n).replaceAll("[^A-Za-z0-9]", "x"));
                d.what = "path " + p.name() + " of " + n;
            });
        for (var p : op.params("query"))
            choices.add(() -> {
                String value;
                if (p.name().equals("skus")) {
                    int n = d.pick(List.of(0, 1, 200, 201, -200));
                    value = n >= 0 ? d.skus(n) : String.join(",", java.util.Collections.nCopies(200, d.values.id(128)));
                    d.what = n >= 0 ? "query skus: " + n : "query skus: 200 of 128 characters";
                } else {
                    var v = d.values.boundary(p.schema(), p.name());
                    value = v.node().isTextual() ? v.node().asText() : v.node().toString();
                    d.what = "query " + p.name() + ": " + v.what();
                }
                d.query.put(p.name(), d.encode(value, true));
            });
        for (var p : op.params("header"))
            choices.add(() -> {
                var v = d.values.boundary(p.schema(), p.name());
                d.headers.put(p.name(), v.node().asText());
                d.what = "header " + p.name() + ": " + v.what();
            });
        if (choices.isEmpty())
            choices.add(() -> {
                d.query.put("fuzz", "1");
                d.what = "unknown query parameter";
            });
        d.pick(choices).run();
    }
}
