package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.kairos.metrics.KairosMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in {@code ops/grafana} asks only for series a node exports: every metric name in every panel's
 * query is one that {@code GET /metrics} serves (the names {@link NodeMetrics#scrape()} registers, with the suffixes
 * the text format adds: {@code _total} for counters, {@code _bucket}, {@code _count}, {@code _sum} for histograms), and
 * the dashboard covers ingest, decisions, budgets, deliveries, the cluster and the JVM.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "grafana", "kairos-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:kairos|jvm|process)_[a-z0-9_]+)\\b");

    @Test
    void everyQueryNamesAMetricTheNodeExports() throws Exception {
        var dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        var queried = new TreeSet<String>();
        var exprs = new ArrayList<String>();
        collect(dashboard.path("panels"), exprs);
        for (var expr : exprs) {
            var m = METRIC.matcher(expr);
            while (m.find()) queried.add(m.group(1));
        }
        assertThat(exprs).hasSizeGreaterThan(20);

        var exported = exported();
        assertThat(queried)
                .as("metrics the dashboard asks for, exported by a node")
                .isSubsetOf(exported);
        assertThat(queried)
                .as("ingest, decisions, budgets, deliveries, cluster, JVM")
                .contains(
                        "kairos_events_ingested_total",
                        "kairos_decisions_total",
                        "kairos_campaign_budget_spent",
                        "kairos_deliveries_total",
                        "kairos_cluster_members",
                        "jvm_memory_used_bytes");
    }

    private static void collect(JsonNode panels, List<String> exprs) {
        for (var panel : panels) {
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            collect(panel.path("panels"), exprs);
        }
    }

    /** The series names a node's scrape can hold, from its registries' metadata (with or without data points). */
    private static Set<String> exported() {
        KairosMetrics.EVENTS_INGESTED.getClass(); // the business metrics register when the class loads
        var testKit = ActorTestKit.create(ConfigFactory.parseString(
                        """
                akka.remote.artery.canonical.port = 0
                akka.coordinated-shutdown.exit-jvm = off
                akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                """)
                .withFallback(ConfigFactory.load()));
        try {
            var names = new TreeSet<String>();
            for (var snapshot : NodeMetrics.get(testKit.system()).scrape()) {
                var name = snapshot.getMetadata().getPrometheusName();
                if (snapshot instanceof CounterSnapshot) names.add(name + "_total");
                else if (snapshot instanceof HistogramSnapshot)
                    names.addAll(List.of(name + "_bucket", name + "_count", name + "_sum"));
                else if (snapshot instanceof SummarySnapshot)
                    names.addAll(List.of(name, name + "_count", name + "_sum"));
                else if (snapshot instanceof InfoSnapshot) names.add(name + "_info");
                else names.add(name);
            }
            return names;
        } finally {
            testKit.shutdownTestKit();
        }
    }
}
