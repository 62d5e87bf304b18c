package io.kairos.http;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Collects field errors for one request and fails with a single 400 listing all of them. The rules here are the
 * API-wide ones from API.md: ids are 1–128 characters of {@code [A-Za-z0-9._:@-]}, times are ISO-8601, money is a
 * non-negative decimal.
 */
public final class Validator {
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@+-]{1,128}");
    private static final BigDecimal MAX_MONEY = new BigDecimal("1000000000");

    private final List<Problem.FieldError> errors = new ArrayList<>();

    public Validator error(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
        return this;
    }

    /** Whether an error was already added for {@code field}. */
    public boolean reported(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public void throwIfInvalid() {
        if (!errors.isEmpty()) throw new ApiException(Problem.validation(errors));
    }

    /**
     * Checks every element of a request's list with {@code check}, which gets the element's field prefix
     * ({@code "items[3]."}) and the element; a null element is an error ("must be an object") and is not checked.
     */
    public <T> void each(String field, List<T> list, BiConsumer<String, T> check) {
        for (int i = 0; i < list.size(); i++) {
            var element = list.get(i);
            if (element == null) error(field + "[" + i + "]", "must be an object");
            else check.accept(field + "[" + i + "].", element);
        }
    }

    /** An ISO 4217 currency code such as EUR. */
    public boolean currency(String field, String value, boolean required) {
        if (value == null) {
            if (required) error(field, "is required");
            return !required;
        }
        try {
            if (java.util.Currency.getInstance(value).getCurrencyCode().equals(value)) return true;
        } catch (IllegalArgumentException e) {
            // reported below
        }
        error(field, "must be an ISO 4217 currency code such as EUR");
        return false;
    }

    /**
     * A query parameter listing 1–{@code max} ids separated by commas ({@code ?skus=a,b}): the distinct ids, in order.
     */
    public static List<String> idList(String field, java.util.Optional<String> param, int max) {
        var v = new Validator();
        var ids = new java.util.LinkedHashSet<String>();
        if (param.isEmpty() || param.get().isBlank()) {
            v.error(field, "is required: a comma-separated list of 1–" + max + " ids");
        } else {
            var parts = param.get().split(",", -1);
            if (parts.length > max) v.error(field, "at most " + max + "; got " + parts.length);
            else for (var id : parts) if (v.id(field, id.strip(), true)) ids.add(id.strip());
        }
        v.throwIfInvalid();
        return List.copyOf(ids);
    }

    /**
     * The language of a {@code lang} query parameter ({@link io.kairos.offer.Explanations#LANGUAGES}), English by
     * default.
     */
    public static java.util.Locale language(java.util.Optional<String> param) {
        return io.kairos.offer.Explanations.language(param.orElse(null))
                .orElseThrow(() -> ApiException.badRequest("lang", "must be en or zh-CN"));
    }

    public static void requireId(String field, String value) {
        if (value == null || !ID.matcher(value).matches())
            throw ApiException.badRequest(field, "must be 1–128 characters of A-Z a-z 0-9 . _ : @ + -");
    }

    public boolean id(String field, String value, boolean required) {
        if (value == null) {
            if (required) error(field, "is required");
            return !required;
        }
        if (!ID.matcher(value).matches()) {
            error(field, "must be 1–128 characters of A-Z a-z 0-9 . _ : @ + -");
            return false;
        }
        return true;
    }

    public boolean text(String field, String value, int maxLength, boolean required) {
        if (value == null) {
            if (required) error(field, "is required");
            return !required;
        }
        if (value.isBlank() || value.length() > maxLength) {
            error(field, "must be 1–" + maxLength + " characters and not blank");
            return false;
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            error(field, "must not contain control characters");
            return false;
        }
        return true;
    }

    public Instant instant(String field, String value, boolean required) {
        if (value == null) {
            if (required) error(field, "is required");
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            error(field, "must be an ISO-8601 timestamp such as 2026-11-23T10:15:30Z");
            return null;
        }
    }

    public boolean money(String field, BigDecimal value, boolean required) {
        if (value == null) {
            if (required) error(field, "is required");
            return !required;
        }
        if (value.signum() < 0 || value.compareTo(MAX_MONEY) > 0 || value.scale() > 4) {
            error(field, "must be a decimal between 0 and 1000000000 with at most 4 decimal places");
            return false;
        }
        return true;
    }

    public boolean range(String field, Integer value, int min, int max, boolean required) {
        if (value == null) {
            if (required) error(field, "is required");
            return !required;
        }
        if (value < min || value > max) {
            error(field, "must be between " + min + " and " + max);
            return false;
        }
        return true;
    }

    public void stringMap(String field, Map<String, String> map, int maxEntries, int maxKey, int maxValue) {
        if (map == null) return;
        if (map.size() > maxEntries) {
            error(field, "at most " + maxEntries + " entries");
            return;
        }
        map.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > maxKey) error(field + "." + k, "keys must be 1–" + maxKey + " characters");
            else if (v == null) error(field + "." + k, "must be a string");
            else if (v.length() > maxValue) error(field + "." + k, "at most " + maxValue + " characters");
        });
    }
}
