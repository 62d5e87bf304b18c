package io.kairos.dispatch;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** The {@code kairos.dispatch} configuration, read once per node. */
public record DispatchSettings(
        boolean enabled,
        QuietHours quietHours,
        ZoneId defaultZone,
        int activeHourMinEvents,
        int defaultHour,
        Duration maxWait,
        int contactCapMax,
        Duration contactCapWindow,
        Duration retryInterval,
        Duration askTimeout,
        double responseRatePriorWeight,
        Duration responseRateRefresh,
        Map<String, ChannelSettings> channels,
        Config templates,
        String currency) {

    /**
     * One channel's configuration: what it costs, how likely a message on it is acted on (prior), which consent it
     * needs, where the address comes from, and its rate limit, retries and circuit breaker.
     */
    public record ChannelSettings(
            String name,
            String kind,
            boolean enabled,
            String consent,
            String addressAttribute,
            BigDecimal cost,
            double responseRate,
            double rate,
            int parallelism,
            int maxAttempts,
            Duration minBackoff,
            Duration maxBackoff,
            Duration callTimeout,
            int breakerMaxFailures,
            Duration breakerResetTimeout,
            Config raw) {}

    public static DispatchSettings create(ActorSystem<?> system) {
        return fromConfig(system.settings().config().getConfig("kairos.dispatch"));
    }

    /** {@code on}, {@code off}, or {@code auto}: on when the channel's endpoint (url, smtp-host) is set. */
    private static boolean enabled(Config ch) {
        var v = ch.getString("enabled").trim().toLowerCase(java.util.Locale.ROOT);
        if (!v.equals("auto")) return ch.getBoolean("enabled");
        var endpoint = ch.hasPath("url") ? "url" : "smtp-host";
        return ch.hasPath(endpoint) && !ch.getString(endpoint).isBlank();
    }

    public static DispatchSettings fromConfig(Config c) {
        var channels = new LinkedHashMap<String, ChannelSettings>();
        var cs = c.getConfig("channels");
        for (var name : new TreeSet<>(cs.root().keySet())) {
            var ch = cs.getConfig(name);
            channels.put(
                    name,
                    new ChannelSettings(
                            name,
                            ch.getString("kind"),
                            enabled(ch),
                            ch.hasPath("consent") ? ch.getString("consent") : name,
                            ch.hasPath("address-attribute") ? ch.getString("address-attribute") : "",
                            new BigDecimal(ch.getString("cost")),
                            ch.getDouble("response-rate"),
                            ch.getDouble("rate"),
                            ch.getInt("parallelism"),
                            ch.getInt("max-attempts"),
                            ch.getDuration("min-backoff"),
                            ch.getDuration("max-backoff"),
                            ch.getDuration("call-timeout"),
                            ch.getInt("breaker.max-failures"),
                            ch.getDuration("breaker.reset-timeout"),
                            ch));
        }
        return new DispatchSettings(
                c.getBoolean("enabled"),
                QuietHours.parse(c.getString("quiet-hours")),
                ZoneId.of(c.getString("default-zone")),
                c.getInt("active-hour.min-events"),
                c.getInt("active-hour.default-hour"),
                c.getDuration("active-hour.max-wait"),
                c.getInt("contact-cap.max"),
                c.getDuration("contact-cap.window"),
                c.getDuration("retry-interval"),
                c.getDuration("ask-timeout"),
                c.getDouble("response-rates.prior-weight"),
                c.getDuration("response-rates.refresh"),
                Map.copyOf(channels),
                c.getConfig("templates"),
                c.getString("currency"));
    }
}
