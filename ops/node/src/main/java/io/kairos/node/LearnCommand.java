package io.kairos.node;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import io.kairos.models.registry.Json;
import io.kairos.models.registry.TrainingRun;
import io.kairos.modelserving.Learning;
import io.kairos.modelserving.ModelServing;
import io.kairos.offer.OfferSettings;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kairos learn}: the learning loop in a process of its own, so that training shares neither heap nor threads
 * with a node that serves shoppers. It is not a cluster member: it reads the journal and the model store on
 * KAIROS_CASSANDRA_CONTACT_POINTS, and its promotions reach the nodes through the store (each re-reads it every
 * {@code kairos.models.sync-interval}, 30 s). Run one, and turn the nodes' own schedule off
 * ({@code KAIROS_LEARNING_SCHEDULED=off}).
 */
@Command(
        name = "learn",
        description = "Run the learning loop in a process of its own (off the serving nodes): every"
                + " KAIROS_LEARNING_INTERVAL, or once with --once. Prints each run as one line of JSON.")
final class LearnCommand extends LauncherCommand {

    @Option(names = "--once", description = "One run, then exit (exit code 1 if it failed).")
    boolean once;

    @Option(
            names = "--exclude-feature",
            paramLabel = "F",
            description = "A feature the challenger must not use (repeatable).")
    List<String> excluded = List.of();

    @Override
    public Integer call() throws Exception {
        Env.defaultLogFormat("text");
        var overrides = ConfigFactory.parseString("akka.actor.provider = local");
        var config = KairosNode.config("production", Env.cassandraContactPoints(), overrides);
        var system = ActorSystem.<Void>create(Behaviors.empty(), "kairos-learn", config);
        try {
            var settings = Learning.LearningSettings.create(system);
            var offers = OfferSettings.create(system);
            var models = ModelServing.get(system);
            var decisions = Learning.journalDecisions(system);
            var loopSettings = settings.loop().alsoExcluding(excluded);
            while (true) {
                // the champion is what the store has promoted now
                models.withRegistry(r -> r.syncWithStore())
                        .toCompletableFuture()
                        .get(1, TimeUnit.MINUTES);
                var loop = Learning.loop(models, decisions, offers.safeRule(), loopSettings.model(), Clock.systemUTC())
                        .toCompletableFuture()
                        .get(1, TimeUnit.MINUTES);
                // a run asked for once from the command line is the operating-system user's; the others are scheduled
                TrainingRun run = once
                        ? loop.run(loopSettings, "operator", "cli:" + System.getProperty("user.name", "unknown"))
                        : loop.run(loopSettings, "schedule", null);
                System.out.println(Json.mapper()
                        .writer()
                        .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(run));
                System.out.flush();
                if (once) return TrainingRun.FAILED.equals(run.verdict()) ? 1 : 0;
                Thread.sleep(settings.interval().toMillis());
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
