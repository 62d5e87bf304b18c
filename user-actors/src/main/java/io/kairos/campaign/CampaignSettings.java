package io.kairos.campaign;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import io.kairos.entity.EntitySettings;
import java.time.Duration;

/**
 * The {@code kairos.campaign} configuration, read once per node.
 *
 * @param expiryGrace how long after an offer's expiry its reservation is still held (clock skew between nodes and the
 *     delivery of a redemption made just before expiry); after it the campaign releases the reservation
 * @param ledgerRetention how long a finished ledger entry is kept to recognise duplicate commands about it
 * @param refundWindow how long after its offer's expiry a redeemed entry is kept, so that a late refund of its order
 *     still gives its budget back (at least {@code ledgerRetention})
 * @param maxOpenEntries ledger entries a campaign holds at most; a reservation beyond is refused ({@code capacity}),
 *     which bounds the state and its snapshots
 * @param reservationBatch reservations written together by one persist at most (group commit: the reservations that
 *     arrive while a write is in flight go into the next one, so a hot campaign writes once per batch, not per offer)
 * @param pacingInitialShare the share of the budget an even-paced campaign may commit from its first minute
 * @param defaultMarginRate the margin rate of campaigns created without one
 */
public record CampaignSettings(
        Duration sweepInterval,
        Duration expiryGrace,
        Duration ledgerRetention,
        Duration refundWindow,
        int maxOpenEntries,
        int reservationBatch,
        double pacingInitialShare,
        double defaultMarginRate,
        Duration catalogueWriteTimeout,
        EntitySettings entity) {

    public CampaignSettings {
        if (reservationBatch < 1) throw new IllegalArgumentException("reservation-batch must be at least 1");
    }

    public static CampaignSettings create(ActorSystem<?> system) {
        var config = system.settings().config();
        return fromConfig(
                config.getConfig("kairos.campaign"),
                EntitySettings.fromConfig(config.getConfig("kairos.entities"), "campaign"));
    }

    /** {@code entity}: restart backoff and snapshots ({@code kairos.entities.campaign}). */
    public static CampaignSettings fromConfig(Config c, EntitySettings entity) {
        return new CampaignSettings(
                c.getDuration("sweep-interval"),
                c.getDuration("expiry-grace"),
                c.getDuration("ledger-retention"),
                max(c.getDuration("ledger-retention"), c.getDuration("refund-window")),
                c.getInt("max-open-entries"),
                c.getInt("reservation-batch"),
                c.getDouble("pacing.initial-share"),
                c.getDouble("default-margin-rate"),
                c.getDuration("catalogue.write-timeout"),
                entity);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
