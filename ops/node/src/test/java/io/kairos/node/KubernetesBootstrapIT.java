package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import com.typesafe.config.ConfigFactory;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kairos.devcassandra.DevCassandra;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster formation as in Kubernetes: two nodes configured like the pods of ops/k8s ({@code join = bootstrap},
 * {@code discovery = kubernetes-api}) ask a mock Kubernetes API server (fabric8's mock web server, over HTTPS with its
 * own certificate as the cluster CA and a service-account token) for the pods labelled {@code app=kairos}, probe each
 * other's management endpoints and form one cluster.
 *
 * <p>The mock answers only the query the real API server would get from a correctly configured pod: the pod list of the
 * namespace, filtered by the label selector, with the bearer token; anything else is 403/404.
 */
class KubernetesBootstrapIT {
    private static final String NAMESPACE = "kairos-test";
    private static final String TOKEN = "service-account-token-for-tests";

    @Test
    void nodesDiscoverEachOtherThroughTheKubernetesApiAndFormOneCluster(@TempDir Path dir) throws Exception {
        var token = Files.writeString(dir.resolve("token"), TOKEN);
        int management0 = DevCassandra.freePort();
        int management1 = DevCassandra.freePort();
        var podListQueries = new AtomicInteger();
        var server = new MockWebServer();
        server.useHttps();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization")))
                    return new MockResponse().setResponseCode(403);
                var path = request.getPath();
                int q = path.indexOf('?');
                var query = q < 0 ? "" : URLDecoder.decode(path.substring(q + 1), StandardCharsets.UTF_8);
                if (!"GET".equals(request.getMethod())
                        || !path.startsWith("/api/v1/namespaces/" + NAMESPACE + "/pods?")
                        || !query.equals("labelSelector=app=kairos")) {
                    return new MockResponse().setResponseCode(404);
                }
                podListQueries.incrementAndGet();
                return new MockResponse()
                        .setResponseCode(200)
                        .setHeader("Content-Type", "application/json")
                        .setBody(podList(management0, management1));
            }
        });
        int apiPort = Integer.parseInt(System.getenv("KAIROS_TEST_K8S_API_PORT"));
        server.start(InetAddress.getByName(System.getenv("KAIROS_TEST_K8S_API_HOST")), apiPort);
        var systems = new ArrayList<ActorSystem<Void>>();
        try {
            var ca = server.getSelfSignedCertificate().certificatePath();
            for (int management : List.of(management0, management1)) {
                var overrides = ConfigFactory.parseString(
                        """
            kairos.cluster.join = bootstrap
            kairos.cluster.discovery = kubernetes-api
            akka.management.http.hostname = "127.0.0.1"
            akka.management.http.port = %d
            akka.management.cluster.bootstrap.contact-point-discovery.port-name = management
            akka.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr = 2
            akka.discovery.kubernetes-api {
              api-ca-path = "%s"
              api-token-path = "%s"
              api-service-host-env-name = KAIROS_TEST_K8S_API_HOST
              api-service-port-env-name = KAIROS_TEST_K8S_API_PORT
              pod-namespace = %s
            }
            akka.remote.artery.canonical.port = %d
            akka.coordinated-shutdown.exit-jvm = off
            akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            """
                                .formatted(management, ca, token, NAMESPACE, DevCassandra.freePort()));
                // No Cassandra: forming the cluster needs none (the journal readiness check just stays false).
                var config = KairosNode.config(
                        "production", List.of(InetSocketAddress.createUnresolved("127.0.0.1", 1)), overrides);
                var system = ActorSystem.<Void>create(Behaviors.empty(), "kairos", config);
                systems.add(system);
                ClusterFormation.start(system, java.util.Optional.empty());
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        for (var system : systems) {
                            var members = Cluster.get(system).state().getMembers();
                            assertThat(members).hasSize(2).allMatch(m -> m.status() == MemberStatus.up());
                        }
                    });
            assertThat(podListQueries.get())
                    .as("pods were listed through the Kubernetes API")
                    .isPositive();
        } finally {
            for (var system : systems) system.terminate();
            for (var system : systems)
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            server.shutdown();
        }
    }

    /** Two running pods of the deployment on 127.0.0.1, their management ports named as in ops/k8s. */
    private static String podList(int management0, int management1) {
        var pods = new ArrayList<String>();
        int i = 0;
        for (int port : List.of(management0, management1)) {
            pods.add(
                    """
          {"metadata":{"name":"kairos-%d","namespace":"%s","labels":{"app":"kairos"}},
           "spec":{"containers":[{"name":"kairos","ports":[{"name":"http","containerPort":8080},
             {"name":"management","containerPort":%d},{"name":"remoting","containerPort":25520}]}]},
           "status":{"phase":"Running","podIP":"127.0.0.1","containerStatuses":[{"name":"kairos","state":{"running":{}}}]}}
          """
                            .formatted(i++, NAMESPACE, port));
        }
        return "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[" + String.join(",", pods) + "]}";
    }
}
