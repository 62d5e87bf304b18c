package io.kairos.node;

import akka.Done;
import akka.actor.AbstractActor;
import akka.actor.ActorIdentity;
import akka.actor.ActorRef;
import akka.actor.CoordinatedShutdown;
import akka.actor.ExtendedActorSystem;
import akka.actor.Identify;
import akka.actor.Props;
import akka.actor.ReceiveTimeout;
import akka.actor.Terminated;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Stops the keep-alive of the node's sharded daemon processes (the projections, the wake-up sweeper, the demand
 * projection) before sharding shuts its regions down. Their coordinators (cluster singletons) ping every daemon through
 * its region every {@code akka.cluster.sharded-daemon-process.keep-alive-interval}; a ping that reaches a region in
 * graceful shutdown, after its coordinator stopped allocating, stays buffered there, and the region then waits out its
 * timeout and logs "Graceful shutdown of shard region timed out … remaining buffered messages". With the pings stopped
 * first, regions hand off and stop within their phase. On another node the daemons are started again by the next ping
 * of the singleton that takes over.
 */
final class DaemonKeepAlives {
    // The singletons, not their managers: a stopped manager fails its own tasks in cluster-exiting with warnings.
    private static final String COORDINATORS =
            "/system/singletonManagerShardedDaemonProcessCoordinator-*/ShardedDaemonProcessCoordinator-*";
    private static final Duration COLLECT = Duration.ofMillis(1500);

    private DaemonKeepAlives() {}

    /** Registers the task in {@code before-cluster-shutdown}. */
    static void stopBeforeShardingShutdown(ActorSystem<?> system) {
        var classic = Adapter.toClassic(system);
        CoordinatedShutdown.get(classic)
                .addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(), "stop-daemon-keep-alives", () -> {
                    var done = new CompletableFuture<Done>();
                    ((ExtendedActorSystem) classic)
                            .systemActorOf(
                                    Props.create(Stopper.class, () -> new Stopper(done)), "stop-daemon-keep-alives");
                    return (CompletionStage<Done>) done;
                });
    }

    /**
     * Identifies every keep-alive singleton, stops each one, and completes once no more answer within the window and
     * every one it stopped has terminated (a singleton still pinging while its region shuts down is the timeout this
     * prevents; on a busy machine an answer or a stop can take longer than a window).
     */
    private static final class Stopper extends AbstractActor {
        private final CompletableFuture<Done> done;
        private final Set<ActorRef> stopping = new HashSet<>();
        private boolean collected;

        Stopper(CompletableFuture<Done> done) {
            this.done = done;
        }

        @Override
        public void preStart() {
            getContext().actorSelection(COORDINATORS).tell(new Identify("keep-alive"), getSelf());
            getContext().setReceiveTimeout(COLLECT);
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(ActorIdentity.class, id -> id.getActorRef().ifPresent(ref -> {
                        if (stopping.add(ref)) {
                            getContext().watch(ref);
                            getContext().getSystem().stop(ref);
                        }
                    }))
                    .match(Terminated.class, t -> {
                        stopping.remove(t.getActor());
                        finishIfDone();
                    })
                    .match(ReceiveTimeout.class, timeout -> {
                        collected = true;
                        getContext().cancelReceiveTimeout();
                        finishIfDone();
                    })
                    .build();
        }

        private void finishIfDone() {
            if (!collected || !stopping.isEmpty()) return;
            done.complete(Done.getInstance());
            getContext().stop(getSelf());
        }
    }
}
