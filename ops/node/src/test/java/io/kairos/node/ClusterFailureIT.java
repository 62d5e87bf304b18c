package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failure behaviour of a real 3-node cluster (separate JVMs, one Cassandra) while events stream in: a graceful leave, a
 * {@code kill -9}, a network partition, a Cassandra outage and a {@code kill -9} while shoppers decide against one
 * campaign. After each, every acknowledged event is in the journal exactly once, each shopper's journal has gapless,
 * unique sequence numbers (one writer at a time), and the state served agrees with the journal. The cluster is booted
 * once and repaired at the start of each test.
 *
 * <p>Measured times (leave, failover, recovery) are written to {@code target/cluster-it/timings.txt}: they are
 * reported, not asserted, beyond the bounds the configuration promises.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailureIT {
    private static final int NODES = 3;
    private static final int SHOPPERS = 40;
    private static final int WORKERS = 4;
    /** kairos.http.ask-timeout: no request may wait much longer than this. */
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
    /** akka.cluster.split-brain-resolver.stable-after, also the removal margin. */
    private static final Duration STABLE_AFTER = Duration.ofSeconds(10);
    /** Failure detection (~5.5 s) + stable-after + removal margin, plus shard recovery on a loaded 2-core box. */
    private static final Duration SBR_WINDOW =
            Duration.ofSeconds(6).plus(STABLE_AFTER.multipliedBy(2)).plusSeconds(40);

    private ClusterHarness harness;

    @BeforeAll
    void startCluster() throws Exception {
        harness = ClusterHarness.start(NODES);
        Files.deleteIfExists(harness.workDir.resolve("timings.txt"));
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (harness != null) harness.close();
    }

    @Test
    @Order(1)
    void aGracefulLeaveTurnsReadinessOffWhileStillServingThenHandsItsShoppersOver() throws Exception {
        harness.ensureAllUp();
        var load = new EventLoad(harness.httpPorts(), ClusterHarness.INGEST_KEY, "leave", SHOPPERS, WORKERS).start();
        awaitEveryShopperHasEvents(load);
        saveMetricsScrape(1);

        int leaving = 1;
        var ports = harness.cluster.ports(leaving);
        long sigterm = System.nanoTime();
        harness.cluster.process(leaving).destroy();
        boolean sawNotReadyWhileServing = false;
        while (harness.cluster.isAlive(leaving) && !sawNotReadyWhileServing) {
            int ready = harness.status(ports.management(), "/ready");
            int api = harness.status(
                    ports.http(), "/v1/shoppers/" + load.shoppers().get(0));
            sawNotReadyWhileServing = ready != 200 && ready != -1 && (api == 200 || api == 404);
            Thread.sleep(100);
        }
        assertThat(sawNotReadyWhileServing)
                .as("/ready turned false while the API still answered")
                .isTrue();
        assertThat(harness.cluster.process(leaving).waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
        // 143 = ended by SIGTERM after the shutdown hook (CoordinatedShutdown) ran; a downed node exits with 255.
        assertThat(harness.cluster.process(leaving).exitValue())
                .as("left gracefully, not downed")
                .isIn(0, 143);
        harness.awaitMembersUp(survivors(leaving).get(0), NODES - 1, Duration.ofSeconds(30));
        var leaveTook = Duration.ofNanos(System.nanoTime() - sigterm);
        var answered = harness.awaitAllShoppersAnswer(load.shoppers(), survivors(leaving), SBR_WINDOW);
        load.stop(Duration.ofSeconds(60));

        report("graceful leave of node " + leaving + ": process exited after " + leaveTook.toMillis() + " ms; all "
                + SHOPPERS + " shoppers answered " + answered.toMillis() + " ms after that; " + load);
        assertNothingLostNothingTwice(load, survivors(leaving).get(0));
    }

    @Test
    @Order(2)
    void killNineOfOneNodeUnderLoadLosesNoAcknowledgedEventAndSurvivorsServeItsShoppersWithinTheSbrWindow()
            throws Exception {
        harness.ensureAllUp();
        var load = new EventLoad(harness.httpPorts(), ClusterHarness.INGEST_KEY, "kill", SHOPPERS, WORKERS).start();
        awaitEveryShopperHasEvents(load);

        // The oldest node: it also hosts the shard coordinator, the harder case.
        int victim = 0;
        int ackedBefore = load.acknowledgedEvents();
        long killedAt = System.nanoTime();
        harness.cluster.kill(victim);
        var answered = harness.awaitAllShoppersAnswer(load.shoppers(), survivors(victim), SBR_WINDOW);
        harness.awaitMembersUp(survivors(victim).get(0), NODES - 1, Duration.ofSeconds(30));
        Thread.sleep(3_000);
        load.stop(Duration.ofSeconds(60));

        report("kill -9 of node " + victim + " (" + ackedBefore + " events acknowledged before): all " + SHOPPERS
                + " shoppers answered again on the survivors after " + answered.toMillis() + " ms (stable-after "
                + STABLE_AFTER.toSeconds()
                + " s); " + load);
        assertThat(answered).isLessThanOrEqualTo(SBR_WINDOW);
        assertNothingLostNothingTwice(load, survivors(victim).get(0));
    }

    @Test
    @Order(3)
    void aPartitionedMinorityDownsItselfAndNoShopperEverHasTwoWriters() throws Exception {
        harness.ensureAllUp();
        var load =
                new EventLoad(harness.httpPorts(), ClusterHarness.INGEST_KEY, "partition", SHOPPERS, WORKERS).start();
        awaitEveryShopperHasEvents(load);

        int minority = 2;
        long cutAt = System.nanoTime();
        harness.partition(minority);
        try {
            var process = harness.cluster.process(minority);
            assertThat(process.waitFor(SBR_WINDOW.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .as("the minority node downs itself and exits")
                    .isTrue();
            var minorityGone = Duration.ofNanos(System.nanoTime() - cutAt);
            harness.awaitMembersUp(0, NODES - 1, SBR_WINDOW);
            var answered = harness.awaitAllShoppersAnswer(load.shoppers(), survivors(minority), SBR_WINDOW);
            load.stop(Duration.ofSeconds(60));
            report("partition of node " + minority + ": it downed itself and exited (status " + process.exitValue()
                    + ") after " + minorityGone.toMillis() + " ms; all shoppers answered on the majority "
                    + answered.toMillis() + " ms later; " + load);
        } finally {
            harness.heal();
        }
        assertNothingLostNothingTwice(load, 0);
    }

    @Test
    @Order(4)
    void cassandraStoppedUnderLoadAnswers503WithRetryAfterAndTheNodesRecoverWhenItReturns() throws Exception {
        harness.ensureAllUp();
        var load = new EventLoad(harness.httpPorts(), ClusterHarness.INGEST_KEY, "outage", SHOPPERS, WORKERS).start();
        awaitEveryShopperHasEvents(load);

        harness.stopCassandra();
        int unavailableBefore = load.count(503);
        Thread.sleep(20_000);
        int unavailableDuring = load.count(503) - unavailableBefore;
        int ackedAtReturn = load.acknowledgedEvents();
        long returnedAt = System.nanoTime();
        harness.restartCassandra();
        long cassandraUp = System.nanoTime();
        // Recovered: every node ready again and acknowledgements flowing.
        harness.cluster.awaitReady(Duration.ofMinutes(3));
        while (load.acknowledgedEvents() < ackedAtReturn + 200) {
            assertThat(Duration.ofNanos(System.nanoTime() - cassandraUp)).isLessThan(Duration.ofMinutes(3));
            Thread.sleep(200);
        }
        var recovered = Duration.ofNanos(System.nanoTime() - cassandraUp);
        var answered = harness.awaitAllShoppersAnswer(load.shoppers(), List.of(0, 1, 2), Duration.ofMinutes(1));
        load.stop(Duration.ofSeconds(60));

        report("Cassandra outage of ~20 s: " + unavailableDuring
                + " answers 503 during it; after Cassandra answered again ("
                + Duration.ofNanos(cassandraUp - returnedAt).toMillis()
                + " ms restart) the nodes acknowledged again within "
                + recovered.toMillis() + " ms, all shoppers answered " + answered.toMillis() + " ms after that; "
                + load);
        assertThat(unavailableDuring).as("the outage was visible as 503s").isPositive();
        assertThat(load.count(500)).as("no 500s").isZero();
        assertThat(load.unavailableWithoutRetryAfter.get())
                .as("every 503 carries Retry-After")
                .isZero();
        assertThat(load.slowestResponseMillis.get())
                .as("no request waits past the ask timeout")
                .isLessThan(ASK_TIMEOUT.plusSeconds(3).toMillis());
        assertNothingLostNothingTwice(load, 0);
    }

    /**
     * A {@code kill -9} while shoppers decide against one campaign: some decisions may die between the campaign's
     * reservation and the shopper's persist. Whatever the kill hit, the stats count what happened: {@code issued} and
     * the funnel are the offers in the shoppers' journals, every one of them holds a reservation, and
     * {@code reservations.made} is every reservation in the campaign's journal (the leaked ones included).
     */
    @Test
    @Order(5)
    void aKillNineWhileShoppersDecideLeavesStatsFunnelAndJournalsAgreeing() throws Exception {
        harness.ensureAllUp();
        var now = Instant.now();
        var created = harness.send(
                1,
                "POST",
                "/v1/campaigns",
                ("{\"campaignId\":\"crash-c\",\"name\":\"crash\",\"coupon\":{\"type\":\"amount_off\",\"value\":1},"
                                + "\"budget\":100000,\"validDays\":7,\"startsAt\":\"%s\",\"endsAt\":\"%s\","
                                + "\"objective\":\"activation\",\"pacing\":\"asap\",\"exploration\":0,"
                                + "\"eligibility\":{\"tags\":[\"crash\"]}}")
                        .formatted(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        int shoppers = 400;
        var ids = IntStream.range(0, shoppers).mapToObj(i -> "crash-" + i).toList();
        for (var id : ids) {
            var r = harness.sendRetrying(1, "PUT", "/v1/shoppers/" + id + "/profile", "{\"tags\":[\"crash\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        // the campaign reaches every node's catalogue through Distributed Data
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!harness.send(2, "POST", "/v1/shoppers/crash-0/offers/decide", null)
                .body()
                .contains("\"decisionId\"")) {
            assertThat(System.nanoTime()).as("campaign in node 2's catalogue").isLessThan(deadline);
            Thread.sleep(250);
        }

        int victim = 2;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(24);
        var done = new java.util.concurrent.atomic.AtomicInteger();
        try {
            for (var id : ids) {
                pool.submit(() -> {
                    try {
                        harness.send(ids.indexOf(id) % NODES, "POST", "/v1/shoppers/" + id + "/offers/decide", null);
                    } catch (Exception e) {
                        // the victim's connections die with it
                    }
                    done.incrementAndGet();
                });
            }
            while (done.get() < shoppers / 3) Thread.sleep(5);
            harness.cluster.kill(victim);
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(3, java.util.concurrent.TimeUnit.MINUTES))
                    .isTrue();
        }
        harness.ensureAllUp();

        // A shopper that was on the killed node may have journal events whose tag writes (what the projections read)
        // died with it: akka-persistence-cassandra writes them when the shopper next recovers. Its next request does
        // that; here, one read per shopper.
        for (var id : ids) harness.send(0, "GET", "/v1/shoppers/" + id, null);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        // A tag write repaired by that recovery is older than the projection's offset: its query finds it at the next
        // event of the same shopper or at its long back-track, every 120 s (events-by-tag.back-track.long-interval).
        // That timer starts again whenever the projection does (it moves back to the restarted node, or restarts after
        // a Cassandra timeout on a loaded box), so the wait covers two of them. A query never back-tracks before the
        // offset it started from: a projection restarted after passing the lost event found it only because it starts
        // kairos.shopper.projection-rewind before its stored offset (two CI runs missed one offer before that).
        long deadline2 = System.nanoTime() + Duration.ofSeconds(280).toNanos();
        while (true) {
            // offers first, then reservations: a decision still finishing cannot show an offer without its reservation
            var offers = new HashSet<String>();
            for (var id : ids) {
                for (var e : harness.journalEvents(id)) {
                    if (e instanceof io.kairos.shopper.ShopperEvent.OfferIssued o)
                        offers.add(o.offer().offerId());
                }
            }
            var reserved = new HashSet<String>();
            for (var e : harness.journal("Campaign|crash-c")) {
                if (e instanceof io.kairos.campaign.CampaignEntity.BudgetReserved r) reserved.add(r.offerId());
            }
            assertThat(reserved).as("every offer holds a reservation").containsAll(offers);
            var stats = mapper.readTree(
                    harness.send(0, "GET", "/v1/campaigns/crash-c/stats", null).body());
            if (stats.path("issued").asLong() == offers.size()
                    && stats.path("funnel").path("total").path("issued").asLong() == offers.size()
                    && stats.path("reservations").path("made").asLong() == reserved.size()) {
                var sequence = harness.rawSequenceNumbersOf("Campaign|crash-c");
                var expected = new ArrayList<Long>();
                for (long n = 1; n <= sequence.size(); n++) expected.add(n);
                assertThat(sequence)
                        .as("sequence numbers of the campaign: one writer, no gaps")
                        .containsExactlyElementsOf(expected);
                report("kill -9 of node " + victim + " during " + shoppers + " decisions against one campaign: "
                        + offers.size() + " offers issued, " + reserved.size() + " reservations made ("
                        + (reserved.size() - offers.size()) + " without an offer); stats and funnel agree");
                return;
            }
            assertThat(System.nanoTime())
                    .as("stats %s agree with %s offers and %s reservations", stats, offers.size(), reserved.size())
                    .isLessThan(deadline2);
            Thread.sleep(2_000);
        }
    }

    private List<Integer> survivors(int gone) {
        return IntStream.range(0, NODES).filter(i -> i != gone).boxed().toList();
    }

    private static void awaitEveryShopperHasEvents(EventLoad load) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (load.acknowledged.size() < SHOPPERS || load.acknowledgedEvents() < SHOPPERS * 12) {
            if (System.nanoTime() > deadline) throw new AssertionError("load did not get going: " + load);
            Thread.sleep(200);
        }
    }

    /**
     * Every acknowledged event id is in its shopper's journal exactly once and nothing else is (all batches were
     * re-sent until acknowledged); sequence numbers are 1..n without gaps or repeats; the served state counts the same.
     */
    private void assertNothingLostNothingTwice(EventLoad load, int node) throws Exception {
        assertThat(load.batchesAbandoned.get())
                .as("every batch was eventually acknowledged")
                .isZero();
        int total = 0;
        for (var shopper : load.shoppers()) {
            var acked = load.acknowledged.getOrDefault(shopper, java.util.Set.of());
            var journal = harness.journalEventIds(shopper);
            assertThat(new HashSet<>(journal)).as("journal of " + shopper).isEqualTo(acked);
            assertThat(journal).as("no event of " + shopper + " applied twice").doesNotHaveDuplicates();
            var sequence = harness.rawSequenceNumbers(shopper);
            var expected = new ArrayList<Long>();
            for (long n = 1; n <= sequence.size(); n++) expected.add(n);
            assertThat(sequence)
                    .as("sequence numbers of " + shopper + ": one writer, no gaps")
                    .containsExactlyElementsOf(expected);
            assertThat(harness.shopper(node, shopper).path("eventCount").asInt())
                    .as("served state of " + shopper)
                    .isEqualTo(acked.size());
            total += acked.size();
        }
        assertThat(total).isEqualTo(load.acknowledgedEvents());
    }

    private void saveMetricsScrape(int node) throws Exception {
        var scrape = harness.scrapeMetrics(node);
        assertThat(scrape)
                .contains("kairos_cluster_members{status=\"up\"} 3.0")
                .contains("kairos_events_ingested_total{outcome=\"accepted\"}")
                .contains("kairos_event_persist_seconds_bucket")
                .contains("jvm_memory_used_bytes");
        Files.writeString(harness.workDir.resolve("metrics-scrape.prom"), scrape);
    }

    private void report(String line) throws Exception {
        System.out.println("[cluster-it] " + line);
        Files.writeString(
                harness.workDir.resolve("timings.txt"),
                Instant.now() + " nproc=" + Runtime.getRuntime().availableProcessors() + " load="
                        + java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage() + " " + line + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
