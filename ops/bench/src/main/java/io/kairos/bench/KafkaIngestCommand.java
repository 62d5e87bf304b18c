package io.kairos.bench;

import io.kairos.devkafka.DevKafka;
import io.kairos.devkafka.DevKafkaSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos bench kafka-ingest}: how fast one node takes behaviour events in from Kafka (the events topic, at least
 * once, offsets committed after the shoppers persisted), against raw inserts of journal-sized rows into the same
 * Cassandra, and what each event costs the node and Cassandra in CPU.
 *
 * <p>A run: a real broker (DevKafka) and Cassandra, one node ({@code ./kairos dev}) consuming them; (1) prime: one
 * event for each shopper, drained, so every entity exists; (2) a backlog of {@code --events} events produced as fast as
 * the broker takes them, over the same shoppers; the node drains it at its capacity, and the rate is the events
 * accepted divided by the time from the first to the last; (3) the raw-insert reference, as in {@code bench ingest}.
 */
@Command(
        name = "kafka-ingest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Events per second one node takes in from Kafka at capacity, against raw Cassandra inserts.")
final class KafkaIngestCommand implements Callable<Integer> {

    @Option(names = "--shoppers", defaultValue = "10000", description = "Shoppers the events spread over.")
    int shoppers;

    @Option(names = "--events", defaultValue = "60000", description = "Events in the measured backlog.")
    int events;

    @Option(names = "--partitions", defaultValue = "8", description = "Partitions of the events topic.")
    int partitions;

    @Option(names = "--raw-concurrency", defaultValue = "64", description = "Inserts in flight for the reference.")
    int rawConcurrency;

    @Option(names = "--raw-seconds", defaultValue = "20", description = "Measured seconds of the reference.")
    int rawSeconds;

    @Option(names = "--node-java-opts", description = "JVM options of the node started here.")
    String nodeJavaOpts;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        var root = IngestCommand.repositoryRoot();
        var dir = IngestCommand.newRunDirectory("kafka-ingest");
        System.out.printf(
                Locale.ROOT,
                "Kairos Kafka ingest benchmark; run directory %s%nnproc %d, load average %s%n",
                dir,
                Runtime.getRuntime().availableProcessors(),
                CpuMeter.loadAverage());
        try (var kafka = DevKafka.start(
                        DevKafkaSettings.defaults(dir.resolve("kafka")).withPort(0));
                var stack = BenchStack.start(
                        root.resolve("kairos"),
                        dir,
                        Optional.ofNullable(nodeJavaOpts),
                        "",
                        Map.of(
                                "KAIROS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                                "KAIROS_KAFKA_PARTITIONS", Integer.toString(partitions)));
                var producer = producer(kafka.bootstrapServers())) {
            var start = Instant.now().minus(Duration.ofDays(1));
            System.out.printf(Locale.ROOT, "prime: one event for each of %,d shoppers%n", shoppers);
            produce(producer, 0, shoppers, start);
            drain(stack, shoppers);

            System.out.printf(Locale.ROOT, "backlog: %,d events over %,d shoppers%n", events, shoppers);
            var probe = new Probe(stack.pids());
            probe.start();
            long began = System.nanoTime();
            produce(producer, shoppers, events, start);
            long produced = System.nanoTime();
            drain(stack, shoppers + events);
            double seconds = (System.nanoTime() - began) / 1e9;
            var cpu = probe.end();
            double rate = events / seconds;

            double reference;
            try (var raw = RawInsertReference.prepare(stack.cassandra(), "kairos_journal", 5_000)) {
                var result = raw.run(
                        rawConcurrency,
                        shoppers,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(rawSeconds),
                        new Probe(stack.pids()));
                raw.dropTable();
                reference = result.insertsPerSecond();
                System.out.println("  " + IngestReport.rawLine("raw", result));
            }
            var report = String.format(
                    Locale.ROOT,
                    "kafka ingest: %,d events drained in %.1f s (produced in %.1f s): %.0f events/s; raw inserts %.0f"
                            + " rows/s; ratio %.2f%n"
                            + "CPU per event: node %.2f ms, cassandra %.2f ms, rest of the machine %.2f ms%n",
                    events,
                    seconds,
                    (produced - began) / 1e9,
                    rate,
                    reference,
                    rate / reference,
                    perEvent(cpu, "node"),
                    perEvent(cpu, "cassandra"),
                    cpu.otherCores() * cpu.seconds() * 1000 / events);
            System.out.print(report);
            Files.writeString(dir.resolve("report.txt"), report);
        } finally {
            IngestCommand.deleteCassandraData(dir.resolve("cassandra"));
        }
        return 0;
    }

    private double perEvent(CpuMeter.Usage cpu, String process) {
        return cpu.processCores().getOrDefault(process, 0.0) * cpu.seconds() * 1000 / events;
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        return new KafkaProducer<>(props);
    }

    /** Events {@code from} … {@code from + count - 1}, event i for shopper i modulo the shoppers, in order. */
    private void produce(KafkaProducer<String, String> producer, int from, int count, Instant start) throws Exception {
        var sends = new ArrayList<Future<?>>();
        for (int i = from; i < from + count; i++) {
            var shopper = "kb-" + (i % shoppers);
            var json = "{\"eventId\":\"e" + i + "\",\"shopperId\":\"" + shopper + "\",\"type\":\"view\",\"sku\":\"sku-"
                    + (i % 100) + "\",\"occurredAt\":\"" + start.plusMillis(i) + "\"}";
            sends.add(producer.send(new ProducerRecord<>("kairos-events", shopper, json)));
        }
        for (var send : sends) send.get();
    }

    /** Waits until the node has taken {@code total} records in (accepted or duplicate), printing progress. */
    private void drain(BenchStack stack, long total) throws Exception {
        long last = -1;
        while (true) {
            long taken = taken(stack.management());
            if (taken >= total) return;
            if (taken != last) System.out.printf(Locale.ROOT, "  %,d of %,d taken in%n", taken, total);
            last = taken;
            Thread.sleep(2_000);
        }
    }

    private long taken(URI management) throws Exception {
        var body = http.send(
                        HttpRequest.newBuilder(management.resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return (long) body.lines()
                .filter(l -> l.startsWith("kairos_kafka_records_total{outcome=\"accepted\"}")
                        || l.startsWith("kairos_kafka_records_total{outcome=\"duplicate\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
