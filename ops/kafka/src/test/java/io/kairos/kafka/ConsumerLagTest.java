package io.kairos.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.metrics.KairosMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

    private static void lag(Map<MetricName, Metric> metrics, String name, String partition, double value) {
        var metricName = new MetricName(
                name, "consumer-fetch-manager-metrics", "", Map.of("topic", "events", "partition", partition));
        metrics.put(metricName, new Metric() {
            @Override
            public MetricName metricName() {
                return metricName;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    private static Map<String, Double> exported() {
        var values = new HashMap<String, Double>();
        KairosMetrics.KAFKA_CONSUMER_LAG
                .collect()
                .getDataPoints()
                .forEach(p -> values.put(p.getLabels().get("partition"), p.getValue()));
        return values;
    }

    @Test
    void theLagOfEachConsumedPartitionIsExportedAndAPartitionTakenAwayIsNoLongerReported() {
        var metrics = new HashMap<MetricName, Metric>();
        lag(metrics, "records-lag", "0", 12);
        lag(metrics, "records-lag", "1", 0);
        lag(metrics, "records-lag-max", "1", 99); // not a partition's lag
        KafkaBridge.recordLag(metrics);
        assertThat(exported()).containsOnly(Map.entry("0", 12.0), Map.entry("1", 0.0));

        var afterRebalance = new HashMap<MetricName, Metric>();
        lag(afterRebalance, "records-lag", "1", 3);
        KafkaBridge.recordLag(afterRebalance);
        assertThat(exported()).containsOnly(Map.entry("1", 3.0));
    }
}
