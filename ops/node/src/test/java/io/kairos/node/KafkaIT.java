package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.devcassandra.CassandraSchema;
import io.kairos.devkafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Kafka in and out against a real broker ({@link TestKafka}: Kafka in its own JVM) and a real node process on its own
 * Cassandra: poison records go to the dead-letter topic without stopping the stream; issued offers and price changes
 * reach their topics, read back by a plain Kafka consumer, and a restart republishes with the same dedup key; a
 * {@code kill -9} in the middle of the stream loses no event and journals none twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaIT {
    private static final ObjectMapper mapper = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String EVENTS = "it-events-" + RUN;
    private static final String DEAD_LETTERS = "it-dlq-" + RUN;
    private static final String OFFERS = "it-offers-" + RUN;
    private static final String PRICES = "it-prices-" + RUN;

    private static String bootstrap;
    private static ClusterHarness harness;
    private static KafkaProducer<String, String> producer;
    private static String issuedDedupKey;
    private static String issuedOfferId;

    @BeforeAll
    static void start() throws Exception {
        bootstrap = TestKafka.shared().bootstrapServers();
        harness = ClusterHarness.start(
                1,
                Map.of(
                        "KAIROS_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                        "KAIROS_KAFKA_TOPIC_EVENTS", EVENTS,
                        "KAIROS_KAFKA_TOPIC_DEAD_LETTER", DEAD_LETTERS,
                        "KAIROS_KAFKA_TOPIC_OFFERS", OFFERS,
                        "KAIROS_KAFKA_TOPIC_PRICES", PRICES,
                        "KAIROS_KAFKA_PARTITIONS", "4",
                        "KAIROS_KAFKA_PERSONAL_DATA_RETENTION", "3d"));
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props);
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) producer.close();
        if (harness != null) harness.close();
    }

    private static String event(String eventId, String shopperId, Instant at) {
        return "{\"eventId\":\"" + eventId + "\",\"shopperId\":\"" + shopperId
                + "\",\"type\":\"view\",\"sku\":\"sku-1\"," + "\"occurredAt\":\"" + at + "\"}";
    }

    private static void produce(String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(EVENTS, key, value)).get();
    }

    /** Every record of {@code topic} from the beginning, read until {@code done} holds (at most 60 s). */
    private static List<ConsumerRecord<String, String>> readUntil(
            String topic, java.util.function.Predicate<List<ConsumerRecord<String, String>>> done) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        var records = new ArrayList<ConsumerRecord<String, String>>();
        try (var consumer = new KafkaConsumer<String, String>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static long retentionMs(String topic) throws Exception {
        try (var admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            var config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS);
            return Long.parseLong(
                    config.get(resource).get(TopicConfig.RETENTION_MS_CONFIG).value());
        }
    }

    private static JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    @Test
    @Order(1)
    void poisonRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheStreamGoesOn() throws Exception {
        var now = Instant.now().minusSeconds(60);
        produce("dlq-a", event("a1", "dlq-a", now));
        produce("dlq-b", "{not json");
        produce(
                "dlq-b",
                "{\"eventId\":\"b1\",\"shopperId\":\"dlq-b\",\"type\":\"teleport\",\"occurredAt\":\"" + now + "\"}");
        produce("someone-else", event("b2", "dlq-b", now));
        produce("dlq-a", event("a2", "dlq-a", now.plusSeconds(1)));

        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> harness.journalEventIds("dlq-a").size() == 2);
        assertThat(harness.journalEventIds("dlq-a")).containsExactly("a1", "a2");
        assertThat(harness.journalEventIds("dlq-b")).isEmpty();

        var dead = readUntil(DEAD_LETTERS, r -> r.size() >= 3);
        assertThat(dead).hasSize(3);
        // The dead letters keep their keys, so they may sit on different partitions: found by what they carry.
        java.util.function.Function<java.util.function.Predicate<ConsumerRecord<String, String>>, String> reasonOf =
                which -> dead.stream()
                        .filter(which)
                        .map(r -> new String(
                                r.headers().lastHeader("kairos-dlq-reason").value(), StandardCharsets.UTF_8))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("missing from the dead letters: " + dead));
        // the original records, as they were sent
        assertThat(reasonOf.apply(r -> "{not json".equals(r.value()))).contains("malformed JSON");
        assertThat(reasonOf.apply(r -> r.value().contains("teleport"))).contains("type: must be one of");
        assertThat(reasonOf.apply(r -> "someone-else".equals(r.key()))).contains("key: must be the event's shopperId");
        assertThat(harness.scrapeMetrics(0)).contains("kairos_kafka_records_total{outcome=\"dead_letter\"} 3.0");
    }

    @Test
    @Order(2)
    void issuedOffersAndPriceChangesAreReadBackFromTheirTopicsWithoutPersonalData() throws Exception {
        var now = Instant.now();
        var created = harness.send(
                0,
                "POST",
                "/v1/campaigns",
                ("{\"campaignId\":\"kafka-c\",\"name\":\"kafka\",\"coupon\":{\"type\":\"amount_off\",\"value\":2},"
                                + "\"budget\":1000,\"validDays\":7,\"startsAt\":\"%s\",\"endsAt\":\"%s\","
                                + "\"objective\":\"activation\",\"pacing\":\"asap\",\"exploration\":0}")
                        .formatted(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
        assertThat(created.statusCode()).as("%s", created.body()).isEqualTo(201);
        var profile = harness.send(
                0, "PUT", "/v1/shoppers/pub-a/profile", "{\"region\":\"north\",\"consent\":{\"email\":true}}");
        assertThat(profile.statusCode()).as("%s", profile.body()).isEqualTo(200);
        produce("pub-a", event("p1", "pub-a", now.minusSeconds(5)));
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    var offers = json(harness.send(0, "POST", "/v1/shoppers/pub-a/offers/decide", null)
                                    .body())
                            .path("offers");
                    if (offers.size() == 0) return false;
                    issuedOfferId = offers.get(0).path("offerId").asText();
                    return true;
                });

        var offers = readUntil(OFFERS, r -> r.stream().anyMatch(c -> issuedOfferId.equals(c.key())));
        var issued = offers.stream()
                .filter(r -> issuedOfferId.equals(r.key()))
                .map(r -> json(r.value()))
                .filter(v -> v.path("status").asText().equals("issued"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no issued record for " + issuedOfferId + " in " + offers));
        assertThat(issued.path("shopperId").asText()).isEqualTo("pub-a");
        assertThat(issued.path("campaignId").asText()).isEqualTo("kafka-c");
        assertThat(issued.path("offer").path("couponType").asText()).isEqualTo("amount_off");
        issuedDedupKey = issued.path("dedupKey").asText();
        assertThat(issuedDedupKey)
                .isEqualTo(
                        issuedOfferId + ":issued:" + issued.path("sequenceNr").asLong());
        // no personal data: the profile's fields never go out
        assertThat(offers.stream().map(ConsumerRecord::value)).noneMatch(v -> v.contains("north"));
        // the topics that name shoppers keep them at most the personal-data retention (3 days here); prices as the
        // broker does (its default, 7 days)
        assertThat(retentionMs(OFFERS)).isEqualTo(Duration.ofDays(3).toMillis());
        assertThat(retentionMs(DEAD_LETTERS)).isEqualTo(Duration.ofDays(3).toMillis());
        assertThat(retentionMs(PRICES)).isEqualTo(Duration.ofDays(7).toMillis());

        var put = harness.send(
                0,
                "PUT",
                "/v1/skus/kafka-sku",
                "{\"listPrice\": 20.00, \"cost\": 8.00, \"floor\": 14.00, \"ceiling\": 26.00, \"maxStepPercent\": 10,"
                        + " \"minMarginPercent\": 10, \"repriceEvery\": \"PT1H\", \"policy\": \"thompson\"}");
        assertThat(put.statusCode()).as("%s", put.body()).isBetween(200, 201);
        var prices = readUntil(PRICES, r -> r.stream().anyMatch(c -> "kafka-sku".equals(c.key())));
        var price = prices.stream()
                .filter(r -> "kafka-sku".equals(r.key()))
                .map(r -> json(r.value()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no price record in " + prices));
        assertThat(price.path("price").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(price.path("dedupKey").asText())
                .isEqualTo("kafka-sku:" + price.path("sequenceNr").asLong());
    }

    @Test
    @Order(3)
    void aKillNineInTheMiddleOfTheStreamLosesNoEventAndJournalsNoneTwice() throws Exception {
        int shoppers = 300;
        int perShopper = 10;
        var start = Instant.now().minus(Duration.ofHours(1));
        var sends = new ArrayList<java.util.concurrent.Future<?>>();
        for (int e = 0; e < perShopper; e++) {
            for (int s = 0; s < shoppers; s++) {
                var id = "kill-" + s;
                sends.add(producer.send(new ProducerRecord<>(EVENTS, id, event("k" + e, id, start.plusSeconds(e)))));
            }
        }
        for (var f : sends) f.get();
        // kill the node once it has taken some, not all
        var taken = new java.util.concurrent.atomic.AtomicReference<Double>(0.0);
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    taken.set(accepted(harness.scrapeMetrics(0)));
                    return taken.get() >= 100;
                });
        harness.cluster.kill(0);
        assertThat(taken.get()).as("accepted before the kill").isLessThan(shoppers * perShopper);
        // ... and make the publishers start over, so the restart republishes what they had published
        try (CqlSession session = CassandraSchema.openSession(harness.cassandra.contactPoint())) {
            session.execute("TRUNCATE " + harness.schema.kairosKeyspace() + ".offset_store");
        }
        harness.cluster.startNode(0);
        harness.cluster.awaitReady(Duration.ofMinutes(2));

        var ids = IntStream.range(0, shoppers).mapToObj(s -> "kill-" + s).toList();
        var expected = IntStream.range(0, perShopper).mapToObj(e -> "k" + e).toList();
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    for (var id : ids) if (harness.journalEventIds(id).size() < perShopper) return false;
                    return true;
                });
        for (var id : ids) {
            // in order (one partition per shopper, taken in order) and each once
            assertThat(harness.journalEventIds(id)).as(id).containsExactlyElementsOf(expected);
            var seqs = harness.rawSequenceNumbers(id);
            assertThat(new HashSet<>(seqs)).as(id).hasSameSizeAs(seqs);
        }

        // the restarted publisher sent the issued offer again, under the same dedup key
        var again = readUntil(
                OFFERS,
                r -> r.stream()
                                .filter(c -> issuedOfferId.equals(c.key()))
                                .filter(c -> c.value().contains("\"issued\""))
                                .count()
                        >= 2);
        var keys = again.stream()
                .filter(c -> issuedOfferId.equals(c.key()))
                .map(c -> json(c.value()))
                .filter(v -> v.path("status").asText().equals("issued"))
                .map(v -> v.path("dedupKey").asText())
                .toList();
        assertThat(keys).hasSizeGreaterThanOrEqualTo(2).containsOnly(issuedDedupKey);
    }

    /**
     * What the README shows: {@code kcat} (the Debian package; {@code .ci/run} installs it) produces an event that
     * Kairos journals, and reads the offers topic back. Skipped where kcat is not installed.
     */
    @Test
    @Order(4)
    void kcatProducesAnEventThatIsJournalledAndReadsOffersBack() throws Exception {
        var kcat = java.nio.file.Path.of("/usr/bin/kcat");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(kcat), "kcat is not installed");
        var produce = new ProcessBuilder(kcat.toString(), "-P", "-b", bootstrap, "-t", EVENTS, "-K", "|")
                .redirectErrorStream(true)
                .start();
        try (var in = produce.getOutputStream()) {
            in.write(("kcat-a|" + event("kc1", "kcat-a", Instant.now().minusSeconds(5)) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertThat(produce.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(produce.exitValue())
                .as("%s", new String(produce.getInputStream().readAllBytes()))
                .isZero();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> harness.journalEventIds("kcat-a").equals(List.of("kc1")));

        var consume = new ProcessBuilder(
                        kcat.toString(),
                        "-C",
                        "-b",
                        bootstrap,
                        "-t",
                        OFFERS,
                        "-o",
                        "beginning",
                        "-e",
                        "-q",
                        "-f",
                        "%k %s\\n")
                .start();
        var out = new String(consume.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(consume.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains(issuedOfferId + " {").contains("\"dedupKey\":\"" + issuedDedupKey + "\"");
    }

    private static double accepted(String metrics) {
        return metrics.lines()
                .filter(l -> l.startsWith("kairos_kafka_records_total{outcome=\"accepted\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(0);
    }
}
