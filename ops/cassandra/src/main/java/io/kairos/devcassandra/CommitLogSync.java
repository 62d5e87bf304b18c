package io.kairos.devcassandra;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When Cassandra fsyncs its commit log relative to acknowledging a write ({@code commitlog_sync} in cassandra.yaml).
 *
 * <ul>
 *   <li>{@link #batch()}: a write is acknowledged only after the commit log segment holding it was fsynced; concurrent
 *       writes share one fsync. An acknowledged write survives a power loss.
 *   <li>{@link #group(Duration)}: like batch, but fsyncs at most once per window, so each write waits up to the window.
 *       Also durable when acknowledged.
 *   <li>{@link #periodic(Duration)}: Cassandra's default. Writes are acknowledged at once and fsynced every period, so
 *       a power loss (not a process crash: the page cache survives that) loses up to one period of acknowledged writes.
 * </ul>
 *
 * Kairos promises that every acknowledged event is durable, which rules out periodic; see ops/cassandra/README.md for
 * the measurements behind the default, {@link DevCassandraSettings#commitLogSync()}.
 *
 * @param mode the yaml value: batch, group or periodic
 * @param window the group window or the periodic period; {@link Duration#ZERO} for batch
 */
public record CommitLogSync(String mode, Duration window) {

    public CommitLogSync {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(window, "window");
        switch (mode) {
            case "batch" -> {
                if (!window.isZero()) {
                    throw new IllegalArgumentException("batch has no window");
                }
            }
            case "group", "periodic" -> {
                if (window.toMillis() < 1) {
                    throw new IllegalArgumentException(mode + " needs a window of at least 1 ms, got " + window);
                }
            }
            default -> throw new IllegalArgumentException("commitlog_sync is batch, group or periodic, not " + mode);
        }
    }

    public static CommitLogSync batch() {
        return new CommitLogSync("batch", Duration.ZERO);
    }

    public static CommitLogSync group(Duration window) {
        return new CommitLogSync("group", window);
    }

    public static CommitLogSync periodic(Duration period) {
        return new CommitLogSync("periodic", period);
    }

    /** Parses {@code batch}, {@code group:15ms} or {@code periodic:10000ms} (the form {@link #toString()} prints). */
    public static CommitLogSync parse(String text) {
        var parts = text.trim().toLowerCase(Locale.ROOT).split(":", 2);
        if (parts.length == 1) {
            return new CommitLogSync(parts[0], Duration.ZERO);
        }
        var millis = parts[1].endsWith("ms") ? parts[1].substring(0, parts[1].length() - 2) : parts[1];
        return new CommitLogSync(parts[0], Duration.ofMillis(Long.parseLong(millis)));
    }

    /** The cassandra.yaml lines for this mode. */
    String yaml() {
        return switch (mode) {
            case "batch" -> "commitlog_sync: batch\n";
            case "group" -> "commitlog_sync: group\ncommitlog_sync_group_window: " + window.toMillis() + "ms\n";
            default -> "commitlog_sync: periodic\ncommitlog_sync_period: " + window.toMillis() + "ms\n";
        };
    }

    /** True when a write is fsynced before Cassandra acknowledges it. */
    public boolean durableOnAck() {
        return !mode.equals("periodic");
    }

    @Override
    public String toString() {
        return window.isZero() ? mode : mode + ":" + window.toMillis() + "ms";
    }
}
