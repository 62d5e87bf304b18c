package io.kairos.shopper;

import io.kairos.campaign.MoneyLeft;
import io.kairos.shopper.ShopperCommand.GetOffers;
import io.kairos.shopper.ShopperCommand.GetOrder;
import io.kairos.shopper.ShopperCommand.GetPrices;
import io.kairos.shopper.ShopperCommand.GetShopper;
import io.kairos.shopper.ShopperCommand.GetStream;
import io.kairos.shopper.ShopperCommand.OffersUnknown;
import io.kairos.shopper.ShopperCommand.OrderRejected;
import io.kairos.shopper.ShopperCommand.OrderRejection;
import io.kairos.shopper.ShopperCommand.QuoteCheckout;
import io.kairos.shopper.ShopperCommand.StreamStart;
import io.kairos.shopper.ShopperCommand.Unknown;
import java.util.List;
import java.util.Optional;

/**
 * The answers of a shopper never seen to the commands that only read (a profile, offers, a stream's start, prices, a
 * quote, an order): what {@link ShopperEntity} answers from its empty state, given without one. A shopper that has no
 * pseudonym yet answers these without creating its pseudonym and key ({@link ShopperStart}: a read writes nothing), and
 * an erased one answers them alike ({@link ErasedShopper}).
 */
final class NeverSeen {
    private NeverSeen() {}

    /** How {@code c} is answered for {@code shopperId} never seen; empty if {@code c} does more than read. */
    static Optional<Runnable> answer(String shopperId, ShopperCommand c) {
        if (c instanceof GetShopper g) return Optional.of(() -> g.replyTo().tell(new Unknown(shopperId)));
        if (c instanceof GetOffers g) return Optional.of(() -> g.replyTo().tell(new OffersUnknown(shopperId)));
        if (c instanceof GetStream g)
            return Optional.of(() -> g.replyTo().tell(new StreamStart(shopperId, false, 0, List.of(), List.of())));
        if (c instanceof GetPrices g)
            return Optional.of(
                    () -> g.replyTo().tell(CheckoutRules.shopperPrices(shopperId, Person.empty(), g, MoneyLeft.ANY)));
        if (c instanceof QuoteCheckout q)
            return Optional.of(
                    () -> q.replyTo().tell(CheckoutRules.quote(shopperId, Person.empty(), q, MoneyLeft.ANY)));
        if (c instanceof GetOrder g) {
            var never = "no order " + g.orderId() + ": it was never placed";
            return Optional.of(() -> g.replyTo().tell(new OrderRejected(OrderRejection.NOT_FOUND, never)));
        }
        return Optional.empty();
    }
}
