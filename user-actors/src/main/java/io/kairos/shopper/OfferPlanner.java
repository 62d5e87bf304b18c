package io.kairos.shopper;

import io.kairos.campaign.Campaign;
import io.kairos.campaign.CampaignView;
import io.kairos.offer.Holdout;
import io.kairos.offer.OfferPolicy.Candidate;
import io.kairos.offer.OfferSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which campaigns may make this person an offer now, on which channels, and which hold the person out: the rules a
 * decision applies before any model runs. Pure.
 *
 * <ol>
 *   <li>Contact cap: at most {@code kairos.offers.contact-cap.max} offers per person in the cap window, across every
 *       campaign and channel. Identities linked to a person forward to it, so the cap counts the person.
 *   <li>Eligibility: the campaign issues now and admits the person's lifecycle stage and tags. A person who refused
 *       personalization ({@code personalized} false) is offered only campaigns open to everyone: stage and tags are
 *       derived from the person, so a campaign that asks for them is listed as {@code not-personalized:<id>}.
 *   <li>Channels: an explicit request ({@code GET offers}) is answered in-app only; automatic triggers may use the
 *       campaign's channels the person consents to ({@code in_app} needs no consent).
 *   <li>Holdout: a person in the campaign's holdout never gets its offers; the first time they are eligible the
 *       assignment is recorded as the campaign's control.
 *   <li>One live offer per campaign; the campaign's per-person cap over its window; campaigns whose budget is exhausted
 *       are skipped.
 * </ol>
 *
 * Every candidate removed after step 2 is listed in {@code limits} with its reason, for the decision record.
 */
final class OfferPlanner {
    private OfferPlanner() {}

    record Plan(List<Candidate> candidates, List<Campaign> holdouts, List<String> limits) {}

    static Plan plan(
            String personId,
            Person p,
            List<CampaignView> issuing,
            boolean explicit,
            Instant now,
            OfferSettings settings,
            double highValueMonetary,
            boolean personalized) {
        var candidates = new ArrayList<Candidate>();
        var holdouts = new ArrayList<Campaign>();
        var limits = new ArrayList<String>();
        var book = p.offers();
        if (settings.contactCapMax() > 0
                && book.contactsSince(now.minus(settings.contactCapWindow())) >= settings.contactCapMax()) {
            limits.add("contact-cap");
            return new Plan(candidates, holdouts, limits);
        }
        var tags = p.tags(highValueMonetary);
        for (var view : issuing) {
            var c = view.definition();
            var id = c.campaignId();
            if (!personalized && !c.eligibility().equals(Campaign.Eligibility.ANYONE)) {
                limits.add("not-personalized:" + id);
                continue;
            }
            if (!c.eligibility().admits(p.stage(), tags)) continue;
            var channels = channels(c, p, explicit);
            if (channels.isEmpty()) {
                limits.add("no-channel:" + id);
                continue;
            }
            if (Holdout.heldOut(personId, id, c.holdoutPercent())) {
                if (!book.holdouts().containsKey(id)) holdouts.add(c);
                limits.add("holdout:" + id);
                continue;
            }
            if (book.hasLiveOffer(id, now)) {
                limits.add("live-offer:" + id);
                continue;
            }
            if (c.caps().capped()
                    && book.contactsSince(id, now.minus(c.caps().window()))
                            >= c.caps().perShopper()) {
                limits.add("campaign-cap:" + id);
                continue;
            }
            if (view.exhausted()) {
                limits.add("budget:" + id);
                continue;
            }
            for (var ch : channels) candidates.add(new Candidate(c, ch));
        }
        return new Plan(candidates, holdouts, limits);
    }

    private static List<String> channels(Campaign c, Person p, boolean explicit) {
        if (explicit) return c.allows(Campaign.IN_APP) ? List.of(Campaign.IN_APP) : List.of();
        var allowed = c.deliveryChannels();
        return allowed.stream()
                .filter(ch -> Campaign.IN_APP.equals(ch) || p.profile().consents(ch))
                .toList();
    }
}
