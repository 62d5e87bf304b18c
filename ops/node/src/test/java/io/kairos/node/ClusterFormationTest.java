package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Akka settings each {@code kairos.cluster.join} mode implies, as the node's configuration resolves them. */
class ClusterFormationTest {
    private static Config node(String overrides) {
        return KairosNode.config(
                "production",
                List.of(InetSocketAddress.createUnresolved("127.0.0.1", 9042)),
                ConfigFactory.parseString(overrides));
    }

    /** Each setting resolves to its value; a failure names the setting. */
    private static void assertSettings(Config c, Map<String, String> values) {
        values.forEach((path, value) -> assertThat(c.getString(path)).as(path).isEqualTo(value));
    }

    @Test
    void selfJoinConfiguresNoSeedsAndNoDiscovery() {
        var c = node("kairos.cluster.join = self");
        assertThat(c.getStringList("akka.cluster.seed-nodes")).isEmpty();
    }

    @Test
    void seedsBecomeArteryAddressesOfTheKairosSystem() {
        var c = node("kairos.cluster { join = seeds, seed-nodes = \"10.0.0.1:25520, 10.0.0.2:25521\" }");
        assertThat(c.getStringList("akka.cluster.seed-nodes"))
                .containsExactly("akka://kairos@10.0.0.1:25520", "akka://kairos@10.0.0.2:25521");
    }

    @Test
    void configDiscoveryListsEveryManagementEndpointAndKeepsThemAllThoughTheyShareAHost() {
        var c = node(
                "kairos.cluster { join = bootstrap, discovery = config, bootstrap-endpoints = \"127.0.0.1:8558,127.0.0.1:8559\" }");
        assertThat(c.getStringList("akka.cluster.seed-nodes")).isEmpty();
        assertThat(c.getString("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method"))
                .isEqualTo("config");
        var endpoints = c.getConfigList("akka.discovery.config.services.kairos.endpoints");
        assertThat(endpoints)
                .extracting(e -> e.getString("host") + ":" + e.getInt("port"))
                .containsExactly("127.0.0.1:8558", "127.0.0.1:8559");
        assertThat(c.getBoolean("akka.management.cluster.bootstrap.contact-point.filter-on-fallback-port"))
                .isFalse();
    }

    @Test
    void kubernetesDiscoveryListsPodsByTheAppLabelWithRawIps() {
        var c = node("kairos.cluster { join = bootstrap, discovery = kubernetes-api }");
        assertSettings(
                c,
                Map.of(
                        "akka.management.cluster.bootstrap.contact-point-discovery.discovery-method",
                        "kubernetes-api",
                        "akka.discovery.kubernetes-api.pod-label-selector",
                        "app=%s",
                        "akka.management.cluster.bootstrap.contact-point-discovery.service-name",
                        "kairos"));
        assertThat(c.getBoolean("akka.discovery.kubernetes-api.use-raw-ip")).isTrue();
    }

    @Test
    void explicitOverridesWinOverWhatTheJoinModeImplies() {
        var c = node(
                """
        kairos.cluster { join = seeds, seed-nodes = "10.0.0.1:25520" }
        akka.cluster.seed-nodes = ["akka://kairos@10.9.9.9:1"]
        """);
        assertThat(c.getStringList("akka.cluster.seed-nodes")).containsExactly("akka://kairos@10.9.9.9:1");
    }

    @Test
    void misconfigurationsFailAtStartWithTheSettingNamed() {
        assertThatThrownBy(() -> node("kairos.cluster.join = gossip")).hasMessageContaining("kairos.cluster.join");
        assertThatThrownBy(() -> node("kairos.cluster { join = seeds, seed-nodes = \"\" }"))
                .hasMessageContaining("KAIROS_SEED_NODES");
        assertThatThrownBy(() -> node("kairos.cluster { join = seeds, seed-nodes = \"host-without-port\" }"))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> node("kairos.cluster { join = bootstrap, discovery = dns }"))
                .hasMessageContaining("kairos.cluster.discovery");
    }

    @Test
    void theSplitBrainResolverKeepsTheMajorityAndTheDrainFitsItsShutdownPhase() {
        var c = node("");
        assertSettings(
                c,
                Map.of(
                        "akka.cluster.downing-provider-class", "akka.cluster.sbr.SplitBrainResolverProvider",
                        "akka.cluster.split-brain-resolver.active-strategy", "keep-majority",
                        "akka.management.http.routes.metrics", MetricsRoutes.class.getName()));
        assertThat(c.getDuration("kairos.cluster.shutdown-drain"))
                .isLessThan(c.getDuration("akka.coordinated-shutdown.phases.before-service-unbind.timeout"));
    }
}
