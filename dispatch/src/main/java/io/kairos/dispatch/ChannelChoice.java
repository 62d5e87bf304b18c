package io.kairos.dispatch;

import io.kairos.shopper.Profile;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Which channel a message goes out on. The channel the decision chose is kept while it can be used (the decision
 * already ranked campaign × channel net of message cost); otherwise, among the channels the shopper consents to, that
 * are up (circuit closed) and have an address for the shopper, the one with the highest expected incremental margin net
 * of the message's cost: {@code responseRate × margin − cost}. None with a positive margin = none.
 */
public final class ChannelChoice {
    private ChannelChoice() {}

    /** A channel as the choice sees it. */
    public record Option(
            String name, String consent, String addressAttribute, BigDecimal cost, double responseRate, boolean up) {
        boolean usableFor(Profile p) {
            return up
                    && p.consents(consent)
                    && (addressAttribute.isEmpty() || p.attributes().get(addressAttribute) != null);
        }

        double expectedMargin(double margin) {
            return responseRate * margin - cost.doubleValue();
        }
    }

    /**
     * @param preferred the decision's channel
     * @param margin the margin an order this message brings is expected to make (the decision's order value × margin
     *     rate)
     */
    public static Optional<Option> choose(
            String preferred, Collection<Option> options, Profile profile, double margin) {
        var first = options.stream()
                .filter(o -> o.name().equals(preferred) && o.usableFor(profile))
                .findFirst();
        if (first.isPresent()) return first;
        return options.stream()
                .filter(o -> o.usableFor(profile) && o.expectedMargin(margin) > 0)
                .max(Comparator.comparingDouble((Option o) -> o.expectedMargin(margin))
                        .thenComparing(Option::name));
    }
}
