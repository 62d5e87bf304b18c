package io.kairos.kafka;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code kairos.kafka}: where the broker is, the topics, and how events are taken in. Kafka is on when
 * {@code bootstrap-servers} names a broker.
 *
 * @param clientProperties Kafka client properties for every consumer, producer and admin client (security)
 */
public record KafkaSettings(
        String bootstrapServers,
        Topics topics,
        TopicCreation creation,
        Ingest ingest,
        boolean publish,
        Map<String, String> clientProperties) {

    /** The topic names. */
    public record Topics(String events, String deadLetter, String offers, String prices) {
        List<String> all() {
            return List.of(events, deadLetter, offers, prices);
        }

        /** The topics whose records name shoppers. */
        List<String> personal() {
            return List.of(events, deadLetter, offers);
        }
    }

    /**
     * Whether and how missing topics are created at start; {@code personalDataRetention}: the retention of the topics
     * that name shoppers.
     */
    public record TopicCreation(
            boolean enabled, int partitions, short replicationFactor, Duration personalDataRetention) {}

    /** The events consumer. */
    public record Ingest(
            boolean enabled,
            String groupId,
            int maxBatch,
            Duration batchWithin,
            int maxPartitions,
            int asksPerPartition,
            Duration askTimeout,
            int attempts,
            Duration minBackoff,
            Duration maxBackoff,
            Duration lagInterval) {}

    public static KafkaSettings create(ActorSystem<?> system) {
        return fromConfig(system.settings().config().getConfig("kairos.kafka"));
    }

    public static KafkaSettings fromConfig(Config c) {
        var t = c.getConfig("topics");
        var tc = c.getConfig("create-topics");
        var i = c.getConfig("ingest");
        return new KafkaSettings(
                c.getString("bootstrap-servers").trim(),
                new Topics(
                        t.getString("events"),
                        t.getString("dead-letter"),
                        t.getString("offers"),
                        t.getString("prices")),
                new TopicCreation(
                        tc.getBoolean("enabled"),
                        tc.getInt("partitions"),
                        (short) tc.getInt("replication-factor"),
                        tc.getDuration("personal-data-retention")),
                new Ingest(
                        i.getBoolean("enabled"),
                        i.getString("group-id"),
                        i.getInt("max-batch"),
                        i.getDuration("batch-within"),
                        i.getInt("max-partitions"),
                        i.getInt("asks-per-partition"),
                        i.getDuration("ask-timeout"),
                        i.getInt("attempts"),
                        i.getDuration("restart-backoff.min"),
                        i.getDuration("restart-backoff.max"),
                        i.getDuration("lag-interval")),
                c.getBoolean("publish.enabled"),
                clientProperties(c.getConfig("client")));
    }

    /** True when a broker is configured. */
    public boolean enabled() {
        return !bootstrapServers.isEmpty();
    }

    private static Map<String, String> clientProperties(Config c) {
        var props = new TreeMap<String, String>();
        props.put("security.protocol", c.getString("security-protocol"));
        putIfSet(props, "sasl.mechanism", c.getString("sasl-mechanism"));
        putIfSet(props, "sasl.jaas.config", c.getString("sasl-jaas-config"));
        putIfSet(props, "ssl.truststore.location", c.getString("ssl-truststore-location"));
        putIfSet(props, "ssl.truststore.password", c.getString("ssl-truststore-password"));
        c.getConfig("properties")
                .entrySet()
                .forEach(e -> props.put(
                        e.getKey().replace("\"", ""),
                        String.valueOf(e.getValue().unwrapped())));
        return Map.copyOf(props);
    }

    private static void putIfSet(Map<String, String> props, String name, String value) {
        if (!value.isBlank()) props.put(name, value);
    }

    /** The configuration for the log: the security properties' names, never a password or JAAS secret. */
    public String describe() {
        return bootstrapServers + " (" + clientProperties.get("security.protocol") + "; topics " + topics.all() + ")";
    }
}
