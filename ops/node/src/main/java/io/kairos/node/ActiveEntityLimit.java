package io.kairos.node;

import com.typesafe.config.Config;

/**
 * How many entities of one type a node keeps in memory before Cluster Sharding passivates the least recently used
 * (Akka's {@code default-strategy}, per entity type and node): by default it follows from the heap, a share of the
 * JVM's maximum heap divided by what one active shopper costs; {@code KAIROS_ACTIVE_ENTITY_LIMIT} sets it outright.
 *
 * <p>The cost per shopper comes from {@code ShopperHeapBenchmark} (BENCHMARKS.md): about 5.3 KB for a shopper with 20
 * events, two orders and an offer, Akka's own 2.8 KB included. The default of 8 KiB leaves room for busier shoppers (a
 * full duplicate window of 1,000 event ids alone is 8 KB) and for a state recovered from the journal, whose ids are
 * separate strings. Configured under {@code kairos.passivation}; see docs/operations.md, "Sizing a node".
 */
public record ActiveEntityLimit(int limit, boolean fromHeap) {

    /** The limit is never set below this, however small the heap: a node must hold its working set of campaigns. */
    static final int MIN = 1_000;

    /**
     * The limit {@code kairos.passivation} asks for on a JVM with {@code maxHeapBytes} of heap:
     * {@code active-entity-limit} if it is a number, else ({@code auto}) {@code heap-share × maxHeapBytes ÷
     * bytes-per-shopper}, at least {@value #MIN}.
     */
    public static ActiveEntityLimit of(Config passivation, long maxHeapBytes) {
        var configured = passivation.getString("active-entity-limit").trim();
        if (!configured.equals("auto")) {
            int limit;
            try {
                limit = Integer.parseInt(configured);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "kairos.passivation.active-entity-limit (KAIROS_ACTIVE_ENTITY_LIMIT) must be a positive number"
                                + " or auto, not " + configured);
            }
            if (limit < 1)
                throw new IllegalArgumentException(
                        "kairos.passivation.active-entity-limit (KAIROS_ACTIVE_ENTITY_LIMIT) must be positive");
            return new ActiveEntityLimit(limit, false);
        }
        long perShopper = passivation.getBytes("bytes-per-shopper");
        double share = passivation.getDouble("heap-share");
        if (!(share > 0 && share < 1))
            throw new IllegalArgumentException("kairos.passivation.heap-share must be between 0 and 1");
        long limit = (long) (share * maxHeapBytes / perShopper);
        return new ActiveEntityLimit((int) Math.max(MIN, Math.min(Integer.MAX_VALUE, limit)), true);
    }

    /** The Akka setting that carries the limit. */
    public String akkaSetting() {
        return "akka.cluster.sharding.passivation.default-strategy.active-entity-limit = " + limit;
    }
}
