package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.Test;

/**
 * {@code POST /v1/campaigns/simulate}: a draft's forecast from the decisions the ledger holds (here: 40 shoppers'
 * decisions of a live campaign, read once their outcome window closed), persisting nothing.
 */
public class CampaignSimulateTest extends ShopperRouteTest {
    private static final String DRAFT =
            """
            {"campaignId":"spring-draft","name":"Spring","coupon":{"type":"amount_off","value":5},"budget":20,"validDays":7,
             "startsAt":"2026-12-08T00:00:00Z","endsAt":"2026-12-14T23:59:59Z","objective":"activation","pacing":"asap"}""";

    @Test
    public void aDraftIsForecastFromTheLedgerAndNothingIsPersisted() throws Exception {
        // a coupon worth more than it earns under the safe rule: most decisions issue nothing (a no-offer decision is
        // an
        // opportunity too), a few explore; enough budget for every shopper (a visit no campaign can issue to records no
        // decision)
        var live = campaign("live-c", "{\"type\":\"amount_off\",\"value\":40}", ",\"holdoutPercent\":20")
                .replace("\"budget\":100", "\"budget\":10000")
                .replace("\"activation\"", "\"profit\"");
        post("/v1/campaigns", live, "operator-key").assertStatusCode(201);
        for (int i = 0; i < 40; i++) {
            knownShopper("f-" + i);
            post("/v1/shoppers/f-" + i + "/offers/decide", null, "ingest-key").assertStatusCode(200);
        }
        // the outcome window (14 days) must close before a decision counts
        route = fixture.routes(Clock.fixed(NOW.plus(Duration.ofDays(15)), ZoneOffset.UTC));
        var before = quietCounts();
        var campaigns =
                body(get("/v1/campaigns", "operator-key")).path("campaigns").size();

        var response = post("/v1/campaigns/simulate", DRAFT, "operator-key");
        response.assertStatusCode(200);
        var f = body(response);
        // every visit is one opportunity: those that issued, those that issued nothing, the holdouts
        assertThat(f.path("population").path("decisions").asInt()).isEqualTo(40);
        assertThat(f.path("population").path("eligible").asInt()).isEqualTo(40);
        assertThat(f.path("population").path("shoppers").asInt()).isEqualTo(40);
        // the draft's coupon (5 off) was never logged
        assertThat(f.path("method").asText()).isEqualTo("model-based");
        assertThat(f.path("model").asText()).startsWith("safe-rule@");
        var days = f.path("days");
        assertThat(days).hasSize(7);
        assertThat(days.get(0).path("date").asText()).isEqualTo("2026-12-08");
        long issued = 0;
        var used = BigDecimal.ZERO;
        for (var d : days) {
            issued += d.path("issued").asLong();
            used = used.add(d.path("budgetUsed").decimalValue());
        }
        // each day's figure is rounded on its own
        assertThat(issued).isCloseTo(f.path("issued").asLong(), org.assertj.core.data.Offset.offset(7L));
        assertThat(f.path("issued").asLong()).isPositive();
        assertThat(used).isLessThanOrEqualTo(new BigDecimal("20"));
        var profit = f.path("incrementalProfit");
        assertThat(profit.path("low").decimalValue())
                .isLessThanOrEqualTo(profit.path("estimate").decimalValue());
        assertThat(profit.path("high").decimalValue())
                .isGreaterThanOrEqualTo(profit.path("estimate").decimalValue());
        assertThat(f.path("incrementalRevenue").has("estimate")).isTrue();
        assertThat(f.path("confidence").asDouble()).isEqualTo(0.9);

        assertThat(counts()).isEqualTo(before);
        assertThat(body(get("/v1/campaigns", "operator-key")).path("campaigns").size())
                .isEqualTo(campaigns);
    }

    @Test
    public void onlyOperatorsForecastAndABadDraftIsA400() {
        post("/v1/campaigns/simulate", DRAFT, "ingest-key").assertStatusCode(403);
        post("/v1/campaigns/simulate", DRAFT, "auditor-key").assertStatusCode(403);
        var bad = post("/v1/campaigns/simulate", DRAFT.replace("\"budget\":20", "\"budget\":-1"), "operator-key");
        bad.assertStatusCode(400);
        assertThat(bad.entityString()).contains("budget");
        // an empty ledger forecasts nothing, and says why
        var empty = body(post("/v1/campaigns/simulate", DRAFT, "operator-key"));
        assertThat(empty.path("issued").asLong()).isZero();
        assertThat(empty.path("notes").toString()).contains("no decision");
    }
}
