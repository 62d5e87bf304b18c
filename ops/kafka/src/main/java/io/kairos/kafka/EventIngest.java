package io.kairos.kafka;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.kafka.CommitterSettings;
import akka.kafka.ConsumerMessage;
import akka.kafka.ConsumerMessage.CommittableMessage;
import akka.kafka.ConsumerSettings;
import akka.kafka.Subscriptions;
import akka.kafka.javadsl.Committer;
import akka.kafka.javadsl.Consumer;
import akka.pattern.Patterns;
import akka.stream.KillSwitches;
import akka.stream.RestartSettings;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.kairos.http.ApiException;
import io.kairos.http.Json;
import io.kairos.http.Problem;
import io.kairos.http.shopper.EventValidation;
import io.kairos.http.shopper.EventsRequest.EventBody;
import io.kairos.metrics.KairosMetrics;
import io.kairos.shopper.BehaviourEvent;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.Recorded;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Behaviour events from the events topic into the shoppers (Alpakka Kafka), at least once and exactly once in effect:
 *
 * <ul>
 *   <li>each partition is its own sub-stream, taken in batches in order (one batch at a time per partition), so a
 *       shopper's events keep the order of its partition and a slow journal back-pressures the consumer;
 *   <li>a batch's records are checked as {@code POST /v1/events} checks them ({@link EventValidation}); each shopper
 *       gets its events in one {@code RecordEvents}, and the batch's offsets are committed only once every shopper has
 *       persisted (retried with backoff; a batch that still fails restarts the stream from the last commit);
 *   <li>a redelivered event is recognised by its {@code eventId} and recorded once (the shopper's duplicate window);
 *   <li>a record that is not a valid event goes to the dead-letter topic with the reason, and the stream goes on.
 * </ul>
 */
final class EventIngest {
    private static final Logger log = LoggerFactory.getLogger(EventIngest.class);

    static final String REASON_HEADER = "kairos-dlq-reason";

    private final ActorSystem<?> system;
    private final KafkaSettings settings;
    private final Function<String, RecipientRef<ShopperCommand>> shoppers;
    private final EventValidation validation;
    private final Producers producers;
    private final Clock clock;
    private final AtomicReference<Consumer.Control> control = new AtomicReference<>();
    private UniqueKillSwitch killSwitch;

    EventIngest(
            ActorSystem<?> system,
            KafkaSettings settings,
            Function<String, RecipientRef<ShopperCommand>> shoppers,
            EventValidation validation,
            Producers producers,
            Clock clock) {
        this.system = system;
        this.settings = settings;
        this.shoppers = shoppers;
        this.validation = validation;
        this.producers = producers;
        this.clock = clock;
    }

    /** Starts consuming; the stream restarts with backoff after a failure, from the last committed offsets. */
    void start() {
        var ingest = settings.ingest();
        var consumerSettings = ConsumerSettings.create(system, new StringDeserializer(), new ByteArrayDeserializer())
                .withBootstrapServers(settings.bootstrapServers())
                .withGroupId(ingest.groupId())
                .withProperties(settings.clientProperties())
                .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var committerSettings = CommitterSettings.create(system);
        var restart = RestartSettings.create(ingest.minBackoff(), ingest.maxBackoff(), 0.2);
        killSwitch = RestartSource.onFailuresWithBackoff(restart, () -> Consumer.committablePartitionedSource(
                                consumerSettings,
                                Subscriptions.topics(settings.topics().events()))
                        .mapMaterializedValue(c -> {
                            control.set(c);
                            return c;
                        })
                        .flatMapMerge(ingest.maxPartitions(), partition -> partition
                                .second()
                                .groupedWithin(ingest.maxBatch(), ingest.batchWithin())
                                .mapAsync(1, this::ingest))
                        .via(Committer.flow(committerSettings)))
                .viaMat(KillSwitches.single(), Keep.right())
                .toMat(Sink.ignore(), Keep.left())
                .run(system);
        log.info(
                "Kafka: consuming behaviour events from {} as group {}",
                settings.topics().events(),
                ingest.groupId());
    }

    /** The consumer of the running stream (its metrics give the lag), if it has started. */
    Consumer.Control control() {
        return control.get();
    }

    /** Stops consuming; what was taken but not committed is delivered again to the next consumer (and deduplicated). */
    CompletionStage<Done> stop() {
        var c = control.get();
        var stopped = c == null ? CompletableFuture.completedFuture(Done.getInstance()) : c.shutdown();
        if (killSwitch != null) killSwitch.shutdown();
        return stopped;
    }

    /** Records one partition's batch; completes with its offsets once every event persisted or was dead-lettered. */
    private CompletionStage<ConsumerMessage.Committable> ingest(List<CommittableMessage<String, byte[]>> batch) {
        var now = clock.instant();
        var byShopper = new LinkedHashMap<String, List<BehaviourEvent>>();
        var work = new ArrayList<CompletableFuture<?>>();
        for (var message : batch) {
            var record = message.record();
            try {
                var valid = read(record, now);
                byShopper
                        .computeIfAbsent(valid.shopperId(), k -> new ArrayList<>())
                        .add(valid.event());
            } catch (ApiException e) {
                work.add(deadLetter(record, reason(e.problem())).toCompletableFuture());
            } catch (RuntimeException e) {
                // Whatever else a record can make the checks throw: a poison record never stops the stream.
                work.add(deadLetter(record, "unreadable: " + e).toCompletableFuture());
            }
        }
        // At most asks-per-partition shoppers of a batch at once: a batch of new shoppers is that many recoveries
        // and first writes, and all of them at once would time the journal out (its circuit breaker opens).
        var recorded = Source.from(byShopper.entrySet())
                .mapAsyncUnordered(settings.ingest().asksPerPartition(), e -> record(e.getKey(), e.getValue()))
                .runWith(Sink.ignore(), system)
                .toCompletableFuture();
        work.add(recorded);
        ConsumerMessage.CommittableOffsetBatch offsets = ConsumerMessage.emptyCommittableOffsetBatch();
        for (var message : batch) offsets = offsets.updated(message.committableOffset());
        var committable = offsets;
        return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).thenApply(done -> committable);
    }

    private EventValidation.Valid read(ConsumerRecord<String, byte[]> record, java.time.Instant now) {
        if (record.value() == null) throw ApiException.badRequest("$", "the record has no value");
        var valid = validation.single(Json.read(record.value(), EventBody.class), now);
        if (record.key() != null && !record.key().equals(valid.shopperId())) {
            // The key decides the partition, and so the order a shopper's events are taken in.
            throw ApiException.badRequest("key", "must be the event's shopperId (" + valid.shopperId() + ")");
        }
        return valid;
    }

    private CompletableFuture<Recorded> record(String shopperId, List<BehaviourEvent> events) {
        var ingest = settings.ingest();
        var ref = shoppers.apply(shopperId);
        return Patterns.retry(
                        () -> AskPattern.<ShopperCommand, Recorded>ask(
                                ref,
                                r -> new ShopperCommand.RecordEvents(
                                        events, clock.instant(), clock.instant().plus(ingest.askTimeout()), r),
                                ingest.askTimeout(),
                                system.scheduler()),
                        ingest.attempts(),
                        ingest.minBackoff(),
                        ingest.maxBackoff(),
                        0.2,
                        system.classicSystem().scheduler(),
                        system.executionContext())
                .toCompletableFuture()
                .whenComplete((recorded, failure) -> {
                    if (failure != null) {
                        KairosMetrics.EVENTS_UNAVAILABLE.inc();
                        log.warn("Kafka: events of a shopper not persisted after {} attempts", ingest.attempts());
                        return;
                    }
                    KairosMetrics.KAFKA_RECORDS.labelValues("accepted").inc(recorded.accepted());
                    KairosMetrics.KAFKA_RECORDS.labelValues("duplicate").inc(recorded.duplicates());
                });
    }

    private CompletionStage<Done> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        var headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(
                "kairos-dlq-source",
                (record.topic() + "/" + record.partition() + "/" + record.offset()).getBytes(StandardCharsets.UTF_8));
        KairosMetrics.KAFKA_RECORDS.labelValues("dead_letter").inc();
        return producers.send(Producers.record(settings.topics().deadLetter(), record.key(), record.value(), headers));
    }

    /** The problem as one line: every field error, or its detail when it names no field. */
    static String reason(Problem problem) {
        if (problem.errors() == null || problem.errors().isEmpty())
            return problem.detail() == null ? problem.title() : problem.detail();
        return problem.errors().stream()
                .map(e -> e.field() + ": " + e.message())
                .collect(Collectors.joining("; "));
    }
}
