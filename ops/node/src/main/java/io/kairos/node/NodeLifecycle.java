package io.kairos.node;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's part in a graceful leave. The first CoordinatedShutdown phase ({@code before-service-unbind}) marks the
 * node as draining, which turns {@code GET /ready} false ({@link DrainReadinessCheck}), then waits
 * {@code kairos.cluster.shutdown-drain} while the API still serves, so load balancers (Kubernetes endpoints,
 * kube-proxy) stop sending traffic before {@code service-unbind} closes the port. Sharding hands its shards off in the
 * later {@code cluster-sharding-shutdown-region} phase.
 *
 * <p>Before that, the node is ready only once its API is bound ({@link #serving}): the management port (and with it
 * {@code GET /ready}) starts first, and a probe that saw the journal answer would otherwise send traffic to a closed
 * API port.
 *
 * <p>Invariants: readiness is false from the first shutdown phase on and never becomes true again; the drain wait is
 * skipped when the node was downed or failed to join, because the surviving side starts the downed node's entities
 * after the removal margin and this node must stop its own writers well before that.
 */
public final class NodeLifecycle implements Extension {
    private static final Logger log = LoggerFactory.getLogger(NodeLifecycle.class);

    private final AtomicBoolean serving = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Duration drain;

    private NodeLifecycle(ActorSystem<?> system) {
        var config = system.settings().config();
        this.drain = config.getDuration("kairos.cluster.shutdown-drain");
        var phaseTimeout = config.getDuration("akka.coordinated-shutdown.phases.before-service-unbind.timeout");
        if (drain.compareTo(phaseTimeout) >= 0) {
            throw new IllegalArgumentException("kairos.cluster.shutdown-drain (" + drain + ") must be shorter than "
                    + "akka.coordinated-shutdown.phases.before-service-unbind.timeout (" + phaseTimeout + ")");
        }
        var shutdown = CoordinatedShutdown.get(system);
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "kairos-drain", () -> startDrain(shutdown));
    }

    public static NodeLifecycle get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /** Records that the API is bound and serving; answers {@code binding}. */
    public <B> B serving(B binding) {
        serving.set(true);
        return binding;
    }

    /** True once the API is bound and until the node begins to leave: what {@code GET /ready} reports. */
    public boolean ready() {
        return serving.get() && !draining.get();
    }

    /** True from the moment the node began to leave. */
    public boolean draining() {
        return draining.get();
    }

    private CompletionStage<Done> startDrain(CoordinatedShutdown shutdown) {
        draining.set(true);
        var reason = shutdown.getShutdownReason().orElse(null);
        boolean forced = reason == CoordinatedShutdown.clusterDowningReason()
                || reason == CoordinatedShutdown.clusterJoinUnsuccessfulReason();
        if (forced || drain.isZero()) {
            log.info("Leaving ({}): not ready any more, no drain", reason);
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        log.info(
                "Leaving ({}): not ready any more; serving for {} ms more while load balancers notice",
                reason,
                drain.toMillis());
        return CompletableFuture.supplyAsync(
                Done::getInstance, CompletableFuture.delayedExecutor(drain.toMillis(), TimeUnit.MILLISECONDS));
    }

    static final class Id extends ExtensionId<NodeLifecycle> {
        static final Id INSTANCE = new Id();

        @Override
        public NodeLifecycle createExtension(ActorSystem<?> system) {
            return new NodeLifecycle(system);
        }
    }
}
