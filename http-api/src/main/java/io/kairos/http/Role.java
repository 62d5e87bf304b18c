package io.kairos.http;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an API key may do. {@code admin} may do everything; see API.md for the others. */
public enum Role {
    INGEST,
    OPERATOR,
    AUDITOR,
    ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String s) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(s)).findFirst();
    }
}
