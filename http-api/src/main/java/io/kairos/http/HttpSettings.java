package io.kairos.http;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code kairos.http} configuration, read once at start. */
public record HttpSettings(
        String host,
        int port,
        Duration askTimeout,
        long maxBodyBytes,
        int maxEventsPerRequest,
        Duration strictEntityTimeout,
        Duration maxClockSkew,
        Duration retryAfter,
        Duration shutdownDeadline,
        boolean devMode,
        String apiKeys) {

    public static HttpSettings create(ActorSystem<?> system) {
        return fromConfig(system.settings().config());
    }

    public static HttpSettings fromConfig(Config root) {
        var c = root.getConfig("kairos.http");
        return new HttpSettings(
                c.getString("host"),
                c.getInt("port"),
                c.getDuration("ask-timeout"),
                c.getBytes("max-body-bytes"),
                c.getInt("max-events-per-request"),
                c.getDuration("strict-entity-timeout"),
                c.getDuration("max-clock-skew"),
                c.getDuration("retry-after"),
                c.getDuration("shutdown-deadline"),
                "dev".equals(root.getString("kairos.mode")),
                c.getString("api-keys"));
    }

    public HttpSettings withPort(int newPort) {
        return new HttpSettings(
                host,
                newPort,
                askTimeout,
                maxBodyBytes,
                maxEventsPerRequest,
                strictEntityTimeout,
                maxClockSkew,
                retryAfter,
                shutdownDeadline,
                devMode,
                apiKeys);
    }
}
