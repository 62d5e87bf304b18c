package io.kairos.offer;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Current prices for checkout, read synchronously on the shopper actor's thread (implementations answer from memory,
 * e.g. the pricing module's node-local price view). The price is the same for every shopper.
 */
public interface PriceLookup {

    /**
     * A SKU's price now.
     *
     * @param price the current unit price
     * @param unitCost what one unit costs the shop
     * @param floorPrice the lowest net unit price the shop accepts for it (its margin floor): no coupon may take an
     *     item below it; never below {@code unitCost}
     */
    record SkuPrice(BigDecimal price, BigDecimal unitCost, BigDecimal floorPrice) {
        public SkuPrice {
            if (price.signum() < 0) throw new IllegalArgumentException("price must be ≥ 0");
        }
    }

    Optional<SkuPrice> price(String sku);

    /**
     * No prices known: for tests and tools without pricing; a node wires NodePricing (checkout and orders answer 422).
     */
    PriceLookup NONE = sku -> Optional.empty();
}
