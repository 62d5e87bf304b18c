package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.client.ApiClient;
import io.kairos.client.ApiException;
import io.kairos.client.api.DefaultApi;
import io.kairos.client.model.CampaignRequest;
import io.kairos.client.model.CampaignRequestCaps;
import io.kairos.client.model.CampaignRequestEligibility;
import io.kairos.client.model.CatalogImport;
import io.kairos.client.model.CatalogImportSkusInner;
import io.kairos.client.model.Coupon;
import io.kairos.client.model.Event;
import io.kairos.client.model.EventType;
import io.kairos.client.model.EventsRequest;
import io.kairos.client.model.Item;
import io.kairos.client.model.LinkRequest;
import io.kairos.client.model.Offer;
import io.kairos.client.model.Order;
import io.kairos.client.model.OrderRequest;
import io.kairos.client.model.Policy;
import io.kairos.client.model.QuoteRequest;
import io.kairos.client.model.RefundLine;
import io.kairos.client.model.RefundOrderRequest;
import io.kairos.client.model.SkuRequest;
import io.kairos.http.OpenApiContract;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A shop's day on a real node, played through the Java client generated from {@code openapi.yaml} with every response
 * checked against that document by {@link ContractCheckingHttpClient} (schema, status, media type, money with exactly
 * two decimals). The operator imports a catalogue of 1,000 SKUs and prices 50 of them dynamically, and runs four
 * campaigns of four coupon types; guests browse; 100 shoppers with 60 days of history get their tags by merge patch,
 * decide, claim, read their own prices, quote, order, return some items and cancel some orders, and one of them watches
 * her stream. At the end every GET of the day is sent again, and the journal is the same before and after.
 */
class ShopDayIT {
    private static final String INGEST_KEY = "ingest-key-for-tests";
    private static final String OPERATOR_KEY = "operator-key-for-tests";
    private static final int SKUS = 1_000;
    private static final int DYNAMIC = 50;
    private static final int SHOPPERS = 100;
    /** Reads numbers as written, so money re-checked from a stream event keeps its two decimals. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    private final ContractCheckingHttpClient checking = new ContractCheckingHttpClient(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());

    private DefaultApi api(NodeHarness node, String key) {
        var client = new ApiClient()
                .setHttpClientBuilder(checking.builder())
                .setHost("127.0.0.1")
                .setPort(node.httpPort)
                .setReadTimeout(Duration.ofSeconds(30))
                .setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        return new DefaultApi(client);
    }

    private static String sku(int i) {
        return "sku-%04d".formatted(i);
    }

    private static String shopper(int i) {
        return "s-%03d".formatted(i);
    }

    private static BigDecimal money(String amount) {
        return new BigDecimal(amount).setScale(2);
    }

    /** 5.00 to 102.50 in steps of 2.50. */
    private static BigDecimal listPrice(int i) {
        return money("5.00").add(money("2.50").multiply(BigDecimal.valueOf(i % 40)));
    }

    private static BigDecimal cost(int i) {
        return listPrice(i).multiply(new BigDecimal("0.40")).setScale(2, java.math.RoundingMode.HALF_UP);
    }

    private static SkuRequest dynamic(int i, BigDecimal floor, BigDecimal ceiling) {
        return new SkuRequest()
                .listPrice(listPrice(i))
                .cost(cost(i))
                .floor(floor)
                .ceiling(ceiling)
                .maxStepPercent(BigDecimal.TEN)
                .minMarginPercent(BigDecimal.TEN)
                .repriceEvery("PT1H")
                .policy(Policy.THOMPSON);
    }

    /** The cart of shopper {@code i}: two of a dynamically priced SKU and one fixed-price SKU. */
    private static List<Item> cart(int i) {
        return List.of(
                new Item().sku(sku(i % DYNAMIC)).quantity(2),
                new Item().sku(sku(DYNAMIC + (i * 7) % (SKUS - DYNAMIC))).quantity(1));
    }

    private static CampaignRequest campaign(String id, Coupon coupon, List<String> tags, OffsetDateTime now) {
        return new CampaignRequest()
                .campaignId(id)
                .name("Campaign " + id)
                .description("Save on your next order (" + coupon.getType().getValue() + ")")
                .terms("One per customer. Not combinable with itself.")
                .currency("EUR")
                .coupon(coupon)
                .budget(money("10000"))
                .validDays(14)
                .startsAt(now.minusHours(1))
                .endsAt(now.plusDays(30))
                .holdoutPercent(BigDecimal.ZERO)
                .eligibility(new CampaignRequestEligibility().tags(tags))
                .caps(new CampaignRequestCaps().perShopper(1).perShopperDays(30))
                .objective(CampaignRequest.ObjectiveEnum.ACTIVATION);
    }

    @Test
    void aShopDayThroughTheGeneratedClientKeepsTheContract() throws Exception {
        try (var node = NodeHarness.start(
                NodeHarness.freshSchema("shopday"),
                "kairos.http.api-keys = \"admin=%s,ingest=%s,operator=%s\""
                        .formatted(NodeHarness.ADMIN_KEY, INGEST_KEY, OPERATOR_KEY))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.management("/ready").statusCode() == 200);
            var operator = api(node, OPERATOR_KEY);
            var shop = api(node, INGEST_KEY);
            var now = OffsetDateTime.now(ZoneOffset.UTC);

            // --- the operator: a catalogue of 1,000 SKUs, 50 of them dynamically priced, and four campaigns
            var catalogue = new ArrayList<CatalogImportSkusInner>();
            for (int i = 0; i < SKUS; i++) {
                catalogue.add(new CatalogImportSkusInner()
                        .sku(sku(i))
                        .listPrice(listPrice(i))
                        .cost(cost(i))
                        .category("cat-" + i % 10)
                        .name("Item " + i));
            }
            assertThat(operator.importCatalog(new CatalogImport().skus(catalogue))
                            .getUpserted())
                    .isEqualTo(SKUS);
            for (int i = 0; i < DYNAMIC; i++) {
                var floor = listPrice(i).multiply(new BigDecimal("0.80")).setScale(2, java.math.RoundingMode.UP);
                var ceiling = listPrice(i).multiply(new BigDecimal("1.20")).setScale(2, java.math.RoundingMode.DOWN);
                var configured = operator.putSku(sku(i), dynamic(i, floor, ceiling));
                assertThat(configured.getPrice().getPrice()).isEqualByComparingTo(listPrice(i));
            }
            var listed = new ArrayList<io.kairos.client.model.SkuListSkusInner>();
            String cursor = null;
            do {
                var page = shop.listSkus(cursor, 200);
                listed.addAll(page.getSkus());
                cursor = page.getNextCursor();
            } while (cursor != null);
            assertThat(listed).hasSize(SKUS);
            assertThat(listed.stream().filter(s -> Boolean.TRUE.equals(s.getDynamic())))
                    .hasSize(DYNAMIC);

            operator.createCampaign(campaign(
                    "pct-g0",
                    new Coupon()
                            .type(Coupon.TypeEnum.PERCENT_OFF)
                            .value(BigDecimal.TEN)
                            .maxDiscount(money("20")),
                    List.of("g0"),
                    now));
            operator.createCampaign(campaign(
                    "amt-g1", new Coupon().type(Coupon.TypeEnum.AMOUNT_OFF).value(money("5")), List.of("g1"), now));
            operator.createCampaign(campaign(
                    "thr-g2",
                    new Coupon()
                            .type(Coupon.TypeEnum.THRESHOLD_AMOUNT_OFF)
                            .value(money("15"))
                            .minSpend(money("60")),
                    List.of("g2"),
                    now));
            operator.createCampaign(campaign(
                    "ship-all", new Coupon().type(Coupon.TypeEnum.FREE_SHIPPING).value(money("4.90")), List.of(), now));
            assertThat(operator.listCampaigns(null, null, null).getCampaigns()).hasSize(4);
            // an app with the ingest key reads a campaign (name, terms) but does not list them
            assertThat(shop.getCampaign("thr-g2").getName()).isEqualTo("Campaign thr-g2");

            // --- guests browse: the one price, previews of what anyone may get, quotes without coupons
            for (int g = 0; g < 10; g++) {
                var guest = "guest-" + g;
                var skus = sku(g) + "," + sku(DYNAMIC + g) + "," + sku(500 + g);
                // half of the guests read the explanations in Simplified Chinese
                var chinese = g % 2 == 1;
                var prices = shop.getShopperPrices(guest, skus, chinese ? "zh-CN" : null);
                assertThat(prices.getPrices()).hasSize(3).allSatisfy(p -> {
                    assertThat(p.getCoupons()).isEmpty();
                    assertThat(p.getYouPay()).isEqualByComparingTo(p.getPrice());
                    assertThat(p.getExplanation()).contains(chinese ? "统一价格" : "The price everyone pays");
                });
                var preview = shop.decideOffers(guest, null);
                assertThat(preview.getPreview()).isTrue();
                assertThat(preview.getDecisionId()).isNull();
                // the campaign reaches the node's catalogue through Distributed Data: previews may lag a moment
                if (!preview.getOffers().isEmpty())
                    assertThat(preview.getOffers()).singleElement().satisfies(o -> {
                        assertThat(o.getCampaignId()).isEqualTo("ship-all");
                        assertThat(o.getPreview()).isTrue();
                        assertThat(o.getCouponId()).isNull();
                    });
                var quote =
                        shop.quoteCheckout(new QuoteRequest().shopperId(guest).items(cart(g)));
                assertThat(quote.getBest().getCouponIds()).isEmpty();
                assertThat(quote.getTotal()).isEqualByComparingTo(quote.getSubtotal());
            }

            // --- 100 shoppers with 60 days of history, then today's browsing
            for (int from = 0; from < SHOPPERS; from += 20) {
                var events = new ArrayList<Event>();
                for (int i = from; i < from + 20; i++) events.addAll(history(i, now));
                var accepted = shop.postEvents(new EventsRequest().events(events));
                assertThat(accepted.getAccepted()).isEqualTo(events.size());
            }
            for (int i = 0; i < SHOPPERS; i++) {
                var read = shop.getShopperWithHttpInfo(shopper(i));
                var etag = header(read.getHeaders(), "etag");
                assertThat(etag).as("ETag of %s", shopper(i)).isNotNull();
                shop.patchProfile(
                        shopper(i), Map.of("tags", List.of("g" + i % 4), "consent", Map.of("email", i % 2 == 0)), etag);
                if (i == 0) {
                    var stale = catchThrowableOfType(
                            ApiException.class, () -> shop.patchProfile(shopper(0), Map.of("region", "north"), etag));
                    assertThat(stale.getCode()).isEqualTo(412);
                }
            }
            assertThat(shop.postLink(shopper(3), new LinkRequest().identity("phone:+4915112340003"))
                            .getLinks())
                    .contains("phone:+4915112340003");
            assertThat(shop.deleteLink(shopper(3), "phone:+4915112340003").getLinks())
                    .doesNotContain("phone:+4915112340003");

            // --- one shopper watches her stream
            try (var stream = SseStream.open(node.uri("/v1/shoppers/" + shopper(1) + "/stream"), INGEST_KEY, null)) {
                // --- everyone decides (twice: the tag's campaign and free shipping), idempotently
                // A new idempotency key per attempt: the same key would answer every attempt as the first, which
                // found no offer when the campaigns had not yet reached this node's catalogue.
                var attempt = new java.util.concurrent.atomic.AtomicInteger();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> shop.decideOffers(shopper(0), "warm-up-" + attempt.incrementAndGet())
                                        .getOffers()
                                        .size()
                                > 0);
                var types = new HashSet<Coupon.TypeEnum>();
                for (int i = 0; i < SHOPPERS; i++) {
                    var first = shop.decideOffers(shopper(i), "day-1-" + i);
                    var again = shop.decideOffers(shopper(i), "day-1-" + i);
                    assertThat(again.getDecisionId()).isEqualTo(first.getDecisionId());
                    var second = shop.decideOffers(shopper(i), "day-1-second-" + i);
                    assertThat(second.getPreview()).isFalse();
                    for (var offer : second.getOffers()) {
                        types.add(offer.getCoupon().getType());
                        assertThat(offer.getName()).isEqualTo("Campaign " + offer.getCampaignId());
                        assertThat(offer.getDescription()).startsWith("Save on");
                        assertThat(offer.getTerms()).isNotBlank();
                        assertThat(offer.getCurrency()).isEqualTo("EUR");
                        var campaign = offer.getCampaignId();
                        assertThat(campaign.equals("ship-all") || campaign.endsWith("-g" + i % 4))
                                .as("%s may not get %s", shopper(i), campaign)
                                .isTrue();
                    }
                }
                assertThat(types)
                        .containsExactlyInAnyOrder(
                                Coupon.TypeEnum.PERCENT_OFF,
                                Coupon.TypeEnum.AMOUNT_OFF,
                                Coupon.TypeEnum.THRESHOLD_AMOUNT_OFF,
                                Coupon.TypeEnum.FREE_SHIPPING);

                // claims reach the stream as offer events
                for (var offer : shop.getOffers(shopper(1)).getOffers())
                    shop.claimCoupon(shopper(1), offer.getCouponId());
                var claimed = stream.next(
                        "offer", e -> e.data().path("status").asText().equals("claimed"));
                OpenApiContract.checkSchema("Offer", claimed.data().toString());

                // the operator raises the floor of a SKU she viewed: its new price reaches her stream
                var viewed = 1 % DYNAMIC;
                operator.putSku(sku(viewed), dynamic(viewed, money("8.25"), money("10.00")));
                var repriced =
                        stream.next("price", e -> e.data().path("sku").asText().equals(sku(viewed)));
                assertThat(repriced.data().path("price").decimalValue()).isGreaterThanOrEqualTo(money("8.25"));
                OpenApiContract.checkSchema(
                        "ShopperPrices",
                        JSON.createObjectNode()
                                .put("shopperId", shopper(1))
                                .put("currency", "EUR")
                                .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                                        "prices", JSON.createArrayNode().add(repriced.data()))
                                .set("missing", JSON.createArrayNode())
                                .toString());

                // reconnecting with Last-Event-ID sends what changed since first
                try (var resumed = SseStream.open(
                        node.uri("/v1/shoppers/" + shopper(1) + "/stream"),
                        INGEST_KEY,
                        Long.toString(claimed.id() - 1))) {
                    var first = resumed.next("offer", e -> true);
                    assertThat(first.id()).isGreaterThanOrEqualTo(claimed.id());
                    assertThat(first.data().path("couponId").asText())
                            .isEqualTo(claimed.data().path("couponId").asText());
                }
            }

            // --- everyone claims, reads their own prices, quotes and orders with the best combination
            var orders = new TreeMap<String, Order>();
            for (int i = 0; i < SHOPPERS; i++) {
                for (var offer : shop.getOffers(shopper(i)).getOffers())
                    if (offer.getStatus() != Offer.StatusEnum.CLAIMED)
                        shop.claimCoupon(shopper(i), offer.getCouponId());
                var skus = String.join(",", cart(i).stream().map(Item::getSku).toList());
                var prices = shop.getShopperPrices(shopper(i), skus, null);
                assertThat(prices.getMissing()).isEmpty();
                for (var p : prices.getPrices()) {
                    assertThat(p.getYouPay()).isEqualByComparingTo(p.getPrice().subtract(p.getDiscount()));
                    assertThat(p.getLowestPrice30d()).isLessThanOrEqualTo(p.getPrice());
                    assertThat(p.getExplanation()).isNotBlank();
                    var index = Integer.parseInt(p.getSku().substring(4));
                    // the margin floor: cost plus the 10% minimum margin when priced dynamically, else the cost
                    var floor = index < DYNAMIC
                            ? cost(index).multiply(new BigDecimal("1.10")).setScale(2, java.math.RoundingMode.UP)
                            : cost(index);
                    assertThat(p.getYouPay())
                            .as("margin floor of %s", p.getSku())
                            .isGreaterThanOrEqualTo(floor);
                }
                var quote = shop.quoteCheckout(
                        new QuoteRequest().shopperId(shopper(i)).items(cart(i)).shippingFee(money("4.90")));
                assertThat(quote.getTotal())
                        .isEqualByComparingTo(quote.getSubtotal()
                                .add(quote.getShippingFee())
                                .subtract(quote.getBest().getDiscount()));
                if (i % 5 == 4) continue; // some only browse today
                var order = shop.placeOrder(new OrderRequest()
                        .orderId("o-" + shopper(i))
                        .shopperId(shopper(i))
                        .items(cart(i))
                        .shippingFee(money("4.90"))
                        .couponIds(quote.getBest().getCouponIds()));
                assertThat(order.getStatus()).isEqualTo(Order.StatusEnum.PLACED);
                assertThat(order.getTotal())
                        .isEqualByComparingTo(quote.getBest().getTotal());
                orders.put(order.getOrderId(), order);
            }
            assertThat(orders).hasSize(80);

            // --- returns: one unit of the dynamic line (partial), whole orders (full), and cancels
            var ids = new ArrayList<>(orders.keySet());
            for (int k = 0; k < ids.size(); k++) {
                var id = ids.get(k);
                var order = orders.get(id);
                if (k < 20) {
                    var line = new RefundLine()
                            .sku(order.getLines().get(0).getSku())
                            .quantity(1);
                    var refunded = shop.refundOrder(id, "return-" + id, new RefundOrderRequest().lines(List.of(line)));
                    assertThat(refunded.getStatus()).isEqualTo(Order.StatusEnum.PARTIALLY_REFUNDED);
                    assertThat(refunded.getRefunds()).hasSize(1);
                    var retried = shop.refundOrder(id, "return-" + id, new RefundOrderRequest().lines(List.of(line)));
                    assertThat(retried.getRefunds())
                            .as("a retried refund refunds once")
                            .hasSize(1);
                    orders.put(id, retried);
                } else if (k < 30) {
                    var refunded = shop.refundOrder(id, "full-" + id, null);
                    assertThat(refunded.getStatus()).isEqualTo(Order.StatusEnum.REFUNDED);
                    assertThat(refunded.getRefunded()).isEqualByComparingTo(refunded.getTotal());
                    orders.put(id, refunded);
                } else if (k < 40) {
                    var cancelled = shop.cancelOrder(id);
                    assertThat(cancelled.getStatus()).isEqualTo(Order.StatusEnum.CANCELLED);
                    orders.put(id, cancelled);
                    var wallet = shop.getOffers(cancelled.getShopperId()).getOffers();
                    for (var applied : cancelled.getCoupons())
                        assertThat(wallet)
                                .as("%s is back in the wallet after the cancel", applied.getCouponId())
                                .anySatisfy(o -> {
                                    assertThat(o.getCouponId()).isEqualTo(applied.getCouponId());
                                    assertThat(o.getStatus()).isEqualTo(Offer.StatusEnum.CLAIMED);
                                    assertThat(o.getClaimedAt()).isNotNull();
                                });
                }
                assertThat(shop.getOrder(id)).isEqualTo(orders.get(id));
            }

            // --- the campaigns' money: what the kept orders used, net of what returns gave back
            var spent = new HashMap<String, BigDecimal>();
            for (var order : orders.values()) {
                if (order.getStatus() == Order.StatusEnum.CANCELLED) continue;
                for (var applied : order.getCoupons()) {
                    var returned = order.getRefunds() == null
                            ? BigDecimal.ZERO
                            : order.getRefunds().stream()
                                    .flatMap(r -> r.getCoupons().stream())
                                    .filter(c -> c.getCouponId().equals(applied.getCouponId()))
                                    .map(c -> c.getBudgetReturned())
                                    .reduce(BigDecimal.ZERO, BigDecimal::add);
                    spent.merge(applied.getCampaignId(), applied.getDiscount().subtract(returned), BigDecimal::add);
                }
            }
            for (var campaign : List.of("pct-g0", "amt-g1", "thr-g2", "ship-all")) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    var stats = operator.getCampaignStats(campaign);
                    assertThat(stats.getSpent())
                            .as("spent of %s", campaign)
                            .isEqualByComparingTo(spent.getOrDefault(campaign, BigDecimal.ZERO));
                    assertThat(stats.getSpent().add(stats.getReserved()).add(stats.getAvailable()))
                            .isEqualByComparingTo("10000");
                });
            }

            // --- no GET changed anything: send every GET of the day again and compare the journal
            var before = quietJournal(node);
            var gets = checking.gets();
            for (var get : gets) checking.send(get, HttpResponse.BodyHandlers.discarding());
            assertThat(journal(node))
                    .as("the journal after %d GETs sent again", gets.size())
                    .isEqualTo(before);
            assertThat(before.keySet()).noneMatch(id -> id.contains("guest-"));

            assertThat(checking.violations()).isEmpty();
            System.out.printf(
                    "shop day: %d responses checked against openapi.yaml, %d GETs replayed, %d persistence ids%n",
                    checking.checked(), gets.size(), before.size());
        }
    }

    /** Sixty days of a shopper's life, then today's visit: the cart's items viewed and put in the cart. */
    private static List<Event> history(int i, OffsetDateTime now) {
        var events = new ArrayList<Event>();
        var id = shopper(i);
        var past = now.minusDays(60 - i % 30);
        events.add(event(id, "h-open", EventType.APP_OPEN, past));
        events.add(event(id, "h-view", EventType.VIEW, past.plusMinutes(1)).sku(sku(200 + i)));
        events.add(event(id, "h-cart", EventType.ADD_TO_CART, past.plusMinutes(2))
                .sku(sku(200 + i))
                .quantity(1));
        events.add(event(id, "h-order", EventType.ORDER, past.plusMinutes(3))
                .orderId("h-" + id)
                .sku(sku(200 + i))
                .quantity(1)
                .amount(listPrice(200 + i)));
        var today = now.minusMinutes(10);
        events.add(event(id, "t-open", EventType.APP_OPEN, today));
        int minute = 1;
        for (var item : cart(i)) {
            events.add(event(id, "t-view-" + item.getSku(), EventType.VIEW, today.plusMinutes(minute++))
                    .sku(item.getSku()));
            events.add(event(id, "t-cart-" + item.getSku(), EventType.ADD_TO_CART, today.plusMinutes(minute++))
                    .sku(item.getSku())
                    .quantity(item.getQuantity()));
        }
        return events;
    }

    private static Event event(String shopper, String id, EventType type, OffsetDateTime at) {
        return new Event().eventId(id).shopperId(shopper).type(type).occurredAt(at);
    }

    private static String header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream())
                .findFirst()
                .orElse(null);
    }

    /** The journal once background work (projections feeding pricing, wake-ups) has settled. */
    private static Map<String, Long> quietJournal(NodeHarness node) {
        var last = new java.util.concurrent.atomic.AtomicReference<Map<String, Long>>(Map.of());
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(3))
                .until(() -> {
                    var now = journal(node);
                    var settled = now.equals(last.get());
                    last.set(now);
                    return settled;
                });
        return last.get();
    }

    /** Every persistence id with the number of events it holds. */
    private static Map<String, Long> journal(NodeHarness node) throws Exception {
        var journal = PersistenceQuery.get(node.system)
                .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
        return journal
                .currentPersistenceIds()
                .mapAsync(4, id -> journal.currentEventsByPersistenceId(id, 0, Long.MAX_VALUE)
                        .runWith(Sink.fold(0L, (n, e) -> n + 1), node.system)
                        .thenApply(n -> Map.entry(id, n)))
                .runWith(Sink.seq(), node.system)
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS)
                .stream()
                .collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    /** A Server-Sent Events client on the JDK's HttpClient: the generated client reads a body only once it ends. */
    private static final class SseStream implements AutoCloseable {
        record Sse(String type, long id, JsonNode data) {}

        private final BlockingQueue<Sse> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;

        private SseStream(URI uri, String key, String lastEventId) {
            var request = HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + key)
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
            response = HttpClient.newHttpClient().sendAsync(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(r -> {
                var fields = new HashMap<String, String>();
                r.body().forEach(line -> {
                    if (line.isEmpty()) {
                        if (fields.containsKey("data")) {
                            try {
                                events.add(new Sse(
                                        fields.get("event"),
                                        Long.parseLong(fields.get("id")),
                                        JSON.readTree(fields.get("data"))));
                            } catch (Exception e) {
                                throw new AssertionError("not an event: " + fields, e);
                            }
                        }
                        fields.clear();
                    } else if (!line.startsWith(":")) {
                        var colon = line.indexOf(':');
                        fields.put(
                                line.substring(0, colon),
                                line.substring(colon + 1).strip());
                    }
                });
            });
        }

        static SseStream open(URI uri, String key, String lastEventId) throws Exception {
            var stream = new SseStream(uri, key, lastEventId);
            var r = stream.response.get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            return stream;
        }

        /**
         * The next event of {@code type} that matches, waiting at most 10 s (the goal is 1 s; this is no timing test).
         */
        Sse next(String type, java.util.function.Predicate<Sse> matching) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Set<String> seen = new HashSet<>();
            while (System.nanoTime() < deadline) {
                var e = events.poll(200, TimeUnit.MILLISECONDS);
                if (e == null) continue;
                seen.add(e.type() + ":" + e.data());
                if (e.type().equals(type) && matching.test(e)) return e;
            }
            throw new AssertionError("no matching " + type + " event within 10 s; saw " + seen);
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }
}
