package io.kairos.http;

import io.kairos.wire.LowerCaseName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys a node accepts and their roles. Only SHA-256 hashes of the keys are held, so a heap dump does not leak
 * them. Keys come from {@code KAIROS_API_KEYS}: {@code role=key,role=key…}, where an entry may add an id and an expiry,
 * {@code role=key;id=shop-backend-2026q4;expires=2027-01-31} (an ISO instant, or a date meaning its start in UTC). A
 * role may have any number of keys, so a key is rotated by adding its successor, moving the clients, then removing it;
 * an expired key is refused (401) without a restart. Logs and rate limits name a key by its id (by default the first 12
 * hex digits of its SHA-256), never by the key. In dev mode, and only when {@code KAIROS_API_KEYS} is unset, the
 * documented dev keys {@code dev-ingest}, {@code dev-operator}, {@code dev-auditor}, {@code dev-admin} are accepted and
 * a warning is logged. In production an empty key list is a start-up error.
 */
public final class ApiKeys {
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    /** How long a console session lasts unless configured ({@link #withConsole}). */
    public static final Duration CONSOLE_SESSION = Duration.ofHours(8);

    private final Map<String, Entry> byHash;
    private final Map<String, Entry> byId;
    private final Clock clock;
    private final ConsoleSessions console;

    private record Entry(String id, Role role, Instant expires) {}

    private ApiKeys(Map<String, Entry> byHash, Clock clock, String consoleSecret, Duration consoleSession) {
        this.byHash = Map.copyOf(byHash);
        var ids = new HashMap<String, Entry>();
        byHash.values().forEach(e -> ids.put(e.id(), e));
        this.byId = Map.copyOf(ids);
        this.clock = clock;
        this.console = new ConsoleSessions(this, ConsoleSessions.secret(consoleSecret, this), consoleSession, clock);
    }

    /**
     * These keys with the console's sessions signed by {@code secret} ({@code KAIROS_CONSOLE_SECRET}; blank: derived
     * from the keys, see {@link ConsoleSessions}) and lasting {@code session}.
     */
    public ApiKeys withConsole(String secret, Duration session) {
        return new ApiKeys(byHash, clock, secret, session);
    }

    /** The operator console's sessions over these keys. */
    public ConsoleSessions console() {
        return console;
    }

    public static ApiKeys fromSettings(HttpSettings settings) {
        ApiKeys keys;
        if (settings.apiKeys().isBlank()) {
            if (!settings.devMode()) {
                throw new IllegalArgumentException(
                        "KAIROS_API_KEYS is not set: production nodes need role=key pairs (roles: ingest, operator, auditor, admin)");
            }
            log.warn(
                    "KAIROS_API_KEYS is not set: accepting the documented dev keys dev-ingest, dev-operator, dev-auditor, dev-admin (dev mode only)");
            keys = parse("ingest=dev-ingest,operator=dev-operator,auditor=dev-auditor,admin=dev-admin");
        } else {
            keys = parse(settings.apiKeys());
        }
        keys.logKeys();
        return keys;
    }

    /** As {@link #parse(String, Clock)} on the system clock. */
    public static ApiKeys parse(String spec) {
        return parse(spec, Clock.systemUTC());
    }

    /**
     * Parses {@code role=key[;id=ID][;expires=WHEN],…}; a malformed entry, an unknown role or attribute, a short key or
     * a repeated key or id is an error naming the entry's position (never the key). {@code clock} decides expiry.
     */
    public static ApiKeys parse(String spec, Clock clock) {
        var byHash = new HashMap<String, Entry>();
        var ids = new HashSet<String>();
        var entries = spec.split(",");
        for (int i = 0; i < entries.length; i++) {
            var where = "KAIROS_API_KEYS entry " + (i + 1);
            var parts = entries[i].trim().split(";");
            var pair = parts[0].trim();
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) throw new IllegalArgumentException(where + " is not role=key");
            var roleName = pair.substring(0, eq).trim();
            var role = LowerCaseName.find(Role.class, roleName)
                    .orElseThrow(() -> new IllegalArgumentException(where + " has unknown role '" + roleName + "'"));
            var key = pair.substring(eq + 1).trim();
            if (key.length() < 8) throw new IllegalArgumentException(where + ": keys must have at least 8 characters");
            var hash = hash(key);
            String id = hash.substring(0, 12);
            Instant expires = null;
            for (int p = 1; p < parts.length; p++) {
                var attribute = parts[p].trim();
                int aeq = attribute.indexOf('=');
                var name = aeq < 0 ? attribute : attribute.substring(0, aeq).trim();
                var value = aeq < 0 ? "" : attribute.substring(aeq + 1).trim();
                switch (name) {
                    case "id" -> {
                        if (!ID.matcher(value).matches())
                            throw new IllegalArgumentException(
                                    where + ": id must be 1 to 64 letters, digits, '.', '_' or '-'");
                        id = value;
                    }
                    case "expires" -> expires = expiry(value, where);
                    default ->
                        throw new IllegalArgumentException(
                                where + " has unknown attribute '" + name + "' (known: id, expires)");
                }
            }
            if (byHash.containsKey(hash)) throw new IllegalArgumentException(where + " repeats a key given before");
            if (!ids.add(id)) throw new IllegalArgumentException(where + " repeats the key id '" + id + "'");
            byHash.put(hash, new Entry(id, role, expires));
        }
        return new ApiKeys(byHash, clock, "", CONSOLE_SESSION);
    }

    /**
     * The first key in {@code spec} (the {@code KAIROS_API_KEYS} format) of one of {@code roles}: what a command-line
     * client of the API sends. The spec is checked as {@link #parse} checks it.
     */
    public static Optional<String> firstKey(String spec, java.util.Set<Role> roles) {
        parse(spec);
        for (var entry : spec.split(",")) {
            var pair = entry.trim().split(";")[0].trim();
            int eq = pair.indexOf('=');
            var role = LowerCaseName.find(Role.class, pair.substring(0, eq).trim());
            if (role.isPresent() && roles.contains(role.get()))
                return Optional.of(pair.substring(eq + 1).trim());
        }
        return Optional.empty();
    }

    private static Instant expiry(String value, String where) {
        try {
            return value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    where + ": expires must be an ISO date (2027-01-31) or instant (2027-01-31T12:00:00Z)");
        }
    }

    /** One line per role naming its keys' ids and expiries; a warning for each key expired or expiring soon. */
    private void logKeys() {
        var now = clock.instant();
        var byRole = new TreeMap<String, List<String>>();
        for (var e : byHash.values()) {
            byRole.computeIfAbsent(e.role().wireName(), r -> new ArrayList<>())
                    .add(e.expires() == null ? e.id() : e.id() + " (expires " + e.expires() + ")");
            if (e.expires() != null && e.expires().isBefore(now.plus(EXPIRY_WARNING)))
                log.warn(
                        "API key {} ({}) {} at {}",
                        e.id(),
                        e.role().wireName(),
                        e.expires().isAfter(now) ? "expires" : "expired",
                        e.expires());
        }
        byRole.forEach((role, keys) -> log.info("API keys for role {}: {}", role, String.join(", ", keys)));
    }

    /**
     * A key the node accepts: the id that names it in logs and rate limits, its role, and whether it had expired when
     * it was presented.
     */
    public record Key(String id, Role role, boolean expired, Instant expires) {}

    /** The key, if it is one of the node's (expired or not); empty for an unknown key. */
    public Optional<Key> lookup(String presentedKey) {
        return key(byHash.get(hash(presentedKey)));
    }

    /** The key with this id, if it is one of the node's (expired or not). */
    public Optional<Key> byId(String id) {
        return key(byId.get(id));
    }

    private Optional<Key> key(Entry e) {
        if (e == null) return Optional.empty();
        boolean expired = e.expires() != null && !clock.instant().isBefore(e.expires());
        return Optional.of(new Key(e.id(), e.role(), expired, e.expires()));
    }

    /**
     * A short digest of the key with this id (the first 16 hex digits of a hash of its hash), empty for no such key:
     * what a console session records so that a new key given an old key's id does not take over its sessions.
     */
    Optional<String> digestOf(String id) {
        var e = byId.get(id);
        if (e == null) return Optional.empty();
        for (var entry : byHash.entrySet())
            if (entry.getValue() == e)
                return Optional.of(hash("session|" + entry.getKey()).substring(0, 16));
        return Optional.empty();
    }

    /** A digest of every key's hash, its id and role: it changes whenever a key is added, removed or moved. */
    String fingerprint() {
        var lines = new java.util.TreeSet<String>();
        byHash.forEach(
                (hash, e) -> lines.add(hash + ":" + e.id() + ":" + e.role().wireName()));
        return hash(String.join(",", lines));
    }

    public int size() {
        return byHash.size();
    }

    static String hash(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}
