package io.kairos.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The campaign catalogue across two cluster nodes in one JVM: a view published on one node is read on the other without
 * asking any entity, and an older version never replaces a newer one.
 */
class ReplicatedCampaignCatalogueTest {
    private static final String CONFIG =
            """
      akka.actor.provider = cluster
      akka.remote.artery.canonical.hostname = "127.0.0.1"
      akka.remote.artery.canonical.port = 0
      akka.cluster.jmx.multi-mbeans-in-same-jvm = on
      akka.cluster.distributed-data.notify-subscribers-interval = 50ms
      akka.loglevel = WARNING
      """;
    private static ActorTestKit first;
    private static ActorTestKit second;

    @BeforeAll
    static void cluster() {
        first = ActorTestKit.create(
                "catalogue", ConfigFactory.parseString(CONFIG).withFallback(ConfigFactory.load()));
        second = ActorTestKit.create(
                "catalogue", ConfigFactory.parseString(CONFIG).withFallback(ConfigFactory.load()));
        var address = Cluster.get(first.system()).selfMember().address();
        Cluster.get(first.system()).manager().tell(Join.create(address));
        Cluster.get(second.system()).manager().tell(Join.create(address));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> java.util.stream.StreamSupport.stream(
                                                Cluster.get(first.system())
                                                        .state()
                                                        .getMembers()
                                                        .spliterator(),
                                                false)
                                        .filter(m -> m.status() == MemberStatus.up())
                                        .count()
                                == 2
                        && Cluster.get(second.system()).selfMember().status() == MemberStatus.up());
    }

    @AfterAll
    static void shutdown() {
        second.shutdownTestKit();
        first.shutdownTestKit();
    }

    @Test
    void aViewPublishedOnOneNodeIsReadOnTheOtherAndNeverGoesBack() {
        var onFirst = ReplicatedCampaignCatalogue.get(first.system());
        var onSecond = ReplicatedCampaignCatalogue.get(second.system());
        var campaign = Campaigns.campaign("replicated", Campaigns.amountOff("5"), "100");
        onFirst.publish(new CampaignView(campaign, CampaignStatus.ACTIVE, false, 1));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> onSecond.get("replicated").isPresent());
        assertThat(onSecond.issuingAt(Campaigns.START.plusSeconds(60)))
                .extracting(CampaignView::campaignId)
                .contains("replicated");

        onFirst.publish(new CampaignView(campaign, CampaignStatus.PAUSED, false, 3, new BigDecimal("4.50")));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> onSecond.get("replicated").orElseThrow().version() == 3);
        assertThat(onSecond.issuingAt(Campaigns.START.plusSeconds(60)))
                .extracting(CampaignView::campaignId)
                .doesNotContain("replicated");
        assertThat(onSecond.moneyLeft("replicated"))
                .as("the money left travels")
                .isEqualByComparingTo("4.50");
        assertThat(onSecond.moneyLeft("unknown")).isNull();

        // a late, older view (a stale republish) changes nothing on either node
        onSecond.publish(new CampaignView(campaign, CampaignStatus.ACTIVE, false, 2));
        assertThat(onSecond.get("replicated").orElseThrow().status()).isEqualTo(CampaignStatus.PAUSED);
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> onFirst.get("replicated").orElseThrow().status() == CampaignStatus.PAUSED);
    }
}
