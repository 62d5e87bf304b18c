package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A dev node on a simulated clock (issue 14's time travel): requests, decisions and expiries run on the clock an admin
 * moves, not on the wall clock. An offer issued at the simulated time expires, and its budget reservation is released,
 * once the clock is moved past its expiry, within seconds of real time. Decisions whose outcome windows closed in
 * simulated time are what a campaign forecast reads, no-offer decisions included.
 */
class TimeTravelIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String START = "2027-01-04T08:00:00Z";

    @Test
    void anOfferExpiresAndItsReservationIsReleasedWhenAnAdminMovesTheClockPastIt() throws Exception {
        try (var node = NodeHarness.start(
                NodeHarness.freshSchema("timetravel"),
                "kairos.mode = dev\nkairos.clock { mode = simulated, start = \"" + START + "\" }")) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            var clock = JSON.readTree(node.get("/v1/dev/clock").body());
            assertThat(clock.path("now").asText()).isEqualTo(START);
            assertThat(clock.path("simulated").asBoolean()).isTrue();

            var campaign = node.post(
                    "/v1/campaigns",
                    """
                    {"campaignId":"winter","name":"Winter","coupon":{"type":"amount_off","value":5},"budget":1000,
                     "validDays":7,"startsAt":"2027-01-03T00:00:00Z","endsAt":"2027-01-20T00:00:00Z",
                     "objective":"activation","pacing":"asap"}""");
            assertThat(campaign.statusCode()).as(campaign.body()).isEqualTo(201);
            // a month and more after the wall clock: accepted because the node's now is the simulated one
            var event = node.post(
                    "/v1/events",
                    "{\"events\":[{\"eventId\":\"tt-1\",\"shopperId\":\"ann\",\"type\":\"view\",\"sku\":\"sku-1\","
                            + "\"occurredAt\":\"2027-01-04T07:59:00Z\"}]}");
            assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
            var offer = node.awaitOffers("ann", 1).get(0);
            assertThat(offer.path("issuedAt").asText()).isEqualTo(START);
            assertThat(offer.path("expiresAt").asText()).isEqualTo("2027-01-11T08:00:00Z");

            // a day before expiry nothing happens; past it, the wallet drops the offer and the budget comes back
            var moved = node.post("/v1/dev/clock", "{\"to\":\"2027-01-10T08:00:00Z\"}");
            assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
            Thread.sleep(2_000); // twice the recheck interval: time for anything that would wrongly fall due
            assertThat(JSON.readTree(node.get("/v1/shoppers/ann/offers").body())
                            .path("offers")
                            .size())
                    .isEqualTo(1);
            assertThat(node.post("/v1/dev/clock", "{\"advanceBy\":\"P2D\"}").statusCode())
                    .isEqualTo(200);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() ->
                            JSON.readTree(node.get("/v1/campaigns/winter/stats").body())
                                            .path("reservations")
                                            .path("released")
                                            .asInt()
                                    == 1);
            assertThat(JSON.readTree(node.get("/v1/shoppers/ann/offers").body())
                            .path("offers")
                            .size())
                    .isZero();
            assertThat(node.post("/v1/dev/clock", "{\"to\":\"" + START + "\"}").statusCode())
                    .as("time does not go back")
                    .isEqualTo(422);

            // the forecast reads the journal's decisions once their outcome windows closed: the paused winter leaves
            // a coupon worth more than it earns, so most of three shoppers' decisions issue nothing, and count
            assertThat(node.patch("/v1/campaigns/winter", "{\"status\":\"paused\"}")
                            .statusCode())
                    .isEqualTo(200);
            var dear = node.post(
                    "/v1/campaigns",
                    """
                    {"campaignId":"dear","name":"Dear","coupon":{"type":"amount_off","value":40},"budget":10000,
                     "validDays":7,"startsAt":"2027-01-12T00:00:00Z","endsAt":"2027-03-01T00:00:00Z",
                     "objective":"profit","pacing":"asap"}""");
            assertThat(dear.statusCode()).as(dear.body()).isEqualTo(201);
            for (var shopper : java.util.List.of("bo", "cy", "di")) {
                var seen = node.post(
                        "/v1/events",
                        "{\"events\":[{\"eventId\":\"tt-" + shopper + "\",\"shopperId\":\"" + shopper
                                + "\",\"type\":\"view\",\"occurredAt\":\"2027-01-12T07:00:00Z\"}]}");
                assertThat(seen.statusCode()).as(seen.body()).isEqualTo(202);
                assertThat(node.post("/v1/shoppers/" + shopper + "/offers/decide", "")
                                .statusCode())
                        .isEqualTo(200);
            }
            assertThat(node.post("/v1/dev/clock", "{\"advanceBy\":\"P15D\"}").statusCode())
                    .isEqualTo(200);
            var forecast = node.post(
                    "/v1/campaigns/simulate",
                    """
                    {"campaignId":"spring","name":"Spring","coupon":{"type":"amount_off","value":5},"budget":100,
                     "validDays":7,"startsAt":"2027-02-01T00:00:00Z","endsAt":"2027-02-07T23:59:59Z"}""");
            assertThat(forecast.statusCode()).as(forecast.body()).isEqualTo(200);
            var f = JSON.readTree(forecast.body());
            assertThat(f.path("population").path("decisions").asInt())
                    .as(forecast.body())
                    .isGreaterThanOrEqualTo(4);
            assertThat(f.path("days")).hasSize(7);
            assertThat(f.path("method").asText()).isEqualTo("model-based");
            assertThat(node.get("/v1/campaigns/spring").statusCode())
                    .as("nothing persisted")
                    .isEqualTo(404);
        }
    }
}
