package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.server.Directives;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * TLS over real HTTP: the API served from a PKCS12 keystore or from PEM files presents that certificate, answers with
 * {@code Strict-Transport-Security}, and does not speak plain HTTP on its port; a half or double configuration and a
 * wrong password are start-up errors naming the setting.
 */
public class TlsTest {
    private static final ActorTestKit testKit = ActorTestKit.create(RouteTestConfig.with(""));
    private static Path dir;
    private static TestCertificates certs;

    @BeforeClass
    public static void makeCertificate() throws Exception {
        dir = Files.createTempDirectory("kairos-tls");
        certs = TestCertificates.create(dir);
    }

    @AfterClass
    public static void stop() {
        testKit.shutdownTestKit();
    }

    private static Optional<Tls> tls(String hocon) {
        return Tls.fromConfig(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()));
    }

    private static String pemConfig() {
        return "kairos.tls.cert-pem = \"" + certs.certPem + "\"\nkairos.tls.key-pem = \"" + certs.keyPem + "\"\n";
    }

    @Test
    public void nothingConfiguredIsPlainHttp() {
        assertThat(tls("")).isEmpty();
    }

    @Test
    public void aKeystoreServesHttpsWithHstsAndRefusesPlainHttp() throws Exception {
        assertServesTls(tls(certs.keystoreConfig()).orElseThrow());
    }

    @Test
    public void pemFilesServeHttpsWithHsts() throws Exception {
        assertServesTls(tls(pemConfig()).orElseThrow());
    }

    @Test
    public void halfOrDoubleConfigurationsAndWrongPasswordsAreStartUpErrors() {
        assertThatThrownBy(() -> tls(certs.keystoreConfig() + pemConfig()))
                .hasMessageContaining("KAIROS_TLS_KEYSTORE and KAIROS_TLS_CERT/KAIROS_TLS_KEY are both set");
        assertThatThrownBy(() -> tls("kairos.tls.cert-pem = \"" + certs.certPem + "\""))
                .hasMessageContaining("needs both KAIROS_TLS_CERT")
                .hasMessageContaining("KAIROS_TLS_KEY");
        assertThatThrownBy(() -> tls(
                        "kairos.tls.keystore = \"" + certs.keystore + "\"\n" + "kairos.tls.keystore-password = wrong"))
                .hasMessageContaining("KAIROS_TLS_KEYSTORE " + certs.keystore + " cannot be read");
        assertThatThrownBy(() -> tls("kairos.tls.cert-pem = \"" + certs.keyPem + "\"\nkairos.tls.key-pem = \""
                        + certs.certPem + "\""))
                .hasMessageContaining("cannot be read");
    }

    private void assertServesTls(Tls tls) throws Exception {
        var settings = HttpSettings.fromConfig(RouteTestConfig.with("kairos.http.host = 127.0.0.1"))
                .withPort(0);
        var binding = KairosHttpServer.start(testKit.system(), Directives.complete("hello"), settings, Optional.of(tls))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        int port = binding.localAddress().getPort();
        try {
            var client = HttpClient.newBuilder()
                    .sslContext(certs.clientContext())
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            var response = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/anything"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
            assertThat(response.headers().firstValue("Strict-Transport-Security"))
                    .contains("max-age=31536000");
            SSLSession session = response.sslSession().orElseThrow();
            assertThat(session.getPeerCertificates()[0]).isEqualTo(certs.certificate);
            assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2");

            var plain = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            assertThatThrownBy(() -> plain.send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/anything"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        } finally {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
