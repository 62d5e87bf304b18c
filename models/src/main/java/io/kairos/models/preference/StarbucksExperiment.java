package io.kairos.models.preference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The Starbucks rewards-app experiment as units of customer × wave: which of the 10 offers the customer received in the
 * wave (or none, a randomised arm too), what they were like before it, and the net value of the wave's window.
 *
 * <p><b>Waves</b> go out at hours 0, 168, 336, 408, 504 and 576. <b>Outcome window</b>: from the wave to the next wave
 * (the last to the end of the data, hour 714), so that windows never overlap and every transaction counts in exactly
 * one unit; the windows are 168, 168, 72, 96, 72 and 139 hours long (waves 336 and 408 are 3 days apart). An offer's
 * effect that outlasts its window lands in the next wave's unit, whose own assignment is independent: that adds noise
 * there and understates long offers given in short windows, the same for every policy compared. <b>Net value</b> of a
 * unit: spend in the window minus the rewards paid in the window for the offer received in that wave. The file's exact
 * duplicate rows are read once and its blank lines skipped.
 */
public final class StarbucksExperiment {
    static final int[] WAVES = {0, 168, 336, 408, 504, 576};
    static final int END = 715;

    /** One offer of the portfolio. */
    public record Offer(String id, String type, double reward, double difficulty, double durationDays, int channels) {}

    /**
     * One customer × wave.
     *
     * @param customer the customer's index
     * @param wave 0..5
     * @param action 0 = no offer, 1..10 = the portfolio's offer {@code action - 1}
     * @param value net value of the window
     * @param features the customer before the wave (see {@link #FEATURES})
     */
    public record Unit(int customer, int wave, int action, double value, float[] features) {}

    /** The feature names of {@link Unit#features}, in order. */
    public static final List<String> FEATURES = List.of(
            "age",
            "income",
            "female",
            "male",
            "genderUnknown",
            "tenureDays",
            "spendPerDayBefore",
            "transactionsPerDayBefore",
            "completionsBefore",
            "viewsBefore",
            "wave",
            "windowHours");

    private final List<Offer> offers;
    private final List<Unit> units;
    private final int customers;

    private StarbucksExperiment(List<Offer> offers, List<Unit> units, int customers) {
        this.offers = offers;
        this.units = units;
        this.customers = customers;
    }

    /** Units from elsewhere (a synthetic experiment with a known answer), in this shape. */
    static StarbucksExperiment of(List<Offer> offers, List<Unit> units, int customers) {
        return new StarbucksExperiment(List.copyOf(offers), List.copyOf(units), customers);
    }

    public List<Offer> offers() {
        return offers;
    }

    public List<Unit> units() {
        return units;
    }

    public int customers() {
        return customers;
    }

    /** Number of actions: no offer plus the portfolio. */
    public int actions() {
        return offers.size() + 1;
    }

    /** The assignment propensities of each wave, estimated from the data: {@code [wave][action]}. */
    public double[][] propensities() {
        var counts = new double[WAVES.length][actions()];
        var totals = new double[WAVES.length];
        for (var u : units) {
            counts[u.wave()][u.action()]++;
            totals[u.wave()]++;
        }
        for (int w = 0; w < WAVES.length; w++) for (int a = 0; a < actions(); a++) counts[w][a] /= totals[w];
        return counts;
    }

    /** Reads {@code starbucks_portfolio.json}, {@code starbucks_profile.json} and {@code starbucks_transcript.json}. */
    public static StarbucksExperiment read(Path dir) {
        var json = new ObjectMapper();
        try {
            var offers = new ArrayList<Offer>();
            var offerIndex = new HashMap<String, Integer>();
            for (JsonNode o : lines(json, dir.resolve("starbucks_portfolio.json"), false)) {
                offerIndex.put(o.get("id").asText(), offers.size());
                offers.add(new Offer(
                        o.get("id").asText(),
                        o.get("offer_type").asText(),
                        o.get("reward").asDouble(),
                        o.get("difficulty").asDouble(),
                        o.get("duration").asDouble(),
                        o.get("channels").size()));
            }
            var profiles = lines(json, dir.resolve("starbucks_profile.json"), false);
            var customerIndex = new HashMap<String, Integer>();
            for (JsonNode p : profiles) customerIndex.put(p.get("id").asText(), customerIndex.size());
            int n = profiles.size();
            var action = new int[n][WAVES.length];
            var history = new ArrayList<List<double[]>>(n); // per customer: {time, kind, amount, offer}
            for (int i = 0; i < n; i++) history.add(new ArrayList<>());
            for (JsonNode e : lines(json, dir.resolve("starbucks_transcript.json"), true)) {
                int c = customerIndex.get(e.get("person").asText());
                double t = e.get("time").asDouble();
                JsonNode v = e.get("value");
                switch (e.get("event").asText()) {
                    case "offer received" -> {
                        int w = java.util.Arrays.binarySearch(WAVES, (int) t);
                        if (w < 0) throw new IllegalArgumentException("an offer outside the waves at hour " + t);
                        action[c][w] = offerIndex.get(v.get("offer id").asText()) + 1;
                    }
                    case "transaction" ->
                        history.get(c).add(new double[] {t, 0, v.get("amount").asDouble(), -1});
                    case "offer completed" ->
                        history.get(c).add(new double[] {
                            t,
                            1,
                            v.get("reward").asDouble(),
                            offerIndex.get(v.get("offer_id").asText())
                        });
                    case "offer viewed" -> history.get(c).add(new double[] {t, 2, 0, -1});
                    default -> throw new IllegalArgumentException("unknown event " + e.get("event"));
                }
            }
            var units = new ArrayList<Unit>(n * WAVES.length);
            var newest = LocalDate.of(2018, 7, 26); // the latest membership date in the file
            for (int c = 0; c < n; c++) {
                JsonNode p = profiles.get(c);
                int age = p.get("age").asInt();
                double income = p.hasNonNull("income") ? p.get("income").asDouble() : Double.NaN;
                String gender = p.hasNonNull("gender") ? p.get("gender").asText() : null;
                var member = LocalDate.parse(p.get("became_member_on").asText(), DateTimeFormatter.BASIC_ISO_DATE);
                double tenure = ChronoUnit.DAYS.between(member, newest);
                for (int w = 0; w < WAVES.length; w++) {
                    int from = WAVES[w];
                    int to = w + 1 < WAVES.length ? WAVES[w + 1] : END;
                    double spend = 0,
                            rewards = 0,
                            spendBefore = 0,
                            txBefore = 0,
                            completionsBefore = 0,
                            viewsBefore = 0;
                    for (double[] h : history.get(c)) {
                        boolean in = h[0] >= from && h[0] < to;
                        boolean before = h[0] < from;
                        if (h[1] == 0) {
                            if (in) spend += h[2];
                            if (before) {
                                spendBefore += h[2];
                                txBefore++;
                            }
                        } else if (h[1] == 1) {
                            if (in && action[c][w] == (int) h[3] + 1) rewards += h[2];
                            if (before) completionsBefore++;
                        } else if (before) {
                            viewsBefore++;
                        }
                    }
                    double days = Math.max(from, 24) / 24.0;
                    var f = new float[] {
                        age == 118 ? Float.NaN : age,
                        (float) income,
                        "F".equals(gender) ? 1 : 0,
                        "M".equals(gender) ? 1 : 0,
                        gender == null ? 1 : 0,
                        (float) tenure,
                        (float) (spendBefore / days),
                        (float) (txBefore / days),
                        (float) completionsBefore,
                        (float) viewsBefore,
                        w,
                        to - from
                    };
                    units.add(new Unit(c, w, action[c][w], spend - rewards, f));
                }
            }
            return new StarbucksExperiment(List.copyOf(offers), List.copyOf(units), n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON lines of a file, blank lines skipped and, with {@code dedupe}, exact duplicate lines read once. */
    private static List<JsonNode> lines(ObjectMapper json, Path file, boolean dedupe) throws IOException {
        var out = new ArrayList<JsonNode>();
        var seen = new HashSet<String>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || (dedupe && !seen.add(line))) continue;
                out.add(json.readTree(line));
            }
        }
        return out;
    }

    /** Offer counts per type, for reports. */
    public Map<String, Long> offersByType() {
        var out = new HashMap<String, Long>();
        for (var o : offers) out.merge(o.type(), 1L, Long::sum);
        return out;
    }
}
