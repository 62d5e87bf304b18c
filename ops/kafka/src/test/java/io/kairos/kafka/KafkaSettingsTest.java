package io.kairos.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.kairos.http.ApiException;
import io.kairos.http.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    private static KafkaSettings settings(String hocon) {
        return KafkaSettings.fromConfig(ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.defaultReference())
                .resolve()
                .getConfig("kairos.kafka"));
    }

    @Test
    void kafkaIsOffUntilABrokerIsNamedAndTheTopicsHaveTheDocumentedDefaults() {
        var off = settings("");
        assertThat(off.enabled()).isFalse();
        assertThat(off.topics().all())
                .containsExactly("kairos-events", "kairos-events-dlq", "kairos-offers", "kairos-prices");
        assertThat(off.topics().personal()).containsExactly("kairos-events", "kairos-events-dlq", "kairos-offers");
        assertThat(off.creation().personalDataRetention()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(settings("kairos.kafka.bootstrap-servers = \"b1:9092,b2:9092\"")
                        .enabled())
                .isTrue();
    }

    @Test
    void securitySettingsBecomeClientPropertiesAndTheDescriptionNamesNoSecret() {
        var s = settings(
                """
                kairos.kafka.bootstrap-servers = "b1:9093"
                kairos.kafka.client.security-protocol = SASL_SSL
                kairos.kafka.client.sasl-mechanism = PLAIN
                kairos.kafka.client.sasl-jaas-config = "secret-jaas"
                kairos.kafka.client.properties { "ssl.endpoint.identification.algorithm" = "https" }
                """);
        assertThat(s.clientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", "secret-jaas")
                .containsEntry("ssl.endpoint.identification.algorithm", "https")
                .doesNotContainKey("ssl.truststore.location");
        assertThat(s.describe()).contains("SASL_SSL").doesNotContain("secret-jaas");
    }

    @Test
    void aDeadLetterReasonNamesEveryInvalidField() {
        var problem = new ApiException(Problem.validation(List.of(
                        new Problem.FieldError("type", "must be one of view, order"),
                        new Problem.FieldError("occurredAt", "is required"))))
                .problem();
        assertThat(EventIngest.reason(problem))
                .contains("type: must be one of view, order")
                .contains("occurredAt: is required");
    }
}
