package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kairos.campaign.Campaign;
import io.kairos.campaign.Pacing;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.Test;

/** {@code GET /v1/campaigns/{id}/burn}: reserved and spent at each step, against what even pacing allowed then. */
public class CampaignBurnTest extends ShopperRouteTest {
    @Test
    public void eachPointHoldsWhatWasReservedThenAndWhatPacingAllowed() {
        post("/v1/campaigns", campaign("burn-c", FIVE_OFF, "").replace("\"asap\"", "\"even\""), "operator-key")
                .assertStatusCode(201);
        knownShopper("burn-s");
        post("/v1/shoppers/burn-s/offers/decide", null, "ingest-key").assertStatusCode(200);

        var burn = body(get(
                "/v1/campaigns/burn-c/burn?from=2026-11-23T09:00:00Z&to=2026-11-23T11:00:00Z&step=PT30M",
                "auditor-key"));
        var points = burn.path("points");
        // 09:00 and 09:30 come before the campaign existed (it was created at the route clock's 10:00)
        assertThat(points).hasSize(3);
        assertThat(points.get(0).path("at").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(points.get(0).path("reserved").decimalValue()).isEqualByComparingTo("5.00");
        assertThat(points.get(2).path("spent").decimalValue()).isEqualByComparingTo("0");
        var definition = new Campaign(
                "burn-c",
                "Winter",
                null,
                new BigDecimal("100"),
                7,
                Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-12-31T00:00:00Z"),
                null,
                null,
                0,
                null,
                null,
                Campaign.PacingMode.EVEN,
                0.3,
                null,
                null,
                null);
        assertThat(points.get(2).path("allowedByPacing").decimalValue())
                .isEqualByComparingTo(Pacing.allowance(
                        definition, new BigDecimal("100"), Instant.parse("2026-11-23T11:00:00Z"), 0.1));
        assertThat(points.get(2).path("allowedByPacing").decimalValue())
                .isGreaterThan(points.get(0).path("allowedByPacing").decimalValue());
    }

    @Test
    public void neverMoreThanAThousandPointsEndIncluded() {
        post("/v1/campaigns", campaign("burn-f", FIVE_OFF, ""), "operator-key").assertStatusCode(201);
        // 1,000 steps of a minute land 1 s short of to: the end is the 1,001st point, so this is refused
        get("/v1/campaigns/burn-f/burn?from=2026-11-23T00:00:00Z&to=2026-11-23T16:39:01Z&step=PT1M", "operator-key")
                .assertStatusCode(400);
        var ok = body(get(
                "/v1/campaigns/burn-f/burn?from=2026-11-23T00:00:00Z&to=2026-11-23T16:39:00Z&step=PT1M",
                "operator-key"));
        assertThat(ok.path("points").size()).isLessThanOrEqualTo(1000);
    }

    @Test
    public void byDefaultItRunsFromTheCreationToNow() {
        post("/v1/campaigns", campaign("burn-d", FIVE_OFF, ""), "operator-key").assertStatusCode(201);
        var burn = body(get("/v1/campaigns/burn-d/burn", "operator-key"));
        assertThat(burn.path("from").asText()).isEqualTo(NOW.toString());
        assertThat(burn.path("points")).hasSize(1);
        assertThat(burn.path("points").get(0).path("allowedByPacing").decimalValue())
                .isEqualByComparingTo("100");
    }

    @Test
    public void aBadWindowIsA400AndAnUnknownCampaignA404() {
        post("/v1/campaigns", campaign("burn-e", FIVE_OFF, ""), "operator-key").assertStatusCode(201);
        get("/v1/campaigns/burn-e/burn?step=PT10S", "operator-key").assertStatusCode(400);
        get("/v1/campaigns/burn-e/burn?step=soon", "operator-key").assertStatusCode(400);
        get("/v1/campaigns/burn-e/burn?from=2026-10-01T00:00:00Z&step=PT1M", "operator-key")
                .assertStatusCode(400);
        get("/v1/campaigns/burn-e/burn?to=2026-11-01T00:00:00Z", "operator-key").assertStatusCode(400);
        get("/v1/campaigns/burn-e/burn?step=PT" + "0".repeat(70) + "1H", "operator-key")
                .assertStatusCode(400);
        // a from after now, with no to: the fault is the from's
        var late = get("/v1/campaigns/burn-e/burn?from=2026-11-30T00:00:00Z", "operator-key");
        late.assertStatusCode(400);
        assertThat(late.entityString()).contains("\"from\"");
        get("/v1/campaigns/nope/burn", "operator-key").assertStatusCode(404);
        get("/v1/campaigns/burn-e/burn", "ingest-key").assertStatusCode(403);
    }
}
