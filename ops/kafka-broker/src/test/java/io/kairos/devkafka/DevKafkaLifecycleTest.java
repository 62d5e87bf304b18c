package io.kairos.devkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kairos.devcassandra.DevCassandra;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starting, using, reusing and stopping a real broker. The tests share one broker and each restarts it first if an
 * earlier one stopped it, so their order does not matter.
 */
class DevKafkaLifecycleTest {

    private static DevKafkaSettings settings;
    private static DevKafka broker;

    @BeforeAll
    static void startBroker() {
        settings = DevKafkaSettings.defaults(Path.of(
                        "target",
                        "dev-kafka-lifecycle-" + ProcessHandle.current().pid()))
                .withPort(0)
                .withHeap(new DevKafkaSettings.Heap("64m", "384m"))
                .withExtraJvmOptions(List.of("-XX:TieredStopAtLevel=1"));
        broker = DevKafka.start(settings);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void recordsProducedToANewTopicAreConsumedBackFromItsAutoCreatedPartitions() {
        var running = running();
        var topic = "lifecycle-" + UUID.randomUUID();
        var producerConfig = Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, running.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            for (int i = 1; i <= 3; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            producer.flush();
        }

        var consumerConfig = Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                running.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        var values = new ArrayList<String>();
        try (var consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            assertThat(consumer.partitionsFor(topic)).hasSize(settings.partitions());
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < 3 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
            }
        }

        assertThat(values).containsExactlyInAnyOrder("value-1", "value-2", "value-3");
        assertThat(running.isRunning()).isTrue();
    }

    @Test
    void startReusesTheBrokerOfItsPidFileAndDoesNotStopItOnClose() {
        var running = running();

        try (var reused = DevKafka.start(settings)) {
            assertThat(reused.startedHere()).isFalse();
            assertThat(reused.pid()).isEmpty();
            assertThat(reused.bootstrapServers()).isEqualTo(running.bootstrapServers());
        }

        assertThat(running.isRunning()).isTrue();
        assertThat(MetadataProbe.query(running.port())).isPresent();
    }

    @Test
    void startReusesABrokerOfTheSameClusterAnsweringOnTheAskedPort() throws IOException {
        var running = running();
        var pidFile = BrokerFiles.pidFile(settings.dataDir());
        var aside = pidFile.resolveSibling("kafka.pid.aside");
        Files.move(pidFile, aside);
        try (var reused = DevKafka.start(settings.withPort(running.port()))) {
            assertThat(reused.startedHere()).isFalse();
            assertThat(reused.port()).isEqualTo(running.port());
        } finally {
            Files.move(aside, pidFile);
        }

        assertThat(running.isRunning()).isTrue();
    }

    @Test
    void aPortHeldByAnotherProcessIsReportedAsInUse() throws Exception {
        try (var stranger = new ServerSocket()) {
            stranger.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), DevCassandra.freePort()));
            var elsewhere = settings.withDataDir(Path.of("target", "dev-kafka-port-taken"))
                    .withPort(stranger.getLocalPort());

            assertThatThrownBy(() -> DevKafka.start(elsewhere))
                    .isInstanceOf(DevKafka.PortInUseException.class)
                    .hasMessageContaining("Port " + stranger.getLocalPort());
        }
    }

    @Test
    void closeStopsTheBrokerItStartedAndFreesItsPort() {
        var running = running();
        var process = ProcessHandle.of(running.pid().orElseThrow()).orElseThrow();

        running.close();
        running.close();

        assertThat(process.isAlive()).isFalse();
        assertThat(running.isRunning()).isFalse();
        assertThat(DevCassandra.isFree(running.port())).isTrue();
        assertThat(BrokerFiles.pidFile(settings.dataDir())).doesNotExist();
        assertThat(BrokerFiles.serverLog(settings.dataDir())).content().contains("shut down completely");
    }

    private static DevKafka running() {
        if (!broker.isRunning()) {
            broker = DevKafka.start(settings);
        }
        return broker;
    }
}
