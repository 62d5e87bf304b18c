package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kairos.http.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A production node with TLS from a keystore, over real HTTPS: the API and the management port present the node's
 * certificate, API answers carry {@code Strict-Transport-Security}, plain HTTP gets no answer; of two keys of one role
 * the expired one is refused (401 naming its id) while its successor is served.
 */
class TlsIT {
    @Test
    void theApiAndManagementServeHttpsAndAnExpiredKeyIsRefusedForItsSuccessor(@TempDir Path dir) throws Exception {
        var certs = TestCertificates.create(dir);
        var https = HttpClient.newBuilder()
                .sslContext(certs.clientContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        try (var node = NodeHarness.start(
                NodeHarness.freshSchema("tls"),
                certs.keystoreConfig()
                        + "kairos.http.api-keys = \"admin=" + NodeHarness.ADMIN_KEY
                        + ",ingest=outgoing-ingest-key;id=ingest-2026;expires=2026-01-01"
                        + ",ingest=incoming-ingest-key;id=ingest-2027\"")) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> https.send(
                                            HttpRequest.newBuilder(URI.create(
                                                            "https://localhost:" + node.managementPort + "/ready"))
                                                    .timeout(Duration.ofSeconds(5))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);

            var events = "{\"events\":[{\"eventId\":\"tls-1\",\"shopperId\":\"secure\",\"type\":\"view\","
                    + "\"occurredAt\":\"" + Instant.now().minusSeconds(5) + "\"}]}";
            var accepted = https.send(post(node, events, "incoming-ingest-key"), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as("%s", accepted.body()).isEqualTo(202);
            assertThat(accepted.headers().firstValue("Strict-Transport-Security"))
                    .contains("max-age=31536000");
            assertThat(accepted.sslSession().orElseThrow().getPeerCertificates()[0])
                    .isEqualTo(certs.certificate);

            var expired = https.send(post(node, events, "outgoing-ingest-key"), HttpResponse.BodyHandlers.ofString());
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(expired.body()).contains("ingest-2026 expired").doesNotContain("outgoing-ingest-key");

            var plain = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            assertThatThrownBy(() -> plain.send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort + "/openapi.yaml"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    private static HttpRequest post(NodeHarness node, String json, String key) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + node.httpPort + "/v1/events"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }
}
