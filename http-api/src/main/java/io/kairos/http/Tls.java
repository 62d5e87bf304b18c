package io.kairos.http;

import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.HttpsConnectionContext;
import akka.pki.pem.DERPrivateKeyLoader;
import akka.pki.pem.PEMDecoder;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * TLS for the API and management ports ({@code kairos.tls}): the server's key and certificate chain from a PKCS12/JKS
 * keystore ({@code KAIROS_TLS_KEYSTORE}, {@code KAIROS_TLS_KEYSTORE_PASSWORD}) or from PEM files
 * ({@code KAIROS_TLS_CERT}, the chain; {@code KAIROS_TLS_KEY}, a PKCS#8 or PKCS#1 key, decoded by Akka's
 * {@code akka-pki}). TLS 1.3 and 1.2 only. With TLS on, every API answer carries {@code Strict-Transport-Security}.
 * Nothing configured means plain HTTP (TLS terminated in front of the node, or dev).
 */
public final class Tls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final boolean management;
    private final Duration hstsMaxAge;
    private final String source;

    private Tls(SSLContext context, boolean management, Duration hstsMaxAge, String source) {
        this.context = context;
        this.management = management;
        this.hstsMaxAge = hstsMaxAge;
        this.source = source;
    }

    /**
     * The TLS that {@code kairos.tls} configures, or empty for plain HTTP. A keystore and PEM files at once, a
     * certificate without its key (or the reverse), an unreadable file or a wrong password is an error naming the
     * setting.
     */
    public static Optional<Tls> fromConfig(Config root) {
        var c = root.getConfig("kairos.tls");
        var keystore = c.getString("keystore");
        var cert = c.getString("cert-pem");
        var key = c.getString("key-pem");
        if (keystore.isBlank() && cert.isBlank() && key.isBlank()) return Optional.empty();
        if (!keystore.isBlank() && !(cert.isBlank() && key.isBlank()))
            throw new IllegalArgumentException(
                    "KAIROS_TLS_KEYSTORE and KAIROS_TLS_CERT/KAIROS_TLS_KEY are both set: give one or the other");
        if (keystore.isBlank() && (cert.isBlank() || key.isBlank()))
            throw new IllegalArgumentException(
                    "TLS from PEM files needs both KAIROS_TLS_CERT (the certificate chain) and KAIROS_TLS_KEY (its key)");
        // PEM files go into an in-memory keystore under a random password of its own.
        var password = keystore.isBlank()
                ? UUID.randomUUID().toString().toCharArray()
                : c.getString("keystore-password").toCharArray();
        var store =
                keystore.isBlank() ? fromPem(Path.of(cert), Path.of(key), password) : load(Path.of(keystore), password);
        return Optional.of(new Tls(
                sslContext(store, password),
                c.getBoolean("management"),
                c.getDuration("hsts-max-age"),
                keystore.isBlank() ? cert : keystore));
    }

    /** The server side of TLS for Akka HTTP: TLS 1.3 and 1.2 only. */
    public HttpsConnectionContext serverContext() {
        return ConnectionContext.httpsServer(() -> {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            engine.setEnabledProtocols(PROTOCOLS);
            return engine;
        });
    }

    /** Whether the management port (health, metrics, bootstrap) serves TLS too ({@code KAIROS_TLS_MANAGEMENT}). */
    public boolean management() {
        return management;
    }

    /** The {@code Strict-Transport-Security} value every API answer carries. */
    public String hsts() {
        return "max-age=" + hstsMaxAge.toSeconds();
    }

    /** The keystore or certificate file the key came from (for the log; never the key). */
    public String source() {
        return source;
    }

    private static KeyStore load(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            // PKCS12 by default; the JDK's keystore loader also reads JKS under this type.
            var store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "KAIROS_TLS_KEYSTORE " + file + " cannot be read (wrong path or password?): " + e.getMessage(), e);
        }
    }

    private static KeyStore fromPem(Path certFile, Path keyFile, char[] password) {
        try (InputStream in = Files.newInputStream(certFile)) {
            Certificate[] chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in)
                    .toArray(new Certificate[0]);
            if (chain.length == 0)
                throw new IllegalArgumentException("KAIROS_TLS_CERT " + certFile + " holds no certificate");
            var key = privateKey(PEMDecoder.decode(Files.readString(keyFile, StandardCharsets.US_ASCII)));
            var store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("kairos", key, password, chain);
            return store;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith("KAIROS_TLS")) throw iae;
            throw new IllegalArgumentException(
                    "KAIROS_TLS_CERT " + certFile + " / KAIROS_TLS_KEY " + keyFile + " cannot be read: "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * A PKCS#8 key ({@code PRIVATE KEY}: RSA, EC or Ed25519) through the JDK's key factories; a PKCS#1 RSA key
     * ({@code RSA PRIVATE KEY}) through Akka's loader, which reads only RSA.
     */
    private static PrivateKey privateKey(PEMDecoder.DERData der) throws GeneralSecurityException {
        if (!"PRIVATE KEY".equals(der.label())) return DERPrivateKeyLoader.load(der);
        for (var algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der.bytes()));
            } catch (InvalidKeySpecException notThisAlgorithm) {
                // try the next
            }
        }
        throw new InvalidKeySpecException("the PKCS#8 key is neither RSA, EC nor Ed25519");
    }

    private static SSLContext sslContext(KeyStore store, char[] password) {
        try {
            var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            var ssl = SSLContext.getInstance("TLS");
            ssl.init(keys.getKeyManagers(), null, new SecureRandom());
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the TLS key cannot be used: " + e.getMessage(), e);
        }
    }
}
