package io.kairos.http.shopper;

import io.kairos.http.ApiException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Identities in standard forms: {@code kind:value}, where {@code phone:} is an E.164 number with its {@code +}
 * ({@code phone:+4915112340001}), {@code email:} an address compared case-insensitively (normalised to lower case),
 * {@code device:} and {@code openid:} opaque ids; another kind (a shop's own, e.g. {@code crm:}) is a lower-case name
 * and an id. Shopper ids are normalised the same way wherever they arrive (paths, events, links), so
 * {@code email:Ann@Shop.example} and {@code email:ann@shop.example} are one shopper.
 */
public final class Identities {
    private Identities() {}

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern EMAIL = Pattern.compile("[a-z0-9._%+-]{1,64}@[a-z0-9-]+(\\.[a-z0-9-]+)+");
    private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9._:@+-]{1,120}");
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    /**
     * The routes under {@code /shoppers/{id}}: {@code inner} is given the id, checked as a resource id and in its
     * normal form ({@link #normalize}).
     */
    public static akka.http.javadsl.server.Route underShopper(
            java.util.function.Function<String, akka.http.javadsl.server.Route> inner) {
        return akka.http.javadsl.server.Directives.pathPrefix(
                "shoppers", () -> io.kairos.http.RouteContext.id("shopperId", raw -> inner.apply(normalize(raw))));
    }

    /** The standard form of a shopper id: an {@code email:} identity lower-cased; any other id as it is. */
    public static String normalize(String id) {
        if (id != null && id.regionMatches(true, 0, "email:", 0, 6))
            return "email:" + id.substring(6).toLowerCase(Locale.ROOT);
        return id;
    }

    /** The identity in its standard form, or a 400 problem on {@code field} saying what its kind expects. */
    public static String identity(String field, String value) {
        if (value == null) throw ApiException.badRequest(field, "is required");
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw ApiException.badRequest(
                    field, "must be kind:value, e.g. phone:+4915112340001, email:ann@shop.example or device:abc");
        }
        var kind = value.substring(0, colon).toLowerCase(Locale.ROOT);
        var id = value.substring(colon + 1);
        switch (kind) {
            case "phone" -> {
                if (!E164.matcher(id).matches()) {
                    throw ApiException.badRequest(
                            field, "a phone is an E.164 number with its + and country code, e.g. phone:+4915112340001");
                }
            }
            case "email" -> {
                id = id.toLowerCase(Locale.ROOT);
                if (!EMAIL.matcher(id).matches()) {
                    throw ApiException.badRequest(field, "an email is an address, e.g. email:ann@shop.example");
                }
            }
            default -> {
                if (!KIND.matcher(kind).matches() || !OPAQUE.matcher(id).matches()) {
                    throw ApiException.badRequest(
                            field, "must be kind:value with 1–120 characters of A-Z a-z 0-9 . _ : @ + - as the value");
                }
            }
        }
        return kind + ":" + id;
    }
}
