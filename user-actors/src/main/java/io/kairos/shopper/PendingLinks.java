package io.kairos.shopper;

import java.util.HashSet;
import java.util.Set;

/**
 * The identity links (and unlinks) a person is waiting on. Transient by design: a lost answer surfaces as a timeout and
 * a retry is idempotent. Most shoppers never link, so no set exists until a link starts (an empty set would cost every
 * active shopper 64 bytes).
 */
final class PendingLinks {
    private Set<String> identities = Set.of();

    /** Marks a link with {@code identity} as in progress; false if one already is. */
    boolean start(String identity) {
        if (identities.contains(identity)) return false;
        if (identities.isEmpty()) identities = new HashSet<>();
        return identities.add(identity);
    }

    void end(String identity) {
        if (!identities.contains(identity)) return; // the shared empty set cannot be changed
        identities.remove(identity);
        if (identities.isEmpty()) identities = Set.of();
    }

    boolean any() {
        return !identities.isEmpty();
    }
}
