package io.kairos.shopper;

import io.kairos.serialization.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A shopper's static attributes and per-channel consent, as last set by {@code PUT /v1/shoppers/{id}/profile} (a full
 * replacement: what is omitted is cleared, so an omitted consent means no consent on that channel). {@code timeZone} is
 * an IANA zone id used for quiet hours; {@code tags} are operator-assigned segment tags.
 *
 * @param personalization whether offers may be decided from the shopper's behaviour; {@code false} is the shopper's
 *     refusal (PIPL art. 24, GDPR art. 22): only non-personalised offers. Null (the default, and every profile recorded
 *     before the switch existed) means yes.
 */
public record Profile(
        String gender,
        String ageBand,
        String region,
        Boolean member,
        Instant registeredAt,
        String timeZone,
        Map<String, String> attributes,
        Map<String, Boolean> consent,
        List<String> tags,
        Boolean personalization)
        implements CborSerializable {

    /**
     * Consent choices and tag lists repeat across shoppers (a few combinations each): a node holds each once. Declared
     * before {@link #EMPTY}, which needs them.
     */
    private static final Canonical<Map<String, Boolean>, Map<String, Boolean>> CONSENTS = new Canonical<>(1_000);

    private static final Canonical<List<String>, List<String>> TAGS = new Canonical<>(10_000);

    public static final Profile EMPTY =
            new Profile(null, null, null, null, null, null, Map.of(), Map.of(), List.of(), null);

    @com.fasterxml.jackson.annotation.JsonCreator
    public Profile {
        // A few values each, in every shopper's profile: interned, a node holds each once.
        gender = intern(gender);
        ageBand = intern(ageBand);
        region = intern(region);
        timeZone = intern(timeZone);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        var c = consent == null ? Map.<String, Boolean>of() : Map.copyOf(consent);
        consent = CONSENTS.of(c, c);
        var t = tags == null ? List.<String>of() : List.copyOf(tags);
        tags = TAGS.of(t, t);
    }

    private static String intern(String s) {
        return s == null ? null : s.intern();
    }

    /** Whether offers may be decided from the shopper's behaviour (unless the shopper said no, yes). */
    public boolean personalized() {
        return !Boolean.FALSE.equals(personalization);
    }

    public boolean isEmpty() {
        return equals(EMPTY);
    }

    /**
     * The profile's entity tag (HTTP {@code ETag}): a quoted hash of every field in a canonical order, equal for equal
     * profiles on every node and release.
     */
    public String etag() {
        var canonical = String.join(
                        "\u0000",
                        String.valueOf(gender),
                        String.valueOf(ageBand),
                        String.valueOf(region),
                        String.valueOf(member),
                        String.valueOf(registeredAt),
                        String.valueOf(timeZone),
                        new TreeMap<>(attributes).toString(),
                        new TreeMap<>(consent).toString(),
                        tags.toString())
                // only when set, so a profile recorded before the switch existed keeps its tag
                + (personalization == null ? "" : "\u0000personalization=" + personalization);
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "\"" + java.util.HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public boolean consents(String channel) {
        return Boolean.TRUE.equals(consent.get(channel));
    }

    /**
     * This profile completed by another identity's: fields set here win; consent is taken per channel from here when
     * given, else from the other; attributes and tags are united.
     */
    public Profile completedBy(Profile other) {
        var attrs = new TreeMap<>(other.attributes);
        attrs.putAll(attributes);
        var cons = new TreeMap<>(other.consent);
        cons.putAll(consent);
        var allTags = new java.util.TreeSet<>(other.tags);
        allTags.addAll(tags);
        return new Profile(
                gender != null ? gender : other.gender,
                ageBand != null ? ageBand : other.ageBand,
                region != null ? region : other.region,
                member != null ? member : other.member,
                registeredAt != null ? registeredAt : other.registeredAt,
                timeZone != null ? timeZone : other.timeZone,
                attrs,
                cons,
                List.copyOf(allTags),
                personalization != null ? personalization : other.personalization);
    }
}
