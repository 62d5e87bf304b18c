package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.kairos.dispatch.WebhookChannel;
import io.kairos.shopper.ShopperEvent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Offer delivery end to end on a real node JVM and a real Cassandra, through a local webhook receiver that verifies
 * every request's signature and counts posts and distinct {@code Idempotency-Key}s, and an SMTP server (GreenMail) that
 * counts e-mails by {@code Message-ID}: 1,000 offers issued to consenting shoppers (half of them e-mail only) produce
 * exactly 1,000 distinct deliveries although receiver and SMTP server are down at first (deliveries back off and
 * recover) and the node is killed ({@code kill -9}) and restarted while delivering, and each shopper's journal records
 * the delivery; shoppers inside their quiet hours and shoppers without consent are never even attempted.
 */
class DispatchIT {
    private static final int SHOPPERS = 1_000;
    private static final int QUIET = 50;
    private static final int NO_CONSENT = 50;
    private static final String SECRET = "it-webhook-secret";

    /** The receiver: every post by key, with its signature checked. */
    static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();
        final AtomicInteger posts = new AtomicInteger();
        final AtomicInteger badSignatures = new AtomicInteger();
        final Map<String, String> shopperOfKey = new ConcurrentHashMap<>();
        final Set<String> shoppersSeen = ConcurrentHashMap.newKeySet();
        /** While false the receiver is "down": it answers 503 and accepts nothing. */
        volatile boolean accepting = false;

        Receiver() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                var body = exchange.getRequestBody().readAllBytes();
                var key = exchange.getRequestHeaders().getFirst(WebhookChannel.IDEMPOTENCY_HEADER);
                var signature = exchange.getRequestHeaders().getFirst(WebhookChannel.SIGNATURE_HEADER);
                posts.incrementAndGet();
                if (!valid(signature, body)) badSignatures.incrementAndGet();
                var json = new String(body, StandardCharsets.UTF_8);
                int at = json.indexOf("\"shopperId\":\"");
                var shopper = at >= 0 ? json.substring(at + 13, json.indexOf('"', at + 13)) : "?";
                shoppersSeen.add(shopper);
                if (!accepting) {
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                    return;
                }
                if (key != null) {
                    byKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    shopperOfKey.put(key, shopper);
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
            server.start();
        }

        static boolean valid(String header, byte[] body) {
            if (header == null || !header.startsWith("t=")) return false;
            var parts = header.split(",");
            long t = Long.parseLong(parts[0].substring(2));
            return parts.length == 2
                    && parts[1].equals("v1=" + WebhookChannel.sign(SECRET.getBytes(StandardCharsets.UTF_8), t, body));
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void everyIssuedOfferIsDeliveredOnceDespiteAKilledNodeAndNoneInQuietHoursOrWithoutConsent() throws Exception {
        // Quiet hours: a four-hour window around the current time of day twelve hours east of UTC. Shoppers in UTC are
        // far outside it; shoppers in Etc/GMT-12 (UTC+12) are inside it right now.
        var eastNow = Instant.now().atZone(ZoneOffset.ofHours(12)).toLocalTime();
        var quiet = eastNow.minusHours(2).withSecond(0).withNano(0) + "-"
                + eastNow.plusHours(2).withSecond(0).withNano(0);
        // The SMTP server (GreenMail) is started only when the webhook receiver comes up: until then e-mails fail too.
        int smtpPort = io.kairos.devcassandra.DevCassandra.freePort();
        var smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        try (var receiver = new Receiver()) {
            var harness = ClusterHarness.start(
                    1,
                    Map.of(
                            "KAIROS_WEBHOOK_URL",
                            receiver.url(),
                            "KAIROS_WEBHOOK_SECRET",
                            SECRET,
                            "KAIROS_QUIET_HOURS",
                            quiet,
                            "KAIROS_SMTP_HOST",
                            "127.0.0.1",
                            "KAIROS_SMTP_PORT",
                            Integer.toString(smtpPort),
                            "KAIROS_SMTP_STARTTLS",
                            "false",
                            "KAIROS_MAIL_FROM",
                            "offers@kairos.test"));
            try {
                int port = harness.httpPorts().get(0);
                var now = Instant.now();
                var campaign =
                        """
            {"campaignId":"dispatch-it","name":"IT","coupon":{"type":"percent_off","value":10,"maxDiscount":15},"budget":100000,
             "validDays":7,"startsAt":"%s","endsAt":"%s","objective":"activation","pacing":"asap","channels":["webhook","email","sms"]}"""
                                .formatted(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
                assertThat(send(harness, port, "POST", "/v1/campaigns", campaign)
                                .statusCode())
                        .isEqualTo(201);

                // Offers for 1,000 consenting shoppers in UTC, plus shoppers inside their quiet hours and shoppers
                // without
                // consent. A decision can fail to reserve budget in time (the one campaign entity persists serially on
                // a
                // loaded box): such a shopper gets no offer, so more shoppers are enrolled until 1,000 hold one.
                // Quiet-hours and non-consenting shoppers too, topped up the same way until each group holds some
                // offers.
                var others = new ArrayList<String>();
                int quietNext = 0;
                int noConsentNext = 0;
                for (int round = 0; ; round++) {
                    assertThat(round)
                            .as("rounds of enrolment for quiet and non-consenting shoppers")
                            .isLessThan(10);
                    var held = offers(harness, port, others).keySet();
                    long quietHeld =
                            held.stream().filter(id -> id.startsWith("quiet")).count();
                    long noConsentHeld = held.stream()
                            .filter(id -> id.startsWith("noconsent"))
                            .count();
                    if (quietHeld >= QUIET / 2 && noConsentHeld >= NO_CONSENT / 2) break;
                    var batch = new ArrayList<String>();
                    for (long i = quietHeld; i < QUIET / 2; i++) batch.add("quiet-" + quietNext++);
                    for (long i = noConsentHeld; i < NO_CONSENT / 2; i++) batch.add("noconsent-" + noConsentNext++);
                    enrol(harness, port, batch);
                    others.addAll(batch);
                }
                var issued = new java.util.TreeMap<String, String>(); // d-shopper -> offer id
                int next = 0;
                while (issued.size() < SHOPPERS) {
                    var batch = new ArrayList<String>();
                    for (int i = issued.size(); i < SHOPPERS; i++) batch.add("d-" + next++);
                    enrol(harness, port, batch);
                    issued.putAll(offers(harness, port, batch));
                }
                var enrolled = new ArrayList<String>();
                for (int i = 0; i < next; i++) enrolled.add("d-" + i);
                issued = new java.util.TreeMap<>(offers(harness, port, enrolled)); // a late decision would show here
                var otherOffers = offers(harness, port, others);
                System.out.printf(
                        "DispatchIT: %d shoppers enrolled for %d offers; %d offers to quiet or non-consenting shoppers%n",
                        next, issued.size(), otherOffers.size());
                assertThat(issued).hasSizeGreaterThanOrEqualTo(SHOPPERS);
                assertThat(otherOffers.keySet())
                        .anyMatch(id -> id.startsWith("quiet"))
                        .anyMatch(id -> id.startsWith("noconsent"));

                // The receiver was down so far (503: deliveries back off, the circuit opens); it comes up now, the
                // deliveries recover, and the node is killed while it is delivering, then started again.
                assertThat(receiver.byKey).isEmpty();
                receiver.accepting = true;
                smtp.start();
                Awaitility.await()
                        .atMost(Duration.ofMinutes(5))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> receiver.byKey.size() + mails(smtp).size() >= 250);
                harness.cluster.kill(0);
                int beforeKill = receiver.byKey.size() + mails(smtp).size();
                harness.cluster.startNode(0);
                harness.cluster.awaitReady(Duration.ofMinutes(4));

                int expected = issued.size();
                Awaitility.await()
                        .atMost(Duration.ofMinutes(8))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> receiver.byKey.size() + mails(smtp).size() >= expected);
                Thread.sleep(
                        10_000); // anything still in flight, or a wrongful resend after the restart, would land now
                int accepted = receiver.byKey.values().stream()
                        .mapToInt(AtomicInteger::get)
                        .sum();
                var mails = mails(smtp);
                int mailCount = smtp.getReceivedMessages().length;
                System.out.printf(
                        "DispatchIT: %d distinct offers delivered (%d before the kill): webhook %d distinct keys, %d posts accepted"
                                + " (%d resent with a key already accepted), %d posts refused with 503 while the receiver was down; e-mail %d distinct"
                                + " Message-IDs in %d messages%n",
                        receiver.byKey.size() + mails.size(),
                        beforeKill,
                        receiver.byKey.size(),
                        accepted,
                        accepted - receiver.byKey.size(),
                        receiver.posts.get() - accepted,
                        mails.size(),
                        mailCount);

                assertThat(receiver.badSignatures.get()).isZero();
                // exactly the issued offers, each delivered once (by key) to its shopper, on the channel it consents to
                var deliveredIds = new java.util.HashSet<>(receiver.byKey.keySet());
                assertThat(mails.keySet()).doesNotContainAnyElementsOf(deliveredIds);
                deliveredIds.addAll(mails.keySet());
                assertThat(deliveredIds).containsExactlyInAnyOrderElementsOf(issued.values());
                for (var e : issued.entrySet()) {
                    if (emailShopper(e.getKey()))
                        assertThat(mails.get(e.getValue())).as(e.getKey()).isEqualTo(e.getKey() + "@example.com");
                    else
                        assertThat(receiver.shopperOfKey.get(e.getValue()))
                                .as(e.getKey())
                                .isEqualTo(e.getKey());
                }
                // no consent, or inside quiet hours: never even attempted
                assertThat(receiver.shoppersSeen)
                        .allSatisfy(id -> assertThat(id).startsWith("d-"));

                // Every delivery is recorded in the shopper's journal, once, for that offer.
                for (var e : issued.entrySet()) {
                    var delivered = harness.journalEvents(e.getKey()).stream()
                            .filter(ev -> ev instanceof ShopperEvent.OfferDelivered)
                            .map(ev -> ((ShopperEvent.OfferDelivered) ev).offerId())
                            .toList();
                    assertThat(delivered).as(e.getKey()).containsExactly(e.getValue());
                }
                // No consent: recorded as a failed delivery. Quiet hours: nothing recorded yet (waiting for the
                // window).
                for (var id : otherOffers.keySet()) {
                    var events = harness.journalEvents(id);
                    assertThat(events).as(id).noneMatch(ev -> ev instanceof ShopperEvent.OfferDelivered);
                    if (id.startsWith("noconsent")) {
                        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> harness.journalEvents(id).stream()
                                .anyMatch(ev -> ev instanceof ShopperEvent.DeliveryFailed f
                                        && f.reason().equals("no-consent")));
                    } else {
                        assertThat(events).as(id).noneMatch(ev -> ev instanceof ShopperEvent.DeliveryFailed);
                    }
                }
            } finally {
                harness.close();
                smtp.stop();
            }
        }
    }

    /**
     * Profiles (consent, zone) and a first order for each shopper: the order makes the shopper active, a lifecycle
     * decision, which issues an offer on a channel of the campaign the shopper consents to: {@code webhook}, or for the
     * "noconsent" shoppers {@code sms}, a channel this node has no adapter for, while they do not consent to the
     * webhook. Paced at 20 shoppers a second, as every decision reserves budget from the one campaign entity.
     */
    private static void enrol(ClusterHarness harness, int port, List<String> ids) throws Exception {
        var profiles = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        var permits = new Semaphore(16);
        for (var id : ids) {
            var consent = id.startsWith("noconsent")
                    ? "{\"sms\":true}"
                    : emailShopper(id) ? "{\"email\":true}" : "{\"webhook\":true}";
            var zone = id.startsWith("quiet") ? "Etc/GMT-12" : "UTC";
            permits.acquire();
            profiles.add(sendAsync(
                            harness,
                            port,
                            "PUT",
                            "/v1/shoppers/" + id + "/profile",
                            "{\"timeZone\":\"" + zone + "\",\"consent\":" + consent + ",\"attributes\":{\"email\":\""
                                    + id + "@example.com\"}}")
                    .whenComplete((r, e) -> permits.release()));
        }
        CompletableFuture.allOf(profiles.toArray(CompletableFuture[]::new)).join();
        assertThat(profiles)
                .allSatisfy(r ->
                        assertThat(r.join().statusCode()).as(r.join().body()).isEqualTo(200));
        var at = Instant.now().minusSeconds(30);
        var events = new ArrayList<String>();
        for (var id : ids) {
            events.add(
                    "{\"eventId\":\"" + id + "-o1\",\"shopperId\":\"" + id + "\",\"type\":\"order\",\"occurredAt\":\""
                            + at + "\",\"orderId\":\"o-" + id + "\",\"amount\":40}");
        }
        for (int from = 0; from < events.size(); from += 10) {
            var r = send(
                    harness,
                    port,
                    "POST",
                    "/v1/events",
                    "{\"events\":[" + String.join(",", events.subList(from, Math.min(events.size(), from + 10)))
                            + "]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            Thread.sleep(500);
        }
        // Past the time a decision may wait for its campaign (kairos.offers.reserve-give-up-after, 20 s): on a loaded
        // box
        // the last decisions of a batch are still retrying their reservation 10 s later.
        Thread.sleep(21_000);
    }

    /** Every other "d-" shopper consents to e-mail only (the others to the webhook only). */
    private static boolean emailShopper(String id) {
        return id.startsWith("d-") && Integer.parseInt(id.substring(2)) % 2 == 1;
    }

    /** The e-mails received, by offer id (from {@code Message-ID: <offerId@kairos>}) -> recipient. */
    private static Map<String, String> mails(GreenMail smtp) {
        var out = new java.util.HashMap<String, String>();
        for (var m : smtp.getReceivedMessages()) {
            try {
                var id = m.getHeader("Message-ID")[0];
                out.put(id.substring(1, id.indexOf('@')), m.getAllRecipients()[0].toString());
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Shopper id -> the id of its one offer, for the given shoppers that hold an offer. */
    private static Map<String, String> offers(ClusterHarness harness, int port, List<String> ids) throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var out = new ConcurrentHashMap<String, String>();
        var permits = new Semaphore(16);
        var calls = new ArrayList<CompletableFuture<?>>();
        for (var id : ids) {
            permits.acquire();
            calls.add(sendAsync(harness, port, "GET", "/v1/shoppers/" + id, "")
                    .thenAccept(r -> {
                        try {
                            var offers = mapper.readTree(r.body()).path("offers");
                            assertThat(offers.size()).as(id).isLessThanOrEqualTo(1);
                            if (offers.size() == 1)
                                out.put(id, offers.get(0).path("offerId").asText());
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .whenComplete((v, e) -> permits.release()));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        return out;
    }

    private static HttpResponse<String> send(ClusterHarness h, int port, String method, String path, String body)
            throws Exception {
        return sendAsync(h, port, method, path, body).get();
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(
            ClusterHarness h, int port, String method, String path, String body) {
        return h.http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + ClusterHarness.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                method,
                                body.isEmpty()
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
