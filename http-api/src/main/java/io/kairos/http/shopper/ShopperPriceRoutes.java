package io.kairos.http.shopper;

import static akka.http.javadsl.server.Directives.*;
import static io.kairos.http.ApiDirectives.*;

import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.kairos.http.Admission;
import io.kairos.http.Role;
import io.kairos.http.RouteContext;
import io.kairos.http.Validator;
import io.kairos.offer.Explanations;
import io.kairos.offer.PriceSource;
import io.kairos.shopper.LiveWallets;
import io.kairos.shopper.ShopperCommand;
import io.kairos.shopper.ShopperCommand.GetPrices;
import io.kairos.shopper.ShopperCommand.PricesReply;
import io.kairos.shopper.ShopperCommand.ShopperPrice;
import io.kairos.shopper.ShopperCommand.ShopperPrices;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code GET /v1/shoppers/{id}/prices?skus=…} (role ingest, at most {@value #MAX_SKUS} SKUs): per SKU, the one price
 * everyone pays now, the best coupon combination of this shopper's wallet for one unit, and what this shopper pays
 * ({@code youPay}, never under the margin floor), with a one-line explanation in {@code lang} ({@code en}, the default,
 * or {@code zh-CN}). The prices are resolved first, then the rest is computed from the shopper's wallet: from the
 * node's {@link LiveWallets} when the shopper lives here and was read before, else by the shopper's actor; a guest gets
 * the prices without coupons. Persists nothing.
 */
public record ShopperPriceRoutes(
        Function<String, EntityRef<ShopperCommand>> shoppers,
        LiveWallets wallets,
        PriceSource prices,
        String currency,
        RouteContext ctx) {
    static final int MAX_SKUS = 200;

    public record PricesResponse(String shopperId, String currency, List<Entry> prices, List<String> missing) {}

    /** One SKU's price for this shopper ({@code coupons}: the wallet's best combination for one unit). */
    public record Entry(
            String sku,
            BigDecimal listPrice,
            BigDecimal price,
            BigDecimal lowestPrice30d,
            List<String> coupons,
            BigDecimal discount,
            BigDecimal youPay,
            String explanation) {}

    public Route routes(String id) {
        return path(
                "prices",
                () -> get(() -> ctx.authorized(
                        roles(Role.INGEST),
                        () -> parameterOptional(
                                "skus", skus -> parameterOptional("lang", lang -> prices(id, skus, lang))))));
    }

    private Route prices(String id, Optional<String> param, Optional<String> langParam) {
        var lang = Validator.language(langParam);
        var skus = Validator.idList("skus", param, MAX_SKUS);
        var now = ctx.now();
        var answer = ctx.admit(Admission.Work.READS, () -> prices.prices(skus)
                        .thenCompose(list -> wallets.prices(id, skus, list, now)
                                .<CompletionStage<PricesReply>>map(CompletableFuture::completedFuture)
                                .orElseGet(() -> shoppers.apply(id)
                                        .ask(
                                                r -> new GetPrices(skus, list, now, r),
                                                ctx.settings().askTimeout()))))
                .thenApply(reply -> response((ShopperPrices) reply, skus, lang));
        return onSuccess(answer, r -> complete(json(StatusCodes.OK, r)));
    }

    /**
     * One SKU's price for the shopper as the API shows it, explained in {@code lang} (also the data of a stream's
     * {@code price} event); {@code guest}: a shopper never seen, who has no wallet.
     */
    static Entry entry(ShopperPrice p, boolean guest, String shopCurrency, Locale lang) {
        return new Entry(
                p.sku(),
                p.price().listPrice(),
                p.price().price(),
                p.price().lowestPrice30d(),
                p.couponIds(),
                p.discount(),
                p.youPay(),
                Explanations.price(
                        guest,
                        p.couponIds(),
                        p.discount(),
                        p.price().currency() == null ? shopCurrency : p.price().currency(),
                        p.floorCapped(),
                        p.unpaid(),
                        lang));
    }

    private PricesResponse response(ShopperPrices reply, List<String> asked, Locale lang) {
        var entries = reply.prices().stream()
                .map(p -> entry(p, reply.guest(), currency, lang))
                .toList();
        var missing = new ArrayList<>(asked);
        reply.prices().forEach(p -> missing.remove(p.sku()));
        var shown = reply.prices().stream()
                .map(p -> p.price().currency())
                .filter(c -> c != null)
                .findFirst()
                .orElse(currency);
        return new PricesResponse(reply.shopperId(), shown, entries, missing);
    }
}
