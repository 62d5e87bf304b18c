package io.kairos.offer;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Current prices for checkout, read synchronously (a {@link PriceList} resolved for one request, or a node-local view).
 * The price is the same for every shopper.
 */
public interface PriceLookup {

    /**
     * A SKU's price now.
     *
     * @param price the current unit price, the same for everyone
     * @param unitCost what one unit costs the shop
     * @param floorPrice the lowest net unit price the shop accepts for it (its margin floor): no coupon may take an
     *     item below it; never below {@code unitCost}
     * @param listPrice the SKU's list price
     * @param lowestPrice30d the lowest price in force in the 30 days before the current one (the EU prior-price rule)
     * @param currency ISO 4217 code of the price
     * @param category the SKU's category in the catalogue, if it has one (category-restricted coupons use it)
     */
    record SkuPrice(
            BigDecimal price,
            BigDecimal unitCost,
            BigDecimal floorPrice,
            BigDecimal listPrice,
            BigDecimal lowestPrice30d,
            String currency,
            String category) {
        public SkuPrice {
            if (price.signum() < 0) throw new IllegalArgumentException("price must be ≥ 0");
        }

        /** A price that is its own list price and 30-day lowest, in no particular currency (tests, tools). */
        public SkuPrice(BigDecimal price, BigDecimal unitCost, BigDecimal floorPrice) {
            this(price, unitCost, floorPrice, price, price, null, null);
        }
    }

    Optional<SkuPrice> price(String sku);

    /** No prices known: for tests and tools without pricing. */
    PriceLookup NONE = sku -> Optional.empty();
}
