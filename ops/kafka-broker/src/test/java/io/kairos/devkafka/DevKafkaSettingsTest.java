package io.kairos.devkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevKafkaSettingsTest {

    private static final Path DATA = Path.of("target", "settings-test");

    @Test
    void thePortComesFromTheEnvironmentWhenSetAndIsKafkasStandardOneOtherwise() {
        assertThat(DevKafkaSettings.fromEnvironment(DATA, Map.of()).port()).isEqualTo(9092);
        assertThat(DevKafkaSettings.fromEnvironment(DATA, Map.of(DevKafkaSettings.PORT_ENV, " 29092 "))
                        .port())
                .isEqualTo(29092);
        assertThat(DevKafkaSettings.fromEnvironment(DATA, Map.of(DevKafkaSettings.PORT_ENV, "0"))
                        .port())
                .isZero();
    }

    @Test
    void aPortInTheEnvironmentThatIsNoPortNamesTheVariable() {
        for (var bad : new String[] {"kafka", "70000", "-1"}) {
            assertThatThrownBy(() -> DevKafkaSettings.fromEnvironment(DATA, Map.of(DevKafkaSettings.PORT_ENV, bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(DevKafkaSettings.PORT_ENV)
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void heapSizesAreJvmSizes() {
        assertThat(new DevKafkaSettings.Heap("256m", "1g").jvmOptions()).containsExactly("-Xms256m", "-Xmx1g");
        assertThatThrownBy(() -> new DevKafkaSettings.Heap("256", "512m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DevKafkaSettings.Heap("-Xms256m", "512m"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clusterIdsAreKafkaUuids() {
        for (int i = 0; i < 100; i++) {
            assertThat(KraftStorage.newClusterId()).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
        }
    }

    @Test
    void theConfigurationListensOnLoopbackOnlyAndRecordsThePort(@TempDir Path dir) throws IOException {
        var settings =
                DevKafkaSettings.defaults(dir.resolve("dätä")).withPort(29092).withPartitions(2);

        BrokerFiles.writeConfig(settings, 29092, 29093);

        var server = load(BrokerFiles.serverProperties(settings.dataDir()));
        assertThat(server.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093");
        assertThat(server.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:29093");
        assertThat(server.getProperty("num.partitions")).isEqualTo("2");
        assertThat(server.getProperty("log.dirs"))
                .isEqualTo(BrokerFiles.kraftDir(settings.dataDir()).toString());
        assertThat(BrokerFiles.configuredPort(settings.dataDir())).hasValue(29092);
        assertThat(load(BrokerFiles.log4jConfig(settings.dataDir())).getProperty("appender.server.fileName"))
                .isEqualTo(BrokerFiles.serverLog(settings.dataDir()).toString());
    }

    /** As Kafka and Log4j read them. */
    private static Properties load(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            var properties = new Properties();
            properties.load(in);
            return properties;
        }
    }
}
