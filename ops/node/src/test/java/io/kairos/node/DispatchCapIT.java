package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import io.kairos.shopper.ShopperEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The global contact cap on a real node and Cassandra: with a cap of one message per person, a person who gets two
 * offers — one decided on its own events, one on events sent under a linked identity, on two different channels — is
 * sent one message; the second delivery is recorded as failed with reason {@code capped}.
 */
class DispatchCapIT {
    @Test
    void theContactCapHoldsAcrossChannelsAndLinkedIdentities() throws Exception {
        var keys = new ConcurrentHashMap<String, AtomicInteger>();
        var channels = new ConcurrentHashMap<String, String>();
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            var key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            keys.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            channels.put(key, exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        var base = "http://127.0.0.1:" + server.getAddress().getPort();
        var config = ConfigFactory.parseString(
                """
        kairos.dispatch.quiet-hours = off
        kairos.dispatch.contact-cap.max = 1
        kairos.dispatch.channels.webhook { url = "%s/webhook", secret = "s1" }
        kairos.dispatch.channels.sms {
          kind = webhook, enabled = on, url = "%s/sms", secret = "s2", consent = sms, address-attribute = "",
          cost = 0.05, response-rate = 0.06, rate = 10, parallelism = 2, max-attempts = 3, min-backoff = 100ms,
          max-backoff = 1s, call-timeout = 10s, breaker.max-failures = 5, breaker.reset-timeout = 10s
        }
        kairos.offers.triggers.cart-abandonment-delay = 3s
        # no exploration: both decisions must issue (a "no offer" draw would leave nothing to cap)
        kairos.offers.exploration.epsilon = 0
        kairos.offers.exploration.cold-start = 0
        """
                        .formatted(base, base));
        try (var node = NodeHarness.start(NodeHarness.freshSchema("dispatchcap"), null, config)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> node.management("/ready").statusCode() == 200);
            var now = Instant.now();
            for (var c : List.of("cap-a:webhook", "cap-b:sms")) {
                var id = c.split(":")[0];
                var body =
                        """
            {"campaignId":"%s","name":"cap","coupon":{"type":"amount_off","value":5},"budget":1000,"validDays":7,
             "startsAt":"%s","endsAt":"%s","objective":"activation","pacing":"asap","channels":["%s"]}"""
                                .formatted(
                                        id,
                                        now.minus(Duration.ofHours(1)),
                                        now.plus(Duration.ofDays(30)),
                                        c.split(":")[1]);
                assertThat(node.post("/v1/campaigns", body).statusCode()).isEqualTo(201);
            }
            assertThat(node.put("/v1/shoppers/capped-person/profile", "{\"consent\":{\"webhook\":true,\"sms\":true}}")
                            .statusCode())
                    .isEqualTo(200);
            var link = node.post("/v1/shoppers/capped-person/links", "{\"identity\":\"device:capped-phone\"}");
            assertThat(link.statusCode()).as(link.body()).isIn(200, 201);

            // the person's first order: a lifecycle decision, one offer, one message
            var order =
                    "{\"events\":[{\"eventId\":\"cap-o1\",\"shopperId\":\"capped-person\",\"type\":\"order\",\"occurredAt\":\""
                            + now + "\",\"orderId\":\"cap-o1\",\"amount\":30}]}";
            assertThat(node.post("/v1/events", order).statusCode()).isEqualTo(202);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> keys.size() == 1);
            // a cart abandoned under the linked identity: a second decision for the same person, on the other campaign
            var cart =
                    "{\"events\":[{\"eventId\":\"cap-c1\",\"shopperId\":\"device:capped-phone\",\"type\":\"add_to_cart\",\"occurredAt\":\""
                            + Instant.now() + "\",\"sku\":\"sku-1\"}]}";
            assertThat(node.post("/v1/events", cart).statusCode()).isEqualTo(202);

            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> node.journal("Shopper|capped-person").stream()
                            .anyMatch(e -> e.event() instanceof ShopperEvent.DeliveryFailed));
            var events = node.journal("Shopper|capped-person").stream()
                    .map(e -> e.event())
                    .toList();
            var issued = events.stream()
                    .filter(e -> e instanceof ShopperEvent.OfferIssued)
                    .map(e -> ((ShopperEvent.OfferIssued) e).offer())
                    .toList();
            assertThat(issued).hasSize(2);
            assertThat(issued).extracting(o -> o.channel()).containsExactlyInAnyOrder("webhook", "sms");
            var delivered = events.stream()
                    .filter(e -> e instanceof ShopperEvent.OfferDelivered)
                    .map(e -> (ShopperEvent.OfferDelivered) e)
                    .toList();
            var failed = events.stream()
                    .filter(e -> e instanceof ShopperEvent.DeliveryFailed)
                    .map(e -> (ShopperEvent.DeliveryFailed) e)
                    .toList();
            assertThat(delivered).hasSize(1);
            assertThat(failed).singleElement().satisfies(f -> assertThat(f.reason())
                    .isEqualTo("capped"));
            Thread.sleep(2_000);
            assertThat(keys).containsOnlyKeys(delivered.get(0).offerId());
            assertThat(keys.get(delivered.get(0).offerId()).get()).isEqualTo(1);
            assertThat(Map.copyOf(channels).values())
                    .containsExactly("/" + delivered.get(0).channel());
        } finally {
            server.stop(0);
        }
    }
}
