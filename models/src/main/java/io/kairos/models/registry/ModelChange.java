package io.kairos.models.registry;

import java.time.Instant;

/**
 * A change of which version of a model is promoted, as the store records it with the promotion itself: when, what
 * ({@link #PROMOTE}, {@link #ROLLBACK}, or {@link #CONFIRM} when the learning loop kept a promotion it watched), the
 * version promoted and the one it replaced, and who made it.
 *
 * @param actor the id of the API key that asked for it, {@code learning-loop} for the loop's own promotions, or
 *     {@code cli:USER} for the command line on a machine with the store
 * @param version the version promoted after the change (null: none, after the loop rolled back its first promotion;
 *     decisions use the safe rule)
 * @param previous the version promoted before (null for a name's first promotion)
 */
public record ModelChange(Instant at, String action, String version, String previous, String actor) {
    public static final String PROMOTE = "promote";
    public static final String ROLLBACK = "rollback";
    /** The learning loop's verdict on a promotion it watched live: it stays (nothing changes but the record). */
    public static final String CONFIRM = "confirm";

    /** Who the learning loop's own changes are recorded as made by. */
    public static final String LEARNING_LOOP = "learning-loop";

    /**
     * Whether this change starts a watch ({@link ModelRegistry.Watch}): a promotion the learning loop made, which it
     * compares live with what it replaced until it settles it.
     */
    public boolean watched() {
        return PROMOTE.equals(action) && LEARNING_LOOP.equals(actor);
    }

    /** How many changes a model name keeps, newest first; older ones are dropped. */
    public static final int KEPT = 100;

    /** {@code log} (newest first) with this change first, cut to {@link #KEPT}. */
    public java.util.List<ModelChange> logFirstIn(java.util.List<ModelChange> log) {
        var out = new java.util.ArrayList<ModelChange>(Math.min(log.size() + 1, KEPT));
        out.add(this);
        out.addAll(log.subList(0, Math.min(log.size(), KEPT - 1)));
        return java.util.List.copyOf(out);
    }
}
