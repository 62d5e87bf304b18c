package io.kairos.entity;

/**
 * Why an entity refused a command, as a type: each command's reply names its own rejections (an enum implementing
 * this), and each says which {@link Kind} of refusal it is. The HTTP API maps kinds to status codes in one place, so no
 * route compares strings and a new rejection cannot reach a client with a status nobody chose.
 */
public interface Rejection {

    /** The kinds of refusal a client can act on differently. */
    enum Kind {
        /** The request itself is malformed or contradicts itself: fix it (400). */
        INVALID,
        /** What the request names does not exist (404). */
        NOT_FOUND,
        /**
         * The request collides with the current state (used, linked elsewhere, paused…): re-read, then decide (409).
         */
        CONFLICT,
        /** Well formed but not applicable to what exists (422). */
        UNPROCESSABLE,
        /** Not now: a dependency did not answer in time; retry the same request (503). */
        UNAVAILABLE
    }

    Kind kind();

    /** The rejection's wire name: lower case with hyphens (the enum constant's name). */
    default String wireName() {
        return toString().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
