package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Akka settings each {@code kairos.cluster.join} mode implies, as the node's configuration resolves them. */
class ClusterFormationTest {
    private static Config node(String overrides) {
        return KairosNode.config(
                "production",
                List.of(InetSocketAddress.createUnresolved("127.0.0.1", 9042)),
                ConfigFactory.parseString(overrides));
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
        assertThat(c.getString("akka.management.cluster.bootstrap.contact-point-discovery.discovery-method"))
                .isEqualTo("kubernetes-api");
        assertThat(c.getString("akka.discovery.kubernetes-api.pod-label-selector"))
                .isEqualTo("app=%s");
        assertThat(c.getString("akka.management.cluster.bootstrap.contact-point-discovery.service-name"))
                .isEqualTo("kairos");
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
        assertThat(c.getString("akka.cluster.downing-provider-class"))
                .isEqualTo("akka.cluster.sbr.SplitBrainResolverProvider");
        assertThat(c.getString("akka.cluster.split-brain-resolver.active-strategy"))
                .isEqualTo("keep-majority");
        assertThat(c.getDuration("kairos.cluster.shutdown-drain"))
                .isLessThan(c.getDuration("akka.coordinated-shutdown.phases.before-service-unbind.timeout"));
        assertThat(c.getString("akka.management.http.routes.metrics")).isEqualTo(MetricsRoutes.class.getName());
    }
}
