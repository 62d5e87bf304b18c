package io.kairos.kafka;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.kafka.ProducerSettings;
import akka.kafka.javadsl.SendProducer;
import io.kairos.http.Json;
import io.kairos.metrics.KairosMetrics;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The node's one Kafka producer (Alpakka's {@link SendProducer}), shared by the dead-letter path and the publishers:
 * idempotent and {@code acks=all}, so a record the broker acknowledged is written once per send; values are JSON.
 */
public final class Producers implements AutoCloseable {
    private final SendProducer<String, byte[]> producer;

    Producers(ActorSystem<?> system, KafkaSettings settings) {
        var producerSettings = ProducerSettings.create(system, new StringSerializer(), new ByteArraySerializer())
                .withBootstrapServers(settings.bootstrapServers())
                .withProperties(settings.clientProperties())
                .withProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .withProperty(ProducerConfig.ACKS_CONFIG, "all")
                .withProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new SendProducer<>(producerSettings, system);
    }

    /**
     * Publishes {@code value} as JSON (a projection's record); completes when the broker acknowledged it, and counts it
     * in {@code kairos_kafka_published_total}.
     */
    public CompletionStage<Done> publish(String topic, String key, Object value) {
        return send(new ProducerRecord<>(topic, key, Json.write(value))).thenApply(done -> {
            KairosMetrics.KAFKA_PUBLISHED.labelValues(topic).inc();
            return done;
        });
    }

    CompletionStage<Done> send(ProducerRecord<String, byte[]> record) {
        return producer.send(record).thenApply(metadata -> Done.getInstance());
    }

    static ProducerRecord<String, byte[]> record(String topic, String key, byte[] value, RecordHeaders headers) {
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    @Override
    public void close() {
        producer.close();
    }
}
