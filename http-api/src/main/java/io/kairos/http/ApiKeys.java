package io.kairos.http;

import io.kairos.wire.LowerCaseName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys a node accepts and their roles. Only SHA-256 hashes of the keys are held, so a heap dump does not leak
 * them. Keys come from {@code KAIROS_API_KEYS} ({@code role=key,role=key…}); in dev mode, and only when that is unset,
 * the documented dev keys {@code dev-ingest}, {@code dev-operator}, {@code dev-auditor}, {@code dev-admin} are accepted
 * and a warning is logged. In production an empty key list is a start-up error.
 */
public final class ApiKeys {
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    private final Map<String, Role> roleByHash;

    private ApiKeys(Map<String, Role> roleByHash) {
        this.roleByHash = Map.copyOf(roleByHash);
    }

    public static ApiKeys fromSettings(HttpSettings settings) {
        if (settings.apiKeys().isBlank()) {
            if (!settings.devMode()) {
                throw new IllegalArgumentException(
                        "KAIROS_API_KEYS is not set: production nodes need role=key pairs (roles: ingest, operator, auditor, admin)");
            }
            log.warn(
                    "KAIROS_API_KEYS is not set: accepting the documented dev keys dev-ingest, dev-operator, dev-auditor, dev-admin (dev mode only)");
            return parse("ingest=dev-ingest,operator=dev-operator,auditor=dev-auditor,admin=dev-admin");
        }
        return parse(settings.apiKeys());
    }

    /** Parses {@code role=key,role=key}; a malformed pair or an unknown role is an error naming the pair's position. */
    public static ApiKeys parse(String spec) {
        var byHash = new HashMap<String, Role>();
        var pairs = spec.split(",");
        for (int i = 0; i < pairs.length; i++) {
            int position = i + 1;
            var pair = pairs[i].trim();
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1)
                throw new IllegalArgumentException("KAIROS_API_KEYS entry " + (i + 1) + " is not role=key");
            var roleName = pair.substring(0, eq).trim();
            var role = LowerCaseName.find(Role.class, roleName)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "KAIROS_API_KEYS entry " + position + " has unknown role '" + roleName + "'"));
            var key = pair.substring(eq + 1).trim();
            if (key.length() < 8)
                throw new IllegalArgumentException(
                        "KAIROS_API_KEYS entry " + (i + 1) + ": keys must have at least 8 characters");
            var previous = byHash.put(hash(key), role);
            if (previous != null && previous != role)
                throw new IllegalArgumentException("KAIROS_API_KEYS: one key is given two roles");
        }
        return new ApiKeys(byHash);
    }

    /**
     * A key the node accepts: its role, and an id that names it in logs and rate limits without revealing it (the first
     * 12 hex digits of its SHA-256).
     */
    public record Key(String id, Role role) {}

    public Optional<Key> lookup(String presentedKey) {
        var hash = hash(presentedKey);
        var role = roleByHash.get(hash);
        return role == null ? Optional.empty() : Optional.of(new Key(hash.substring(0, 12), role));
    }

    public int size() {
        return roleByHash.size();
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
