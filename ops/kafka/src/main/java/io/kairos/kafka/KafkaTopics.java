package io.kairos.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics Kairos reads and writes when they are missing, with the configured partitions and replication, and
 * those that name shoppers with the personal-data retention (an existing topic is left as it is). A broker that does
 * not answer is logged, not fatal: the consumer and the producers retry on their own.
 */
final class KafkaTopics {
    private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);

    private KafkaTopics() {}

    static void ensure(KafkaSettings settings) {
        var props = new HashMap<String, Object>(settings.clientProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        var creation = settings.creation();
        try (var admin = Admin.create(props)) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = settings.topics().all().stream()
                    .distinct()
                    .filter(t -> !existing.contains(t))
                    .map(t -> {
                        var topic = new NewTopic(t, creation.partitions(), creation.replicationFactor());
                        if (!settings.topics().personal().contains(t)) return topic;
                        var retention = creation.personalDataRetention().toMillis();
                        return topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention)));
                    })
                    .toList();
            if (missing.isEmpty()) return;
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            log.info(
                    "Kafka: created {} ({} partitions, replication {})",
                    missing.stream().map(NewTopic::name).toList(),
                    creation.partitions(),
                    creation.replicationFactor());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) log.warn("Kafka: topics not created", e.getCause());
        } catch (TimeoutException e) {
            log.warn("Kafka: the broker did not answer within 30 s; topics not checked");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
