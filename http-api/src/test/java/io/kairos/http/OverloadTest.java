package io.kairos.http;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.persistence.testkit.JournalOperation;
import akka.persistence.testkit.ProcessingPolicy;
import akka.persistence.testkit.ProcessingResult;
import akka.persistence.testkit.ProcessingSuccess$;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.kairos.shopper.ShopperEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A node past its limit, with its journal slowed to 40 ms a write: {@value #REQUESTS} event batches at once, through
 * real HTTP to the production routes with admission control. Every request is answered within its deadline, 202 or 503;
 * admission control refuses some at once; what was acknowledged is in the journal; and once the journal is fast again
 * the refused batches, re-sent with the same event ids, leave every event recorded exactly once (a refused or timed-out
 * batch was never persisted half-way twice).
 */
class OverloadTest {
    private static final int REQUESTS = 150;
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);
    // A classic system: the fixture spawns its entities at top level, as the route tests' systems allow.
    private static final akka.actor.ActorSystem classic = akka.actor.ActorSystem.create(
            "overload",
            ConfigFactory.parseString("kairos.http.ask-timeout = " + ASK_TIMEOUT.toMillis() + "ms")
                    .withFallback(ShopperFixture.CONFIG));
    private static final ObjectMapper json = new ObjectMapper();

    @AfterAll
    static void shutdown() {
        akka.testkit.javadsl.TestKit.shutdownActorSystem(classic);
    }

    /** Slows every journal write by {@code millis}; reads (recoveries) stay fast. */
    private record SlowWrites(long millis) implements ProcessingPolicy<JournalOperation> {
        @Override
        public ProcessingResult tryProcess(String persistenceId, JournalOperation operation) {
            if (operation instanceof WriteEvents) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ProcessingSuccess$.MODULE$;
        }
    }

    @Test
    void pastItsLimitTheNodeAnswersEveryRequestInTimeAndLosesOrDoublesNothing() throws Exception {
        var system = Adapter.toTyped(classic);
        var fixture = new ShopperFixture(classic);
        var journal = PersistenceTestKit.create(system);
        journal.clearAll();
        var admission = Admission.fromConfig(
                ConfigFactory.parseString("enabled = on, initial-limit = 4, min-limit = 2, max-limit = 8")
                        .withFallback(ConfigFactory.load().getConfig("kairos.http.admission")));
        var routes = fixture.routes(Clock.systemUTC(), admission);
        ServerBinding binding = Http.get(system)
                .newServerAt("127.0.0.1", 0)
                .bind(routes)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        var base = "http://127.0.0.1:" + binding.localAddress().getPort();
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            journal.withPolicy(new SlowWrites(40));
            var batches = new ArrayList<String>();
            var eventIds = new ArrayList<String>();
            var at = Instant.now().minusSeconds(60);
            for (int i = 0; i < REQUESTS; i++) {
                var events = new ArrayList<String>();
                for (int s = 0; s < 2; s++) {
                    var id = "ev-" + i + "-" + s;
                    eventIds.add(id);
                    events.add("{\"eventId\":\"%s\",\"shopperId\":\"load-%d\",\"type\":\"view\",\"occurredAt\":\"%s\"}"
                            .formatted(id, (i * 2 + s) % 40, at));
                }
                batches.add("{\"events\":[" + String.join(",", events) + "]}");
            }
            var replies = new ArrayList<CompletableFuture<Timed>>();
            for (int i = 0; i < REQUESTS; i++) {
                long started = System.nanoTime();
                replies.add(http.sendAsync(post(base, batches.get(i)), HttpResponse.BodyHandlers.ofString())
                        .thenApply(r -> new Timed(r, (System.nanoTime() - started) / 1_000_000)));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            var statuses = new HashMap<Integer, Integer>();
            var refused = new ArrayList<Integer>();
            for (int i = 0; i < REQUESTS; i++) {
                var reply = replies.get(i).join().response();
                statuses.merge(reply.statusCode(), 1, Integer::sum);
                if (reply.statusCode() == 503) {
                    refused.add(i);
                    assertThat(reply.headers().firstValue("Retry-After")).isPresent();
                }
            }
            assertThat(statuses.keySet())
                    .as("every answer is 202 or 503: %s", statuses)
                    .isSubsetOf(202, 503);
            assertThat(statuses.getOrDefault(503, 0))
                    .as("refused past the limit")
                    .isPositive();
            assertThat(statuses.getOrDefault(202, 0))
                    .as("acknowledged at the limit")
                    .isPositive();
            assertThat(replies.stream()
                            .map(r -> r.join().response())
                            .filter(r -> r.statusCode() == 503)
                            .map(r -> problemType(r.body())))
                    .as("refusals by admission control")
                    .contains("https://kairos.dev/problems/overloaded");
            assertThat(replies.stream().mapToLong(r -> r.join().millis()).max().orElseThrow())
                    .as(
                            "every request answered within its deadline (ask timeout %s, and the HTTP round trip)",
                            ASK_TIMEOUT)
                    .isLessThan(ASK_TIMEOUT.plusSeconds(3).toMillis());

            // The journal is fast again: the refused batches, re-sent with the same ids, go through.
            journal.resetPolicy();
            for (int i : refused) {
                int status = 0;
                for (int attempt = 0; attempt < 50 && status != 202; attempt++) {
                    if (attempt > 0) Thread.sleep(100);
                    status = http.send(post(base, batches.get(i)), HttpResponse.BodyHandlers.ofString())
                            .statusCode();
                }
                assertThat(status).as("batch %d re-sent", i).isEqualTo(202);
            }
            var recorded = new HashMap<String, Integer>();
            for (int s = 0; s < 40; s++) {
                for (var event : journal.persistedInStorage("Shopper|load-" + s)) {
                    if (event instanceof ShopperEvent.BehaviourRecorded r)
                        recorded.merge(r.event().eventId(), 1, Integer::sum);
                }
            }
            assertThat(recorded.keySet())
                    .as("nothing acknowledged or re-sent is lost")
                    .containsAll(eventIds);
            assertThat(recorded.values()).as("no event recorded twice").allMatch(n -> n == 1);
        } finally {
            journal.resetPolicy();
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static HttpRequest post(String base, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer ingest-key")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String problemType(String body) {
        try {
            return json.readTree(body).path("type").asText();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private record Timed(HttpResponse<String> response, long millis) {}
}
