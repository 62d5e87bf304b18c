package io.kairos.devcassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/**
 * Cassandra credentials and TLS become the driver's PlainTextAuthProvider and DefaultSslEngineFactory settings, the
 * same for the node's HOCON and for sessions configured in code; half-given settings are errors; nothing set changes
 * nothing.
 */
class CassandraSecurityTest {
    private static CassandraSecurity parse(String hocon) {
        return CassandraSecurity.fromConfig(
                ConfigFactory.parseString(hocon)
                        .withFallback(
                                ConfigFactory.parseString(
                                        """
                        username = "", password = ""
                        tls { enabled = off, truststore = "", truststore-password = "", keystore = ""
                              keystore-password = "", hostname-validation = on }
                        """)));
    }

    @Test
    void nothingSetConfiguresNothing() {
        var none = parse("");
        assertThat(none.driverConfig().isEmpty()).isTrue();
        var options = OptionsMap.driverDefaults();
        none.applyTo(options);
        assertThat(options.get(TypedDriverOption.AUTH_PROVIDER_CLASS)).isNull();
        assertThat(options.get(TypedDriverOption.SSL_ENGINE_FACTORY_CLASS)).isNull();
        assertThat(none.describe()).isEqualTo("without authentication, unencrypted");
    }

    @Test
    void credentialsAndTlsBecomeTheDriversProviders() {
        var secure = parse(
                """
                username = kairos, password = "s3cret"
                tls { enabled = on, truststore = /etc/kairos/ca.p12, truststore-password = trust
                      keystore = /etc/kairos/client.p12, keystore-password = client, hostname-validation = off }
                """);
        var driver = secure.driverConfig().getConfig("datastax-java-driver.advanced");
        assertThat(driver.getString("auth-provider.class")).isEqualTo("PlainTextAuthProvider");
        assertThat(driver.getString("auth-provider.username")).isEqualTo("kairos");
        assertThat(driver.getString("auth-provider.password")).isEqualTo("s3cret");
        assertThat(driver.getString("ssl-engine-factory.class")).isEqualTo("DefaultSslEngineFactory");
        assertThat(driver.getString("ssl-engine-factory.truststore-path")).isEqualTo("/etc/kairos/ca.p12");
        assertThat(driver.getString("ssl-engine-factory.keystore-path")).isEqualTo("/etc/kairos/client.p12");
        assertThat(driver.getBoolean("ssl-engine-factory.hostname-validation")).isFalse();

        var options = OptionsMap.driverDefaults();
        secure.applyTo(options);
        assertThat(options.get(TypedDriverOption.AUTH_PROVIDER_USER_NAME)).isEqualTo("kairos");
        assertThat(options.get(TypedDriverOption.SSL_TRUSTSTORE_PASSWORD)).isEqualTo("trust");
        assertThat(options.get(TypedDriverOption.SSL_KEYSTORE_PATH)).isEqualTo("/etc/kairos/client.p12");
        assertThat(secure.describe())
                .isEqualTo("as kairos, over TLS (no host-name validation)")
                .doesNotContain("s3cret");
    }

    @Test
    void halfGivenSettingsAreErrors() {
        assertThatThrownBy(() -> parse("username = kairos")).hasMessageContaining("set both or neither");
        assertThatThrownBy(() -> parse("tls.truststore = /etc/ca.p12"))
                .hasMessageContaining("KAIROS_CASSANDRA_TLS is off");
    }
}
