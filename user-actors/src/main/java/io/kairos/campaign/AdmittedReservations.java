package io.kairos.campaign;

import akka.actor.typed.ActorRef;
import io.kairos.campaign.CampaignEntity.BudgetReserved;
import io.kairos.campaign.CampaignEntity.Event;
import io.kairos.campaign.CampaignEntity.ReserveReply;
import java.util.ArrayList;
import java.util.List;

/**
 * The group commit of a campaign's reservations: what {@link CampaignEntity} admitted but has not yet written.
 *
 * <p>A hot campaign (a million shoppers deciding at 9:00) would otherwise make one journal write per offer, one after
 * the other. Reservations are admitted one by one against the budget <em>including</em> the ones admitted but not yet
 * written ({@link #stateOr}), then written together: the first admitted reservation makes the entity send itself a
 * flush; the reservations that arrive before it (or while the previous write is in flight, which the behaviour stashes)
 * join the same batch, up to {@code reservation-batch}. Every answer, a refusal or a duplicate too, is held until the
 * batch is written, so answers keep their order and a {@code Reserved} is durable. Any other command that arrives while
 * reservations wait is stashed until they are written, so it sees them: a pause or a budget cut takes effect for every
 * reservation after the batch in flight, within one write. If the entity stops before a batch is written, its
 * reservations are neither written nor answered, and the shoppers ask again with the same offer ids.
 *
 * <p>Mutable, confined to the entity's actor; empty after every {@link #drain} and {@link #clear}.
 */
final class AdmittedReservations {

    /** A batch to write: its events (possibly none) and the answers to send once they are written. */
    record Batch(List<Event> events, List<Runnable> answers) {}

    private final List<BudgetReserved> admitted = new ArrayList<>();
    private final List<Runnable> answers = new ArrayList<>();
    // The state the admitted reservations leave (null: none waits).
    private CampaignState state;

    /** Whether anything admitted waits to be written (other commands wait for it). */
    boolean waiting() {
        return state != null;
    }

    /** The state to admit against: {@code written} with every admitted reservation applied. */
    CampaignState stateOr(CampaignState written) {
        return state != null ? state : written;
    }

    /**
     * Adds what the budget rules decided about a reservation admitted against {@link #stateOr}: its event (if any) and
     * its answer, sent once the batch is written. Returns how many reservations wait now.
     */
    int admit(CampaignState against, BudgetRules.Decision<ReserveReply> d, ActorRef<ReserveReply> replyTo) {
        if (d.event() instanceof BudgetReserved e) {
            admitted.add(e);
            state = against.apply(e);
        } else {
            state = against;
        }
        answers.add(() -> replyTo.tell(d.reply()));
        return admitted.size();
    }

    /** What waits, as one batch; afterwards nothing does. */
    Batch drain() {
        var batch = new Batch(List.copyOf(admitted), List.copyOf(answers));
        clear();
        return batch;
    }

    /** Forgets what waits, unwritten and unanswered (the entity restarts from its journal). */
    void clear() {
        admitted.clear();
        answers.clear();
        state = null;
    }
}
