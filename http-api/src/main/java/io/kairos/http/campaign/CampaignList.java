package io.kairos.http.campaign;

import io.kairos.campaign.CampaignCatalogue;
import io.kairos.campaign.CampaignStatus;
import io.kairos.campaign.CampaignView;
import io.kairos.http.ApiException;
import io.kairos.http.Validator;
import io.kairos.wire.LowerCaseName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/campaigns?status&cursor&limit}: campaigns in id order, a page at a time, from the node-local catalogue
 * (every node knows every campaign's definition and status within a moment of a change; money is read per campaign from
 * {@code GET /v1/campaigns/{id}}). The cursor is opaque: the page's last id, encoded.
 */
public record CampaignList(List<Item> campaigns, String nextCursor) {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    /** One campaign as listed: what it is, when it runs, and whether its budget is exhausted. */
    public record Item(
            String campaignId,
            String name,
            String status,
            CouponBody coupon,
            Instant startsAt,
            Instant endsAt,
            String objective,
            boolean exhausted) {
        static Item of(CampaignView v) {
            var c = v.definition();
            return new Item(
                    c.campaignId(),
                    c.name(),
                    v.status().wireName(),
                    CouponBody.of(c.coupon()),
                    c.startsAt(),
                    c.endsAt(),
                    c.objective().wireName(),
                    v.exhausted());
        }
    }

    static CampaignList page(
            CampaignCatalogue catalogue, Optional<String> status, Optional<String> cursor, Optional<String> limit) {
        var v = new Validator();
        CampaignStatus wanted =
                status.flatMap(s -> LowerCaseName.find(CampaignStatus.class, s)).orElse(null);
        int size = limit.map(l -> parseLimit(v, l)).orElse(DEFAULT_LIMIT);
        var after = cursor.map(CampaignList::decode).orElse("");
        v.throwIfInvalid();
        var matching = catalogue.all().stream()
                .filter(c -> wanted == null || c.status() == wanted)
                .filter(c -> c.campaignId().compareTo(after) > 0)
                .sorted(Comparator.comparing(CampaignView::campaignId))
                .limit(size + 1L)
                .toList();
        var page = matching.stream().limit(size).map(Item::of).toList();
        var next = matching.size() > size ? encode(page.get(page.size() - 1).campaignId()) : null;
        return new CampaignList(page, next);
    }

    static void requireStatus(Optional<String> status) {
        if (status.isPresent()
                && LowerCaseName.find(CampaignStatus.class, status.get()).isEmpty()) {
            throw ApiException.badRequest("status", "must be active or paused");
        }
    }

    private static int parseLimit(Validator v, String l) {
        try {
            int n = Integer.parseInt(l);
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        v.error("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        return DEFAULT_LIMIT;
    }

    private static String encode(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", "is not a cursor this API gave out");
        }
    }
}
