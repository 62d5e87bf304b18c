package io.kairos.http;

import io.kairos.entity.Rejection;

/** A failure that maps to a specific problem response; thrown by validation and by route logic. */
public final class ApiException extends RuntimeException {
    private final transient Problem problem;

    public ApiException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(Problem.validation(java.util.List.of(new Problem.FieldError(field, message))));
    }

    public static ApiException notFound(String detail) {
        return new ApiException(Problem.of(404, "not-found", "Not found", detail));
    }

    public static ApiException conflict(String detail) {
        return new ApiException(Problem.of(409, "conflict", "Conflict", detail));
    }

    public static ApiException unprocessable(String detail) {
        return new ApiException(Problem.of(422, "unprocessable", "Unprocessable request", detail));
    }

    /** 412: the resource changed since the entity tag the request was conditional on ({@code If-Match}). */
    public static ApiException preconditionFailed(String detail) {
        return new ApiException(Problem.of(412, "precondition-failed", "Precondition failed", detail));
    }

    public static ApiException tooLarge(String detail) {
        return new ApiException(Problem.of(413, "too-large", "Request too large", detail));
    }

    /** An entity's refusal, with the status its kind maps to: the one place rejections become HTTP status codes. */
    public static ApiException rejected(Rejection reason, String detail) {
        return switch (reason.kind()) {
            case INVALID -> new ApiException(Problem.of(400, "invalid", "Invalid request", detail));
            case NOT_FOUND -> notFound(detail);
            case CONFLICT -> conflict(detail);
            case UNPROCESSABLE -> unprocessable(detail);
            case UNAVAILABLE -> unavailable(detail);
        };
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(Problem.of(503, "unavailable", "Service unavailable", detail));
    }

    /**
     * Refused by admission control: the node has as much {@code work} in flight as it can finish in time. Nothing was
     * done; retrying after {@code Retry-After} (with the same ids) is safe.
     */
    public static ApiException overloaded(String work) {
        return new ApiException(Problem.of(
                503,
                "overloaded",
                "Overloaded",
                "the node is at its limit for " + work
                        + " and did nothing with this request; retry after the seconds in"
                        + " Retry-After, with jitter, and the same ids"));
    }
}
