package io.kairos.tools.shopsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kairos.tools.shopsim.ShopSimulator.Coupon;
import io.kairos.tools.shopsim.ShopSimulator.Paid;
import io.kairos.tools.shopsim.ShopSimulator.Shown;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Kairos as the shop's coupon and pricing engine, driven only through its public HTTP API as a shop's backend would:
 * the catalogue imported and every SKU priced dynamically, one profit-objective campaign per coupon of the grid sharing
 * the budget (each with a {@value #HOLDOUT_PERCENT} % holdout, the control group its learning needs), and for every
 * visit a view event, a decision, the shopper's own price and, when she buys, an order with the coupons that price
 * named (refunded when she returns it, cancelled when she cancels it). The node must run on a simulated clock
 * ({@code KAIROS_CLOCK=simulated}): each day starts by moving it, so expiries, wake-ups, pacing and the learning loop's
 * schedule follow the simulated days. Shoppers and SKUs live in a namespace of their own ({@code sim<seed>-…}), so runs
 * share nothing.
 */
final class KairosShop implements ShopSimulator.Shop {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Each campaign's holdout: the control group the learning loop trains and evaluates against (with none it keeps the
     * safe rule, saying "give the campaigns a holdout share").
     */
    static final int HOLDOUT_PERCENT = 10;

    /**
     * Each SKU's dynamic pricing: Thompson sampling on the margin (the node's default objective) between 80 % and 125 %
     * of its list price, at least 5 % over its cost, moving at most 10 % a day.
     */
    private static final String PRICING = "{\"floor\":%.2f,\"ceiling\":%.2f,\"maxStepPercent\":10,"
            + "\"minMarginPercent\":5,\"repriceEvery\":\"P1D\",\"policy\":\"thompson\"}";

    private final URI api;
    private final String key;
    private final double budget;
    private final Double overbooking;
    private double medianPrice;
    private final Instant start;
    private final String ns;
    private final int days;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, Integer> offers = new HashMap<>(); // offer id -> day issued
    private final Map<Integer, List<Integer>> sentDays = new HashMap<>();
    private final Map<String, Coupon> coupons = new HashMap<>();
    private Instant origin;
    private Instant now;
    private double share;
    private double margin;
    private Integer forecastDay;
    /** Kairos's campaigns: one per coupon of the grid; for the forecast's check, the checked coupon's alone. */
    private List<Coupon> grid = LocalShops.GRID;

    private JsonNode forecast;
    private String forecastCampaign;
    private String forecastCoupon;
    private long requests;

    /** @param overbooking the overbooking of every campaign; null: {@link #overbooking(Coupon, double)} per campaign */
    KairosShop(URI api, String key, double budget, Instant start, long seed, int days, Double overbooking) {
        this.overbooking = overbooking;
        this.api = api;
        this.key = key;
        this.budget = budget;
        this.start = start;
        this.ns = "sim" + seed + "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        this.days = days;
    }

    @Override
    public String name() {
        return "kairos";
    }

    @Override
    public double budget() {
        return budget;
    }

    long requests() {
        return requests;
    }

    @Override
    public void setUp(ShopWorld world) throws Exception {
        var clock = send("GET", "/v1/dev/clock", null, 200);
        if (!clock.path("simulated").asBoolean())
            throw new IllegalStateException(api + " runs on the system clock: start the node with"
                    + " KAIROS_CLOCK=simulated (a dev node), so the simulator can move its days");
        // A node that ran another shop keeps its shoppers, whose triggers go on deciding as this run moves the clock:
        // they would get this run's coupons (and another shop's live campaigns this run's shoppers), out of its books.
        var other = send("GET", "/v1/campaigns?limit=1", null, 200).path("campaigns");
        if (!other.isEmpty())
            throw new IllegalStateException(api + " already has campaigns ("
                    + other.get(0).path("campaignId").asText()
                    + "): its shoppers and campaigns would take part in this run, so start a node with fresh data"
                    + " (./kairos dev after deleting .kairos/cassandra)");
        var at = Instant.parse(clock.path("now").asText());
        // a clock never goes back: day 0 starts where it stands when that is later than --start
        origin = (at.isAfter(start) ? at : start).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        now = origin;
        send("POST", "/v1/dev/clock", "{\"to\":\"" + now + "\"}", 200);
        for (int from = 0; from < world.skus.size(); from += 1000) {
            var body = new StringJoiner(",", "{\"skus\":[", "]}");
            for (var sku : world.skus.subList(from, Math.min(world.skus.size(), from + 1000)))
                body.add(String.format(
                        java.util.Locale.ROOT,
                        "{\"sku\":\"%s\",\"listPrice\":%.2f,\"cost\":%.2f,\"category\":\"%s\",\"name\":\"%s\"}",
                        sku(sku),
                        sku.listPrice(),
                        sku.unitCost(),
                        sku.category(),
                        sku.id()));
            send("PUT", "/v1/catalog/skus", body.toString(), 200);
        }
        // Kairos prices every SKU dynamically, within guardrails around its list price (a catalogued SKU takes its list
        // price and cost from the catalogue); it learns each SKU's demand from the views and orders of the run.
        for (var sku : world.skus) {
            var guardrails =
                    String.format(java.util.Locale.ROOT, PRICING, sku.listPrice() * 0.8, sku.listPrice() * 1.25);
            send("PUT", "/v1/skus/" + sku(sku), guardrails, 200);
        }
        share = Math.floor(budget / LocalShops.GRID.size() * 100) / 100;
        margin = meanMargin(world);
        medianPrice = world.medianListPrice();
        for (var c : grid)
            send("POST", "/v1/campaigns", campaign(ns + "-" + c.id(), c, now.plus(Duration.ofDays(days))), 201);
    }

    /**
     * A profit-objective campaign of coupon {@code c} with {@link #share} of the budget, from now to {@code ends}, its
     * offers valid {@link LocalShops#CADENCE} days, {@value #HOLDOUT_PERCENT} % held out, its coupons reserving up to
     * {@link #overbooking} times its budget (as given, else by {@link #overbooking(Coupon, double)}).
     */
    private String campaign(String id, Coupon c, Instant ends) {
        var coupon =
                switch (c.type()) {
                    case "threshold_amount_off" ->
                        "{\"type\":\"threshold_amount_off\",\"value\":%s,\"minSpend\":%s}"
                                .formatted(money(c.value()), money(c.minSpend()));
                    case "percent_off" ->
                        "{\"type\":\"percent_off\",\"value\":%s,\"maxDiscount\":%s}"
                                .formatted(money(c.value()), money(ShopSimulator.PERCENT_CAP));
                    default -> "{\"type\":\"%s\",\"value\":%s}".formatted(c.type(), money(c.value()));
                };
        return ("{\"campaignId\":\"%s\",\"name\":\"Simulated %s\",\"coupon\":%s,\"budget\":%s,\"validDays\":%d,"
                        + "\"startsAt\":\"%s\",\"endsAt\":\"%s\",\"objective\":\"profit\",\"pacing\":\"even\","
                        + "\"marginRate\":%.2f,\"holdoutPercent\":%d,\"overbooking\":%s}")
                .formatted(
                        id,
                        c.id(),
                        coupon,
                        money(share),
                        LocalShops.CADENCE,
                        now,
                        ends,
                        margin,
                        HOLDOUT_PERCENT,
                        BigDecimal.valueOf(overbooking != null ? overbooking : overbooking(c, medianPrice))
                                .setScale(2, java.math.RoundingMode.HALF_UP)
                                .toPlainString());
    }

    /**
     * The overbooking an operator would set for {@code c} by the API reference's rule, knowing the catalogue's median
     * price and nothing of the shoppers: the most one coupon takes off ÷ what it takes off the median price (its
     * maximum when it takes nothing there) ÷ a redemption rate of one half, between 1 and 20.
     */
    static double overbooking(Coupon c, double medianPrice) {
        double most = "percent_off".equals(c.type()) ? ShopSimulator.PERCENT_CAP : c.value();
        double typical = c.discount(medianPrice);
        return Math.max(1, Math.min(20, most / (0.5 * (typical > 0 ? typical : most))));
    }

    /**
     * The forecast's check: Kairos runs one campaign, of {@code coupon} (with several, a shopper held out of one holds
     * the others' coupons, and the ledger's holdouts are no control for "no coupon"); {@link LocalShops#CADENCE} days
     * before {@code day} it pauses (so its coupons have lapsed by then); on {@code day} the same coupon is forecast as
     * a new campaign to the end of the run ({@code POST /v1/campaigns/simulate}), then launched alone.
     */
    void forecastOn(int day, String coupon) {
        this.forecastDay = day;
        this.grid = LocalShops.GRID.stream().filter(c -> c.id().equals(coupon)).toList();
        if (grid.isEmpty())
            throw new IllegalArgumentException("no coupon " + coupon + " in the grid "
                    + LocalShops.GRID.stream().map(Coupon::id).toList());
    }

    private void pauseGrid() throws Exception {
        for (var c : grid) send("PATCH", "/v1/campaigns/" + ns + "-" + c.id(), "{\"status\":\"paused\"}", 200);
    }

    private void forecastAndLaunch() throws Exception {
        var checked = grid.get(0);
        var id = ns + "-forecast-" + checked.id();
        var body = campaign(id, checked, origin.plus(Duration.ofDays(days)));
        forecast = send("POST", "/v1/campaigns/simulate", body, 200);
        forecastCampaign = id;
        forecastCoupon = checked.id();
        send("POST", "/v1/campaigns", body, 201);
    }

    /** The forecast made and what its campaign did by the end (null without {@link #forecastOn}). */
    Map<String, Object> forecastReport() throws Exception {
        if (forecast == null) return null;
        var stats = send("GET", "/v1/campaigns/" + forecastCampaign + "/stats", null, 200);
        var out = new java.util.LinkedHashMap<String, Object>();
        out.put("day", forecastDay);
        out.put("coupon", forecastCoupon);
        out.put("method", forecast.path("method").asText());
        out.put("model", forecast.path("model").asText());
        out.put("forecast", JSON.convertValue(forecast, Map.class));
        out.put("issued", stats.path("issued").asLong());
        out.put("redeemed", stats.path("redeemed").asLong());
        out.put("spent", stats.path("spent").asDouble());
        return out;
    }

    private static double meanMargin(ShopWorld world) {
        return world.skus.stream()
                .mapToDouble(s -> 1 - s.unitCost() / s.listPrice())
                .average()
                .orElse(0.3);
    }

    @Override
    public void startDay(int day) throws Exception {
        now = origin.plus(Duration.ofDays(day));
        send("POST", "/v1/dev/clock", "{\"to\":\"" + now + "\"}", 200);
        if (forecastDay != null && day == Math.max(0, forecastDay - LocalShops.CADENCE)) pauseGrid();
        if (forecastDay != null && day == forecastDay) forecastAndLaunch();
        Thread.sleep(1_500); // what fell due with the move happens within the node's recheck interval (1 s)
    }

    @Override
    public Shown visit(ShopWorld.Shopper s, int day, ShopWorld.Sku sku) throws Exception {
        var shopper = shopper(s);
        var event = "%s-v%d-%d".formatted(shopper, day, requests);
        send(
                "POST",
                "/v1/events",
                "{\"events\":[{\"eventId\":\"%s\",\"shopperId\":\"%s\",\"type\":\"view\",\"sku\":\"%s\",\"occurredAt\":\"%s\"}]}"
                        .formatted(event, shopper, sku(sku), now),
                202);
        var decided = send("POST", "/v1/shoppers/" + shopper + "/offers/decide", null, 200);
        for (var o : decided.path("offers")) {
            if (offers.putIfAbsent(o.path("offerId").asText(), day) == null)
                sentDays.computeIfAbsent(s.index(), i -> new ArrayList<>()).add(day);
        }
        var prices = send("GET", "/v1/shoppers/" + shopper + "/prices?skus=" + sku(sku), null, 200)
                .path("prices")
                .get(0);
        double price = prices.path("price").asDouble();
        double discount = prices.path("discount").asDouble();
        var ids = prices.path("coupons");
        if (ids.isEmpty() || discount <= 0) return new Shown(price, null, 0);
        var joined = new StringJoiner(",");
        ids.forEach(id -> joined.add(id.asText()));
        var coupon = coupons.computeIfAbsent(joined.toString(), id -> new Coupon(id, "kairos", 0, 0, day));
        return new Shown(price, coupon, discount);
    }

    @Override
    public Paid buy(ShopWorld.Shopper s, int day, ShopWorld.Sku sku, Shown shown, ShopSimulator.After after)
            throws Exception {
        var orderId = "%s-o%d-%d".formatted(shopper(s), day, requests);
        var couponIds = new StringJoiner(",", "[", "]");
        if (shown.coupon() != null) for (var id : shown.coupon().id().split(",")) couponIds.add("\"" + id + "\"");
        var body =
                "{\"orderId\":\"%s\",\"shopperId\":\"%s\",\"items\":[{\"sku\":\"%s\",\"quantity\":1}],\"couponIds\":%s}";
        JsonNode order;
        try {
            order = send("POST", "/v1/orders", body.formatted(orderId, shopper(s), sku(sku), couponIds), 201);
        } catch (Refused e) { // the coupon was refused (its budget is spent, it lapsed): she pays the price
            orderId += "-full";
            order = send("POST", "/v1/orders", body.formatted(orderId, shopper(s), sku(sku), "[]"), 201);
        }
        double discount = order.path("itemDiscount").asDouble();
        double total = order.path("total").asDouble();
        if (after == ShopSimulator.After.CANCELLED) { // Kairos gives the coupon back, usable again, and its budget
            send("POST", "/v1/orders/" + orderId + "/cancel", null, 200);
            return new Paid(0, 0, 0, false);
        }
        if (after == ShopSimulator.After.RETURNED) {
            send("POST", "/v1/orders/" + orderId + "/refund", null, 200);
            return new Paid(0, discount, 0, discount > 0);
        }
        return new Paid(total, discount, sku.unitCost(), discount > 0);
    }

    @Override
    public int sent(int shopper, int from, int to) {
        int n = 0;
        for (int d : sentDays.getOrDefault(shopper, List.of())) if (d >= from && d <= to) n++;
        return n;
    }

    @Override
    public long issued() {
        return offers.size();
    }

    /** What the campaigns spent, as the node counts it (the budget check). */
    double spent() throws Exception {
        double spent = 0;
        var ids = new ArrayList<String>();
        for (var c : grid) ids.add(ns + "-" + c.id());
        if (forecastCampaign != null) ids.add(forecastCampaign);
        for (var id : ids)
            spent += send("GET", "/v1/campaigns/" + id, null, 200).path("spent").asDouble();
        return spent;
    }

    private String shopper(ShopWorld.Shopper s) {
        return ns + "-s" + s.index();
    }

    private String sku(ShopWorld.Sku sku) {
        return ns + "-" + sku.id();
    }

    private static String money(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    private JsonNode send(String method, String path, String body, int expected) throws Exception {
        requests++;
        var request = HttpRequest.newBuilder(api.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int attempt = 1; ; attempt++) {
            var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == expected) return JSON.readTree(response.body());
            // overload and rate limits: wait as told, with jitter, and send the same request again
            if ((response.statusCode() == 503 || response.statusCode() == 429) && attempt < 10) {
                long seconds =
                        response.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep((long) (seconds * 1000 * (0.5 + Math.random())));
                continue;
            }
            var problem = method + " " + path + " answered " + response.statusCode() + ": " + response.body();
            if (response.statusCode() == 409 || response.statusCode() == 422) throw new Refused(problem);
            throw new IllegalStateException(problem);
        }
    }

    /** A 409 or 422: the request was understood and refused. */
    static final class Refused extends IllegalStateException {
        Refused(String problem) {
            super(problem);
        }
    }
}
