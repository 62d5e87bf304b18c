package io.kairos.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every 4xx/5xx response ({@code application/problem+json}). {@code errors}
 * lists field-level validation failures, with JSON-path-like field names ({@code events[3].occurredAt}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public record FieldError(String field, String message) {}

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("https://kairos.dev/problems/" + slug, title, status, detail, List.of());
    }

    public static Problem validation(List<FieldError> errors) {
        var detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new Problem("https://kairos.dev/problems/validation", "Invalid request", 400, detail, errors);
    }
}
