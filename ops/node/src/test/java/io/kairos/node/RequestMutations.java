package io.kairos.node;

import static io.kairos.node.SchemaValues.JSON;
import static io.kairos.node.SchemaValues.literals;
import static io.kairos.node.SchemaValues.raw;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kairos.node.OpenApiRequests.Draft;
import io.kairos.node.SchemaValues.Site;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a valid request into a malformed one, in one place: the body (wrong JSON types, huge numbers, unicode, deep
 * nesting, 100 KB strings, a body over {@code max-body-bytes}, duplicate keys, missing required and unknown fields,
 * text that is not JSON, invalid UTF-8, a wrong Content-Type, a body on a read), a path parameter, a query parameter, a
 * header, the {@code Authorization} header, the method or the path. Where the API promises a status (401 without a
 * valid key, 403 for a key of the wrong role, 413 for a body over the limit, a 4xx for an undeclared method or path)
 * the request says so in {@code expect}.
 */
final class RequestMutations {
    private static final List<String> NOT_JSON = literals("|not json|{|}|[1,2|{\"a\":1}}|<xml/>|a=1&b=2|null|true|0|"
            + "\"text\"|[]|{}|{'a':1}|{a:1}|/* comment */ {}|NaN|{\"a\":NaN}|[,]|{\"a\"}|\u0000|\uFEFF{}");
    private static final List<String> CONTENT_TYPES = literals("text/plain|application/xml|"
            + "application/x-www-form-urlencoded|multipart/form-data; boundary=x|application/octet-stream|"
            + "application/json; charset=utf-16|application/jsonx|application/problem+json|*/*|garbage|");
    private static final List<String> SEGMENTS = literals("%2F|a%2Fb|..|.|%2E%2E|%20|a%20b|%C3%BC|%F0%9F%8E%89|"
            + "%E2%80%AE|%00|%25|a%3Bb|%3F|*|%5C|%ZZ|%|%C3%28|%FF|%EF%BB%BF|~|a b|\u00fc|");
    private static final List<String> BAD_QUERY_VALUES = literals("abc|1.5|-1|99999999999999999999||0x10|1e3|"
            + "unknown|ACTIVE|yesterday|2026-13-45T99:99:99Z|1700000000|%00|%ZZ|,,,|a%20b,%C3%BC|%F0%9F%8E%89");
    private static final List<String> METHODS = List.of("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS");

    private final OpenApiRequests requests;
    private final Draft d;

    RequestMutations(OpenApiRequests requests, Draft draft) {
        this.requests = requests;
        this.d = draft;
    }

    void apply() {
        var op = d.op;
        var choices = new ArrayList<Runnable>();
        if (op.body() != null) {
            add(choices, 3, this::wrongType);
            add(choices, 2, () -> hostile("number", Set.of("number", "integer")));
            add(choices, 2, () -> hostile("unicode", Set.of("string")));
            add(choices, 1, () -> hostile("long", Set.of("string")));
            add(choices, 2, this::deep);
            add(choices, 1, this::oversize);
            add(choices, 1, this::duplicateKey);
            add(choices, 1, this::missingRequired);
            add(choices, 1, this::unknownField);
            add(choices, 2, this::notJson);
            add(choices, 1, this::invalidUtf8);
            add(choices, 1, this::contentType);
        } else add(choices, 1, this::bodyOnRead);
        if (!op.params("path").isEmpty()) add(choices, 2, this::path);
        add(choices, op.params("query").isEmpty() ? 1 : 2, this::query);
        if (!op.params("header").isEmpty()) add(choices, 1, this::header);
        if (!op.open()) add(choices, 2, this::authorization);
        add(choices, 1, this::method);
        add(choices, 1, this::unknownPath);
        d.pick(choices).run();
    }

    private static void add(List<Runnable> choices, int weight, Runnable r) {
        for (int i = 0; i < weight; i++) choices.add(r);
    }

    /** A site of the body, preferring values of {@code types}; the body itself if it has nothing else. */
    private Site site(Set<String> types) {
        d.ensureBody();
        var sites = d.values.sites;
        var preferred = sites.stream().filter(s -> types.contains(s.type())).toList();
        if (!preferred.isEmpty() && d.random.nextInt(4) > 0) return d.pick(preferred);
        return d.pick(sites);
    }

    private void wrongType() {
        var site = site(Set.of());
        var v = d.values.wrongType(site.schema());
        site.set(v.node());
        d.what = "wrong type at " + site.name() + ": " + v.what();
    }

    private void hostile(String which, Set<String> types) {
        var site = site(types);
        var v = d.values.hostile(which);
        site.set(v.node());
        d.what = which + " at " + site.name() + ": " + abbreviate(v.what());
    }

    private void deep() {
        if (d.random.nextBoolean()) hostile("deep", Set.of("object", "array"));
        else {
            d.ensureBody();
            var deep = d.pick(SchemaValues.DEEP);
            d.rawBody = deep.getBytes(StandardCharsets.UTF_8);
            d.what = "body nested " + deep.substring(0, 6) + "... x10000";
        }
    }

    /** Over the 1 MiB {@code max-body-bytes} (and some of the time over the server's 2 MiB cap): 413. */
    private void oversize() {
        d.ensureBody();
        int size = (d.random.nextInt(4) == 0 ? 2_600_000 : 1_048_577) + d.random.nextInt(65_536);
        var field = d.values.root().isObject() && d.values.root().size() > 0
                ? d.values.root().fieldNames().next()
                : "pad";
        d.rawBody = ("{\"" + field + "\":\"" + "x".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
        d.expect = 413;
        d.what = "body of " + d.rawBody.length + " bytes";
    }

    private void duplicateKey() {
        var objects = objects();
        var site = d.pick(objects);
        var object = (ObjectNode) site.get();
        String text;
        if (object.isEmpty()) text = "{\"a\":1,\"a\":2}";
        else {
            var key = d.pick(iterable(object));
            text = "{" + json(JSON.getNodeFactory().textNode(key)) + ":" + json(object.get(key)) + ","
                    + json(object).substring(1);
        }
        site.set(raw(text));
        d.what = "duplicate key in " + site.name();
    }

    private void missingRequired() {
        var candidates = objects().stream()
                .filter(s -> !SchemaValues.names(SchemaValues.merged(s.schema()).get("required"))
                        .isEmpty())
                .toList();
        if (candidates.isEmpty()) {
            unknownField();
            return;
        }
        var site = d.pick(candidates);
        var required = new ArrayList<>(
                SchemaValues.names(SchemaValues.merged(site.schema()).get("required")));
        var field = required.get(d.random.nextInt(required.size()));
        ((ObjectNode) site.get()).remove(field);
        d.what = "missing required " + site.name() + "." + field;
    }

    private void unknownField() {
        var site = d.pick(objects());
        ((ObjectNode) site.get()).put("fuzzUnknown", d.random.nextBoolean() ? "x" : "1");
        d.what = "unknown field in " + site.name();
    }

    private List<Site> objects() {
        d.ensureBody();
        var objects = d.values.sites.stream().filter(s -> s.get().isObject()).toList();
        if (!objects.isEmpty()) return objects;
        d.values.sites.get(0).set(JSON.createObjectNode());
        return List.of(d.values.sites.get(0));
    }

    private void notJson() {
        d.ensureBody();
        int pick = d.random.nextInt(NOT_JSON.size() + 2);
        var valid = json(d.values.root());
        var text = pick == NOT_JSON.size()
                ? "\uFEFF" + valid
                : pick == NOT_JSON.size() + 1 ? valid + " trailing" : NOT_JSON.get(pick);
        d.rawBody = text.getBytes(StandardCharsets.UTF_8);
        d.what = "not JSON: " + abbreviate(text);
    }

    private void invalidUtf8() {
        d.ensureBody();
        var valid = json(d.values.root()).getBytes(StandardCharsets.UTF_8);
        var bytes = new ByteArrayOutputStream();
        int at = Math.max(0, indexOfString(valid));
        bytes.write(valid, 0, at);
        var bad = d.pick(List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF, (byte) 0xFE}, new byte[] {
            (byte) 0xED, (byte) 0xA0, (byte) 0x80
        }));
        bytes.write(bad, 0, bad.length);
        bytes.write(valid, at, valid.length - at);
        d.rawBody = bytes.toByteArray();
        d.what = "invalid UTF-8 at byte " + at;
    }

    /** Just inside the first string value, or 0. */
    private static int indexOfString(byte[] json) {
        for (int i = 1; i < json.length; i++) if (json[i] == '"' && json[i - 1] == ':') return i + 1;
        return 0;
    }

    private void contentType() {
        d.ensureBody();
        var type = d.pick(CONTENT_TYPES);
        d.contentType = type.isEmpty() ? null : type;
        d.what = "Content-Type " + (type.isEmpty() ? "missing" : type);
    }

    private void bodyOnRead() {
        d.hasBody = true;
        d.rawBody = "{\"fuzz\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
        d.contentType = "application/json";
        d.what = "JSON body on " + d.op.method();
    }

    private void path() {
        var p = d.pick(d.op.params("path"));
        int pick = d.random.nextInt(SEGMENTS.size() + 2);
        var segment = pick < SEGMENTS.size()
                ? SEGMENTS.get(pick)
                : d.values.id(pick == SEGMENTS.size() ? 129 + d.random.nextInt(1000) : 5000);
        d.path.put(p.name(), segment.length() > 128 ? segment.replaceAll("[^A-Za-z0-9]", "x") : segment);
        d.what = "path " + p.name() + ": " + abbreviate(segment);
    }

    private void query() {
        var params = d.op.params("query");
        int pick = d.random.nextInt(5);
        if (params.isEmpty() || pick == 0) {
            var junk = d.pick(List.of("fuzz=1", "%ZZ", "&&&", "a=%", "=x", "limit=-1"));
            d.query.put(junk, null);
            d.what = "query " + junk;
            return;
        }
        var p = d.pick(params);
        switch (pick) {
            case 1 -> {
                d.query.remove(p.name());
                d.query.put(p.name(), "1&" + p.name() + "=2");
                d.what = "query " + p.name() + " repeated";
            }
            case 2 -> {
                d.query.remove(p.name());
                d.what = "query " + p.name() + " missing" + (p.required() ? " (required)" : "");
            }
            case 3 -> {
                d.query.put(p.name(), "x".repeat(d.random.nextBoolean() ? 3000 : 10_000));
                d.what = "query " + p.name() + " very long";
            }
            default -> {
                var value = d.pick(BAD_QUERY_VALUES);
                d.query.put(p.name(), p.name().equals("skus") && value.equals("abc") ? d.skus(201) : value);
                d.what = "query " + p.name() + "=" + abbreviate(value);
            }
        }
    }

    private void header() {
        var p = d.pick(d.op.params("header"));
        var value = d.pick(List.of(
                "\u00fc\uD83C\uDF89",
                "\u0001ctl",
                " ",
                "x".repeat(10_000),
                "garbage",
                "*",
                "W/\"x\"",
                "\"open",
                "-5",
                "99999999999999999999999",
                "1e3"));
        d.headers.put(p.name(), value);
        d.what = "header " + p.name() + ": " + abbreviate(value);
    }

    /** No key, an unknown, expired or malformed one, or one of a role the operation does not allow. */
    private void authorization() {
        var valid = d.headers.get("Authorization");
        var wrongRoles = new ArrayList<>(List.of("ingest", "operator", "auditor"));
        wrongRoles.removeAll(d.op.roles());
        int pick = d.random.nextInt(wrongRoles.isEmpty() ? 8 : 10);
        d.expect = 401;
        switch (pick) {
            case 0 -> d.headers.remove("Authorization");
            case 1 -> d.headers.put("Authorization", "Bearer not-a-key-" + d.values.id(12));
            case 2 -> d.headers.put("Authorization", "Basic YWRtaW46YWRtaW4=");
            case 3 -> d.headers.put("Authorization", "Bearer ");
            case 4 -> d.headers.put("Authorization", "Bearer " + requests.keys.get("expired"));
            case 5 -> d.headers.put("Authorization", valid + " extra");
            case 6 -> {
                d.headers.put("Authorization", "Bearer " + "k".repeat(9000));
                d.expect = -1;
            }
            case 7 -> {
                d.headers.put("Authorization", "bearer " + valid.substring(7));
                d.expect = 0;
            }
            default -> {
                d.headers.put("Authorization", "Bearer " + requests.keys.get(d.pick(wrongRoles)));
                d.expect = 403;
            }
        }
        d.what = "Authorization: " + abbreviate(d.headers.getOrDefault("Authorization", "(none)"));
    }

    /** A method the path does not declare (405 or 404), some of the time one no HTTP standard defines. */
    private void method() {
        var undeclared = new ArrayList<>(METHODS);
        undeclared.removeAll(requests.declared.get(d.op.template()));
        if (d.op.method().equals("GET")) undeclared.remove("HEAD");
        boolean extension = undeclared.isEmpty() || d.random.nextInt(6) == 0;
        d.method = extension ? d.pick(List.of("FOO", "PROPFIND", "PURGE")) : d.pick(undeclared);
        d.expect = -1;
        d.what = "method " + d.method;
    }

    private void unknownPath() {
        var path = d.op.template();
        for (var e : d.path.entrySet()) path = path.replace("{" + e.getKey() + "}", e.getValue());
        var variants = List.of(
                path + "/nope",
                "/v1/nope-" + d.values.id(6),
                "/V1" + path.substring(3),
                "/v2" + path.substring(3),
                "/" + path,
                path + "/");
        int pick = d.random.nextInt(variants.size());
        d.pathOverride = variants.get(pick);
        d.expect = pick < 4 ? -1 : 0;
        d.what = "path " + d.pathOverride;
    }

    private static List<String> iterable(ObjectNode object) {
        var names = new ArrayList<String>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "...(" + s.length() + " chars)" : s;
    }
}
