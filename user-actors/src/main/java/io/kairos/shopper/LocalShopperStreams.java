package io.kairos.shopper;

import akka.actor.typed.ActorRef;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Shopper streams within one JVM (route tests, tools): subscribers in a concurrent map, messages told directly. */
public final class LocalShopperStreams implements ShopperStreams {
    private final Map<String, Set<ActorRef<Message>>> subscribers = new ConcurrentHashMap<>();

    @Override
    public void publish(String shopperId, Message message) {
        var to = subscribers.get(shopperId);
        if (to != null) to.forEach(ref -> ref.tell(message));
    }

    @Override
    public AutoCloseable subscribe(String shopperId, ActorRef<Message> to) {
        subscribers
                .computeIfAbsent(shopperId, k -> ConcurrentHashMap.newKeySet())
                .add(to);
        return () -> subscribers.computeIfPresent(shopperId, (k, set) -> {
            set.remove(to);
            return set.isEmpty() ? null : set;
        });
    }
}
