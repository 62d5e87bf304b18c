package io.kairos.node;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos cluster-member} (hidden): one node of a {@link LocalCluster}, configured entirely by the environment
 * its launcher sets. It follows the launcher ({@code KAIROS_PARENT_PID}): when that process is gone, even after a
 * {@code kill -9}, the node leaves gracefully instead of running on as an orphan.
 */
@Command(name = "cluster-member", hidden = true, description = "One node of `kairos cluster` (started by it).")
final class ClusterMemberCommand implements Callable<Integer> {

    @Option(names = "--mode", defaultValue = "dev", description = "dev or production")
    String mode;

    @Override
    public Integer call() {
        Env.defaultLogFormat("text");
        Env.get("KAIROS_PARENT_PID").map(Long::parseLong).ifPresent(ClusterMemberCommand::followParent);
        var points = Env.cassandraContactPoints();
        var system = KairosNode.start(KairosNode.config(mode, points, ConfigFactory.empty()));
        system.getWhenTerminated().toCompletableFuture().join();
        return 0;
    }

    private static void followParent(long pid) {
        var parent = ProcessHandle.of(pid);
        var started = parent.flatMap(p -> p.info().startInstant());
        var watch = new Thread(
                () -> {
                    while (true) {
                        var now = ProcessHandle.of(pid);
                        // Same pid and start time: a recycled pid is not our launcher.
                        boolean alive = now.isPresent()
                                && now.get().isAlive()
                                && now.get().info().startInstant().equals(started);
                        if (!alive) {
                            System.err.println(
                                    "kairos cluster-member: launcher " + pid + " is gone; leaving the cluster");
                            // Runs the JVM shutdown hook, i.e. CoordinatedShutdown: drain, unbind, hand off shards,
                            // leave.
                            System.exit(0);
                        }
                        try {
                            Thread.sleep(Duration.ofSeconds(1).toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "kairos-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
