package io.kairos.kafka;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import io.kairos.http.shopper.EventValidation;
import io.kairos.metrics.KairosMetrics;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperJournal;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka in and out of one node, when {@code kairos.kafka.bootstrap-servers} names a broker: creates missing topics,
 * consumes behaviour events ({@link EventIngest}), publishes offers ({@link OfferPublisher}) and prices
 * ({@link PricePublisher}) from the journals, and exports the consumer's lag. Stops consuming when the node shuts down.
 */
public final class KafkaBridge {
    private static final Logger log = LoggerFactory.getLogger(KafkaBridge.class);

    private final KafkaSettings settings;
    private final Producers producers;
    private final EventIngest ingest;

    private KafkaBridge(KafkaSettings settings, Producers producers, EventIngest ingest) {
        this.settings = settings;
        this.producers = producers;
        this.ingest = ingest;
    }

    /** Starts what the configuration asks for; empty when Kafka is off. */
    public static Optional<KafkaBridge> start(
            ActorSystem<?> system,
            Function<String, RecipientRef<ShopperCommand>> shoppers,
            EventValidation validation,
            Clock clock) {
        var settings = KafkaSettings.create(system);
        if (!settings.enabled()) return Optional.empty();
        log.info("Kafka: {}", settings.describe());
        if (settings.creation().enabled()) KafkaTopics.ensure(settings);
        var producers = new Producers(system, settings);
        EventIngest ingest = null;
        if (settings.ingest().enabled()) {
            ingest = new EventIngest(system, settings, shoppers, validation, producers, clock);
            ingest.start();
        }
        if (settings.publish()) {
            var topics = settings.topics();
            ShopperJournal.runAtLeastOnce(system, "kafka-offers", () -> new OfferPublisher(producers, topics.offers()));
            PricePublisher.init(system, producers, topics.prices());
        }
        var bridge = new KafkaBridge(settings, producers, ingest);
        bridge.exportLag(system);
        var shutdown = CoordinatedShutdown.get(system);
        shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "kafka-ingest-stop", bridge::stopConsuming);
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "kafka-producer-close", () -> {
            producers.close();
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        return Optional.of(bridge);
    }

    public KafkaSettings settings() {
        return settings;
    }

    private java.util.concurrent.CompletionStage<Done> stopConsuming() {
        return ingest == null ? CompletableFuture.completedFuture(Done.getInstance()) : ingest.stop();
    }

    /** Reads the consumer's per-partition lag into {@code kairos_kafka_consumer_lag} every lag interval. */
    private void exportLag(ActorSystem<?> system) {
        if (ingest == null) return;
        var interval = settings.ingest().lagInterval();
        system.scheduler()
                .scheduleWithFixedDelay(
                        interval,
                        interval,
                        () -> {
                            var control = ingest.control();
                            if (control != null) control.getMetrics().thenAccept(KafkaBridge::recordLag);
                        },
                        system.executionContext());
    }

    /** The lag of the partitions this node consumes now: a partition a rebalance took away is no longer reported. */
    static void recordLag(Map<MetricName, Metric> metrics) {
        var lags = new HashMap<List<String>, Double>();
        metrics.forEach((name, metric) -> {
            var tags = name.tags();
            if (!"records-lag".equals(name.name()) || !tags.containsKey("partition")) return;
            if (metric.metricValue() instanceof Number lag && !Double.isNaN(lag.doubleValue()))
                lags.put(List.of(tags.get("topic"), tags.get("partition")), lag.doubleValue());
        });
        KairosMetrics.KAFKA_CONSUMER_LAG.clear();
        lags.forEach((labels, lag) -> KairosMetrics.KAFKA_CONSUMER_LAG
                .labelValues(labels.get(0), labels.get(1))
                .set(lag));
    }
}
