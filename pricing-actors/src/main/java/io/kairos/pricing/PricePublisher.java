package io.kairos.pricing;

/** Where an entity announces its price after every change; the {@link PriceView} in a cluster, nothing elsewhere. */
@FunctionalInterface
public interface PricePublisher {

    void publish(PriceQuote quote);

    static PricePublisher none() {
        return quote -> {};
    }
}
