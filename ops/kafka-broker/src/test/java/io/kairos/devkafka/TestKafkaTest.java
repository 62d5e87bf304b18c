package io.kairos.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestKafkaTest {

    @Test
    void everyCallerOfTheJvmGetsTheSameAnsweringBrokerWithItsDataUnderTarget() {
        var first = TestKafka.shared();
        var second = TestKafka.shared();

        assertThat(second).isSameAs(first);
        var broker = first.broker().orElseThrow();
        assertThat(first.bootstrapServers()).isEqualTo(broker.bootstrapServers());
        assertThat(MetadataProbe.query(broker.port())).isPresent();
        assertThat(broker.dataDir())
                .startsWith(Path.of("target").toAbsolutePath())
                .satisfies(dir -> assertThat(dir.getFileName().toString()).startsWith("test-kafka-"));
    }
}
