package io.kairos.shopper;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.kairos.campaign.MoneyLeft;
import io.kairos.metrics.KairosMetrics;
import io.kairos.offer.PriceLookup;
import io.kairos.shopper.ShopperCommand.ShopperPrices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last durable state of the shoppers living on this node whose prices were read lately: what {@code GET
 * /v1/shoppers/{id}/prices} answers from without a message to the shopper's actor. The ask it saves crosses three
 * mailboxes (the shard region, the shard, the entity) and back, and on a busy 2-core node those hops were the read's
 * slowest stage (BENCHMARKS.md, the shopper's own price).
 *
 * <p>Only the shopper's actor writes its entry, on its own thread: it enters it when a price read reaches it, replaces
 * it after each of its persists once the events are durable ({@link PersonContext#persist}), and removes it as it stops
 * (passivation, a shard's hand-off, erasure). An entry is therefore the actor's state as of its last durable event, the
 * state the actor itself would answer from. A read reaches the actor instead when the shopper is not here (never read,
 * living on another node, an alias, a guest), when {@code capacity} shoppers are here already, and when its entry is
 * older than {@code refresh} (both {@code kairos.shopper.live-wallets}): an actor that stopped without passing through
 * its stop handlers (a bug's exception) leaves an entry behind, and the refresh bounds how long it can be read. Each
 * entry costs about 70 bytes while its shopper lives; none for a shopper whose prices are not read.
 */
public final class LiveWallets implements Extension {
    /**
     * A shopper's state, when its actor last entered it (nanoTime), and the money its campaigns have left as the actor
     * reads it (its node's campaign catalogue).
     */
    private record Entry(Person person, long enteredAt, MoneyLeft left) {}

    private final ConcurrentHashMap<String, Entry> people = new ConcurrentHashMap<>();
    private final int capacity;
    private final long refreshNanos;

    public LiveWallets(int capacity, Duration refresh) {
        this.capacity = capacity;
        this.refreshNanos = refresh.toNanos();
    }

    public static LiveWallets get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    public static final class Id extends ExtensionId<LiveWallets> {
        static final Id INSTANCE = new Id();

        @Override
        public LiveWallets createExtension(ActorSystem<?> system) {
            var c = system.settings().config().getConfig("kairos.shopper.live-wallets");
            return new LiveWallets(c.getInt("capacity"), c.getDuration("refresh"));
        }
    }

    /**
     * What {@code shopperId} pays for one unit of each of {@code skus} at {@code now}, from its entry; empty if the
     * read must go to its actor.
     */
    public Optional<ShopperPrices> prices(String shopperId, List<String> skus, PriceLookup prices, Instant now) {
        var e = people.get(shopperId);
        if (e == null || System.nanoTime() - e.enteredAt() > refreshNanos) {
            KairosMetrics.SHOPPER_PRICE_READS.labelValues("actor").inc();
            return Optional.empty();
        }
        KairosMetrics.SHOPPER_PRICE_READS.labelValues("local").inc();
        return Optional.of(CheckoutRules.shopperPrices(shopperId, e.person(), skus, prices, now, e.left()));
    }

    /**
     * A price read reached the shopper's actor: its answer, and its state entered (if there is room), so the next reads
     * are answered from here.
     */
    ShopperPrices answer(String shopperId, Person person, ShopperCommand.GetPrices read, MoneyLeft left) {
        if (people.containsKey(shopperId) || people.mappingCount() < capacity)
            people.put(shopperId, new Entry(person, System.nanoTime(), left));
        return CheckoutRules.shopperPrices(shopperId, person, read, left);
    }

    /** The shopper's events are durable: its entry, if it has one, is now {@code state}. */
    void changed(String shopperId, ShopperState state) {
        if (state instanceof Person p) {
            people.computeIfPresent(shopperId, (id, e) -> new Entry(p, e.enteredAt(), e.left()));
        } else {
            people.remove(shopperId);
        }
    }

    /** The shopper's actor stops. */
    void stopped(String shopperId) {
        people.remove(shopperId);
    }
}
