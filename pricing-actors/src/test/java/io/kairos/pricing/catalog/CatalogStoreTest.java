package io.kairos.pricing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.alpakka.cassandra.javadsl.CassandraSessionRegistry;
import com.typesafe.config.ConfigFactory;
import io.kairos.devcassandra.TestCassandra;
import io.kairos.time.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalogue on a real Cassandra node, its table created from ops/cassandra/08-catalog.cql: imports are upserts that
 * keep the previous list price for the 30-day lowest, reads find exactly the SKUs asked across buckets, and paging
 * visits every SKU once in a stable order.
 */
class CatalogStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static ActorTestKit testKit;
    private static String keyspace;

    @BeforeAll
    static void start() {
        keyspace = TestCassandra.shared().createSchema("catalog").kairosKeyspace();
        testKit = ActorTestKit.create(ConfigFactory.parseString(
                        """
        datastax-java-driver.basic.contact-points = ["%s"]
        datastax-java-driver.basic.load-balancing-policy.local-datacenter = "%s"
        """
                                .formatted(
                                        TestCassandra.shared().contactPointString(),
                                        TestCassandra.shared().localDatacenter()))
                .withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static CatalogStore store(ManualClock clock) {
        var session = CassandraSessionRegistry.get(testKit.system()).sessionFor("akka.persistence.cassandra");
        return new CatalogStore(session, keyspace, clock);
    }

    private static CatalogSku sku(String id, String listPrice, String cost) {
        return new CatalogSku(
                id, new BigDecimal(listPrice), new BigDecimal(cost), "EUR", "tea", "Tea " + id, null, null, "ops-1");
    }

    @Test
    void anImportIsAnUpsertThatRemembersThePreviousListPriceForThirtyDays() throws Exception {
        var clock = new ManualClock(T0);
        var store = store(clock);
        get(store.upsert(List.of(sku("up-1", "20.00", "8.00"), sku("up-2", "5.00", "1.00"))));
        var first = get(store.get(List.of("up-1", "up-2", "up-missing")));
        assertThat(first).containsOnlyKeys("up-1", "up-2");
        assertThat(first.get("up-1").listPriceSince()).isEqualTo(T0);
        assertThat(first.get("up-1").lowestPrice30d(T0)).isEqualByComparingTo("20.00");

        clock.advance(Duration.ofDays(2));
        get(store.upsert(List.of(sku("up-1", "24.00", "9.00"))));
        var raised = get(store.get(List.of("up-1"))).get("up-1");
        assertThat(raised.listPrice()).isEqualByComparingTo("24.00");
        assertThat(raised.cost()).isEqualByComparingTo("9.00");
        assertThat(raised.previousListPrice()).isEqualByComparingTo("20.00");
        assertThat(raised.listPriceSince()).isEqualTo(T0.plus(Duration.ofDays(2)));
        assertThat(raised.lowestPrice30d(clock.instant())).isEqualByComparingTo("20.00");
        assertThat(raised.lowestPrice30d(clock.instant().plus(Duration.ofDays(31))))
                .isEqualByComparingTo("24.00");

        // the same list price again (a cost change): the price has not changed, so neither has its history
        clock.advance(Duration.ofDays(1));
        var byAnother = sku("up-1", "24.00", "10.00");
        get(store.upsert(List.of(new CatalogSku(
                byAnother.sku(),
                byAnother.listPrice(),
                byAnother.cost(),
                byAnother.currency(),
                byAnother.category(),
                byAnother.name(),
                null,
                null,
                "ops-2"))));
        var recosted = get(store.get(List.of("up-1"))).get("up-1");
        assertThat(raised.importedBy()).as("who imported it").isEqualTo("ops-1");
        assertThat(recosted.importedBy()).as("who imported it last").isEqualTo("ops-2");
        assertThat(recosted.listPriceSince()).isEqualTo(T0.plus(Duration.ofDays(2)));
        assertThat(recosted.previousListPrice()).isEqualByComparingTo("20.00");
        assertThat(recosted.quote(clock.instant()).marginFloor()).isEqualByComparingTo("10.00");
    }

    @Test
    void pagingVisitsEverySkuOnceInAStableOrder() throws Exception {
        var store = store(new ManualClock(T0));
        var skus = IntStream.range(0, 57)
                .mapToObj(i -> sku("pg-" + i, "3.00", "1.00"))
                .toList();
        get(store.upsert(skus));
        var seen = new ArrayList<String>();
        String cursor = null;
        int pages = 0;
        do {
            var page = get(store.page(cursor, 10));
            assertThat(page.skus().size()).isLessThanOrEqualTo(10);
            page.skus().forEach(s -> seen.add(s.sku()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        var ours = seen.stream().filter(s -> s.startsWith("pg-")).toList();
        assertThat(ours).hasSize(57).doesNotHaveDuplicates();
        assertThat(pages).isGreaterThanOrEqualTo(6);
        // the same walk again gives the same order
        var again = new ArrayList<String>();
        cursor = null;
        do {
            var page = get(store.page(cursor, 25));
            page.skus().forEach(s -> again.add(s.sku()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(again).isEqualTo(seen);
        assertThatThrownBy(() -> store.page("not-a-cursor", 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
