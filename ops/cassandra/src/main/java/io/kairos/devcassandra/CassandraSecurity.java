package io.kairos.devcassandra;

import com.datastax.oss.driver.api.core.config.OptionsMap;
import com.datastax.oss.driver.api.core.config.TypedDriverOption;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How Kairos authenticates to Cassandra and encrypts its connections in production ({@code kairos.cassandra}): username
 * and password for Cassandra's {@code PasswordAuthenticator} (the driver's {@code PlainTextAuthProvider}), and TLS
 * through the driver's {@code DefaultSslEngineFactory} with an optional trust store (else the JVM's), an optional key
 * store for client certificates, and host-name validation. The same settings reach the node's sessions (Akka
 * Persistence Cassandra's, through {@link #driverConfig()}) and {@code kairos schema}'s (through
 * {@link #applyTo(OptionsMap)}). Nothing set = no authentication, plain connections (the dev node).
 */
public record CassandraSecurity(
        String username,
        String password,
        boolean tls,
        String truststore,
        String truststorePassword,
        String keystore,
        String keystorePassword,
        boolean hostnameValidation) {

    public static final CassandraSecurity NONE = new CassandraSecurity("", "", false, "", "", "", "", true);

    public CassandraSecurity {
        if (username.isBlank() != password.isEmpty())
            throw new IllegalArgumentException(
                    "KAIROS_CASSANDRA_USERNAME and KAIROS_CASSANDRA_PASSWORD go together: set both or neither");
        if (!tls && !(truststore.isBlank() && keystore.isBlank()))
            throw new IllegalArgumentException(
                    "KAIROS_CASSANDRA_TRUSTSTORE or KAIROS_CASSANDRA_KEYSTORE is set but KAIROS_CASSANDRA_TLS is off");
    }

    /** From the {@code kairos.cassandra} block. */
    public static CassandraSecurity fromConfig(Config c) {
        return new CassandraSecurity(
                c.getString("username"),
                c.getString("password"),
                c.getBoolean("tls.enabled"),
                c.getString("tls.truststore"),
                c.getString("tls.truststore-password"),
                c.getString("tls.keystore"),
                c.getString("tls.keystore-password"),
                c.getBoolean("tls.hostname-validation"));
    }

    public boolean authenticates() {
        return !username.isBlank();
    }

    /** The {@code datastax-java-driver} settings for these choices (empty when nothing is set). */
    public Config driverConfig() {
        var values = new LinkedHashMap<String, Object>();
        if (authenticates()) {
            values.put("advanced.auth-provider.class", "PlainTextAuthProvider");
            values.put("advanced.auth-provider.username", username);
            values.put("advanced.auth-provider.password", password);
        }
        if (tls) {
            values.put("advanced.ssl-engine-factory.class", "DefaultSslEngineFactory");
            values.put("advanced.ssl-engine-factory.hostname-validation", hostnameValidation);
            if (!truststore.isBlank()) {
                values.put("advanced.ssl-engine-factory.truststore-path", truststore);
                values.put("advanced.ssl-engine-factory.truststore-password", truststorePassword);
            }
            if (!keystore.isBlank()) {
                values.put("advanced.ssl-engine-factory.keystore-path", keystore);
                values.put("advanced.ssl-engine-factory.keystore-password", keystorePassword);
            }
        }
        var config = ConfigFactory.empty();
        for (Map.Entry<String, Object> e : values.entrySet())
            config =
                    config.withValue("datastax-java-driver." + e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
        return config;
    }

    /** The same settings on a session configured in code (see {@link Cql}). */
    public void applyTo(OptionsMap options) {
        if (authenticates()) {
            options.put(TypedDriverOption.AUTH_PROVIDER_CLASS, "PlainTextAuthProvider");
            options.put(TypedDriverOption.AUTH_PROVIDER_USER_NAME, username);
            options.put(TypedDriverOption.AUTH_PROVIDER_PASSWORD, password);
        }
        if (tls) {
            options.put(TypedDriverOption.SSL_ENGINE_FACTORY_CLASS, "DefaultSslEngineFactory");
            options.put(TypedDriverOption.SSL_HOSTNAME_VALIDATION, hostnameValidation);
            if (!truststore.isBlank()) {
                options.put(TypedDriverOption.SSL_TRUSTSTORE_PATH, truststore);
                options.put(TypedDriverOption.SSL_TRUSTSTORE_PASSWORD, truststorePassword);
            }
            if (!keystore.isBlank()) {
                options.put(TypedDriverOption.SSL_KEYSTORE_PATH, keystore);
                options.put(TypedDriverOption.SSL_KEYSTORE_PASSWORD, keystorePassword);
            }
        }
    }

    /** For the log: who connects and how, never the passwords. */
    public String describe() {
        return (authenticates() ? "as " + username : "without authentication")
                + (tls ? ", over TLS" + (hostnameValidation ? "" : " (no host-name validation)") : ", unencrypted");
    }
}
