package io.kairos.devcassandra;

import java.util.List;

/** The tables the schema files create in each keyspace, in the order the files create them. */
final class SchemaTables {

    /** akka-persistence-cassandra's journal. */
    static final List<String> JOURNAL =
            List.of("messages", "tag_views", "tag_write_progress", "tag_scanning", "metadata", "all_persistence_ids");

    /** akka-persistence-cassandra's snapshot store. */
    static final List<String> SNAPSHOT = List.of("snapshots");

    /** akka-projection-cassandra's offsets and management, and Kairos's own tables. */
    static final List<String> KAIROS = List.of(
            "offset_store",
            "projection_management",
            "model_versions",
            "model_promotions",
            "model_runs",
            "decisions",
            "campaign_outcomes",
            "shopper_wakeups",
            "wakeup_progress",
            "dispatch_channel_outcomes",
            "dispatch_offer_channels",
            "campaign_funnel",
            "catalog_skus",
            "person_ids",
            "person_keys",
            "person_erasures",
            "privacy_migrations",
            "person_activity");

    private SchemaTables() {}
}
