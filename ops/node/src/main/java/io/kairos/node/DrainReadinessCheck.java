package io.kairos.node;

import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Akka Management readiness check: not ready before the API is bound, nor once the node has begun to leave
 * ({@link NodeLifecycle}).
 */
public final class DrainReadinessCheck implements Supplier<CompletionStage<Boolean>> {
    private final NodeLifecycle lifecycle;

    public DrainReadinessCheck(ActorSystem system) {
        this.lifecycle = NodeLifecycle.get(Adapter.toTyped(system));
    }

    @Override
    public CompletionStage<Boolean> get() {
        return CompletableFuture.completedFuture(lifecycle.ready());
    }
}
