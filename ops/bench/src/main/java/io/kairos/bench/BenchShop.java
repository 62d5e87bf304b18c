package io.kairos.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;

/**
 * The shop the load benchmarks run against: a catalogue of 100 SKUs ({@code sku-0} … {@code sku-99}, list price 10 to
 * 109, cost 5), one activation campaign (amount off 1, a budget nothing exhausts, valid from yesterday for 30 days) and
 * {@code shoppers} shoppers {@code <prefix>-0} … with a profile tagged {@code prefix}.
 */
final class BenchShop {
    private BenchShop() {}

    static void open(BenchStack stack, HttpClient http, String prefix, int shoppers)
            throws IOException, InterruptedException {
        var skus = new StringJoiner(",", "{\"skus\":[", "]}");
        for (int i = 0; i < 100; i++)
            skus.add("{\"sku\":\"sku-%d\",\"listPrice\":%d.00,\"cost\":5.00}".formatted(i, 10 + i));
        stack.send(http, "PUT", "/v1/catalog/skus", skus.toString(), 200);
        var now = Instant.now();
        stack.send(
                http,
                "POST",
                "/v1/campaigns",
                ("{\"campaignId\":\"%s\",\"name\":\"%s\",\"coupon\":{\"type\":\"amount_off\",\"value\":1},"
                                + "\"budget\":100000000,\"validDays\":30,\"startsAt\":\"%s\",\"endsAt\":\"%s\","
                                + "\"objective\":\"activation\",\"pacing\":\"asap\"}")
                        .formatted(prefix, prefix, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))),
                201);
        for (int s = 0; s < shoppers; s++) {
            stack.send(
                    http,
                    "PUT",
                    "/v1/shoppers/" + prefix + "-" + s + "/profile",
                    "{\"tags\":[\"" + prefix + "\"]}",
                    200);
        }
    }
}
