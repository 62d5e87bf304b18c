package io.kairos.offer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Reads decision records written in the first, flat shape (money as doubles) into the second ({@link DecisionRecord}),
 * as JSON trees: the journal's events through their Jackson migrations, and the {@code decisions} table's rows, which
 * are written with a plain object mapper where no Akka migration runs. Nothing recorded is dropped; money becomes a
 * decimal rounded to the cent, and the fields version 1 did not record stay null.
 */
public final class DecisionRecordV1 {
    private DecisionRecordV1() {}

    /** Nodes that keep a decimal's scale (the default factory strips trailing zeros: 1.50 would become 1.5). */
    private static final JsonNodeFactory EXACT = JsonNodeFactory.withExactBigDecimals(true);

    /** Whether {@code record} has the first shape (it has no {@code recordVersion}). */
    public static boolean isV1(JsonNode record) {
        return record != null && record.isObject() && !record.has("recordVersion");
    }

    /** The second shape of a first-shape record; any other node is returned as it is. */
    public static JsonNode upgrade(JsonNode v1) {
        if (!isV1(v1)) return v1;
        var f = EXACT;
        var out = f.objectNode();
        out.put("recordVersion", 1);
        for (var name : new String[] {"decisionId", "shopperId", "trigger", "decidedAt"}) out.set(name, v1.get(name));
        var inputs = out.putObject("inputs");
        inputs.set("features", v1.get("features"));
        inputs.set("featuresHash", v1.get("featuresHash"));
        inputs.putNull("personalized");
        var scoring = out.putObject("scoring");
        if (v1.hasNonNull("modelName") || v1.hasNonNull("modelVersion")) {
            var model = scoring.putObject("model");
            model.set("name", v1.get("modelName"));
            model.set("version", v1.get("modelVersion"));
            model.putNull("engine");
        } else {
            scoring.putNull("model");
        }
        scoring.set("source", v1.get("scoring"));
        scoring.set("note", v1.get("scoringNote"));
        var candidates = scoring.putArray("candidates");
        if (v1.has("candidates")) for (var c : v1.get("candidates")) candidates.add(candidate(c));
        var choice = out.putObject("choice");
        choice.set("campaignId", v1.get("chosenCampaignId"));
        choice.set("channel", v1.get("chosenChannel"));
        choice.set("holdout", v1.get("holdout"));
        choice.set("propensity", v1.get("propensity"));
        choice.set("rule", v1.get("bindingRule"));
        var exploration = choice.putObject("exploration");
        exploration.set("epsilon", v1.get("epsilon"));
        exploration.set("explored", v1.get("explored"));
        exploration.putNull("seed");
        choice.set("reservation", v1.get("reservation"));
        out.set("limits", v1.get("limits"));
        out.putNull("actor");
        return out;
    }

    private static ObjectNode candidate(JsonNode c) {
        var out = EXACT.objectNode();
        out.set("campaignId", c.get("campaignId"));
        out.set("channel", c.get("channel"));
        out.set("offerFeatures", c.get("offerFeatures"));
        out.set("holdoutShare", c.get("holdoutShare"));
        var response = out.putObject("response");
        for (var name : new String[] {"pWithOffer", "pWithoutOffer", "uplift"}) response.set(name, c.get(name));
        var value = out.putObject("value");
        value.set("objective", c.get("objective"));
        value.set("expectedOrderValue", c.get("expectedOrderValue"));
        value.set("orderValueSource", c.get("orderValueSource"));
        value.set("marginRate", c.get("marginRate"));
        value.set("expectedDiscount", c.get("expectedDiscount"));
        value.put("couponCost", cents(c.get("couponCost")));
        value.set("messageCost", c.get("messageCost"));
        value.put("expected", cents(c.get("value")));
        return out;
    }

    private static BigDecimal cents(JsonNode n) {
        return n == null || n.isNull() ? null : BigDecimal.valueOf(n.asDouble()).setScale(2, RoundingMode.HALF_EVEN);
    }
}
