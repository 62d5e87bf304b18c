package io.kairos.tools.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kairos.models.SharedData;
import io.kairos.models.data.CsvTable;
import io.kairos.models.onnx.LinearOnnx;
import io.kairos.tools.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCliTest {
    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(ModelsCli::commandLine, args);
    }

    /** Runs {@code command} on the data {@code input} names, with {@code options} after. */
    private static CommandRun runOn(List<String> command, List<String> input, String... options) {
        var args = new ArrayList<>(command);
        args.addAll(input);
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    /** The experiment {@code csv} as uplift-eval and train uplift take it: coupon against none, outcome bought. */
    private static List<String> experiment(Path csv) {
        return List.of(
                "--csv",
                csv.toString(),
                "--treatment-col",
                "arm",
                "--treatment",
                "coupon",
                "--control",
                "none",
                "--outcome",
                "bought");
    }

    /** Dominick's orange-juice sales as elasticity and train elasticity take them: price, units sold, brand. */
    private static List<String> orangeJuice() {
        return List.of(
                "--csv",
                SharedData.file("pricing/dominicks_oj.csv").toString(),
                "--price-col",
                "price",
                "--qty-col",
                "sales",
                "--group-col",
                "brand");
    }

    /**
     * A messy experiment: CRLF, quoted cells with commas, blanks and NA, a text category, an id column, a third arm
     * that must be dropped, and a real effect (treatment helps "Gold, VIP" shoppers) so the model has something to
     * find.
     */
    private Path messyCsv(String name, int rows, long seed) throws Exception {
        var rnd = new Random(seed);
        var sb = new StringBuilder("customer id,tier,age,\"arm\",bought\r\n");
        String[] tiers = {"\"Gold, VIP\"", "Silver", "\"Bronze \"\"basic\"\"\""};
        String[] arms = {"coupon", "none", "sms"};
        for (int i = 0; i < rows; i++) {
            int tier = rnd.nextInt(3);
            String arm = arms[rnd.nextInt(3)];
            double p = 0.1 + (arm.equals("coupon") && tier == 0 ? 0.4 : 0);
            String age =
                    rnd.nextInt(10) == 0 ? "" : rnd.nextInt(10) == 0 ? "NA" : Integer.toString(18 + rnd.nextInt(50));
            sb.append("c-")
                    .append(i)
                    .append(',')
                    .append(tiers[tier])
                    .append(',')
                    .append(age)
                    .append(',')
                    .append(arm)
                    .append(',')
                    .append(rnd.nextDouble() < p ? 1 : 0)
                    .append("\r\n");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.toString());
        return f;
    }

    /** A successful {@code uplift-eval --json} and the scores it wrote for every test row. */
    private record Evaluation(CommandRun run, CsvTable scores) {}

    /** {@code uplift-eval} on the experiment {@code csv} with {@code options}, writing scores, printing JSON. */
    private Evaluation upliftEval(Path csv, String... options) throws Exception {
        Path scores = dir.resolve("scores.csv");
        var args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--scores-out", scores.toString(), "--json"));
        CommandRun r = runOn(List.of("uplift-eval"), experiment(csv), args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return new Evaluation(r, CsvTable.read(scores));
    }

    @Test
    void upliftEvalWorksOnAnyCsvOfTheShapeAndPrintsOneJsonObject() throws Exception {
        Evaluation e = upliftEval(
                messyCsv("exp.csv", 3_000, 1),
                "--id-col",
                "customer id",
                "--split",
                "0.4",
                "--seed",
                "7",
                "--rounds",
                "50");
        JsonNode j = e.run().json();
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertThat(keys)
                .containsExactlyInAnyOrder(
                        "upliftAt10", "upliftAt20", "upliftAt30", "qini", "auuc", "trainRows", "testRows");
        int test = j.get("testRows").asInt();
        int train = j.get("trainRows").asInt();
        assertThat(train + test).isBetween(1_800, 2_200);
        assertThat(test).isEqualTo(Math.round((train + test) * 0.4f));
        // The effect is strong and confined to one tier: a working pipeline ranks it first.
        assertThat(j.get("upliftAt30").asDouble()).isGreaterThan(0.2);
        assertThat(j.get("qini").asDouble()).isGreaterThan(0.2);
        assertThat(e.run().err()).contains("rows in the two arms");

        CsvTable written = e.scores();
        assertThat(written.columns()).containsExactly("id", "uplift");
        assertThat(written.size()).isEqualTo(test);
        assertThat(written.get(0, 0)).startsWith("c-");
        Double.parseDouble(written.get(0, 1));
    }

    @Test
    void separateTestFileGetsAScoreForEveryRowKeyedByRowIndex() throws Exception {
        Path train = messyCsv("train.csv", 2_000, 2);
        Path test = messyCsv("test.csv", 500, 3);
        CsvTable written = upliftEval(train, "--test-csv", test.toString(), "--features", "tier,age", "--rounds", "30")
                .scores();
        assertThat(written.size()).isEqualTo(500);
        assertThat(written.get(0, 0)).isEqualTo("0");
        assertThat(written.get(499, 0)).isEqualTo("499");
    }

    @Test
    void badColumnIsAOneLineErrorWithExitCode2() throws Exception {
        Path csv = messyCsv("exp.csv", 100, 1);
        CommandRun r = run(
                "uplift-eval",
                "--csv",
                csv.toString(),
                "--treatment-col",
                "nope",
                "--treatment",
                "a",
                "--control",
                "b",
                "--outcome",
                "bought");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("error: no column 'nope'");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void bgnbdFitAndElasticityPrintTheDocumentedKeys() throws Exception {
        CommandRun bg = run(
                "bgnbd-fit",
                "--summary",
                SharedData.file("lifecycle/cdnow_customers_summary.csv").toString(),
                "--json");
        assertThat(bg.exit()).as(bg.err()).isZero();
        List<String> keys = new ArrayList<>();
        bg.json().fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("r", "alpha", "a", "b", "logLikelihood");
        assertThat(bg.json().get("r").asDouble()).isBetween(0.238, 0.248);

        CommandRun el = runOn(List.of("elasticity"), orangeJuice(), "--json");
        assertThat(el.exit()).as(el.err()).isZero();
        assertThat(el.json().get("elasticity").asDouble()).isBetween(-3.2, -3.0);
        assertThat(el.json().get("groups").size()).isEqualTo(3);
    }

    @Test
    void trainListPromoteAndRollBackThroughTheStore() throws Exception {
        Path csv = messyCsv("exp.csv", 1_500, 4);
        String store = dir.resolve("models").toString();
        for (int i = 0; i < 2; i++) {
            CommandRun t = runOn(
                    List.of("train", "uplift"),
                    experiment(csv),
                    "--store",
                    store,
                    "--id-col",
                    "customer id",
                    "--rounds",
                    "20",
                    "--json");
            assertThat(t.exit()).as(t.err()).isZero();
            assertThat(t.json().get("version").asText()).isEqualTo(Integer.toString(i + 1));
        }
        assertThat(run("models", "promote", "offer-uplift", "1", "--store", store)
                        .exit())
                .isZero();
        CommandRun p = run("models", "promote", "offer-uplift", "2", "--store", store, "--json");
        assertThat(p.json().get("previous").asText()).isEqualTo("1");
        CommandRun list = run("models", "list", "--store", store, "--json");
        JsonNode models = list.json().get("models");
        assertThat(models.size()).isEqualTo(2);
        assertThat(models.get(1).get("promoted").asBoolean()).isTrue();
        assertThat(models.get(0).get("promoted").asBoolean()).isFalse();
        assertThat(models.get(0).get("metrics").has("upliftAt30")).isTrue();
        CommandRun back = run("models", "rollback", "offer-uplift", "--store", store, "--json");
        assertThat(back.json().get("version").asText()).isEqualTo("1");
        CommandRun missing = run("models", "promote", "offer-uplift", "7", "--store", store);
        assertThat(missing.exit()).isEqualTo(2);
    }

    /** {@code models import} of {@code onnx} with {@code schema} as model "imported" into {@code store}. */
    private static CommandRun importModel(Path onnx, Path schema, String store, String... more) {
        var args = new ArrayList<>(List.of(
                "models",
                "import",
                "--onnx",
                onnx.toString(),
                "--schema",
                schema.toString(),
                "--name",
                "imported",
                "--store",
                store));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void importsAnOnnxModelAfterScoringASampleAndRefusesOnesThatAreNotProbabilities() throws Exception {
        String store = dir.resolve("models").toString();
        var good = LinearOnnx.of(java.util.Map.of("c1", 1f, "c2", 0.2f), true);
        Path onnx = Files.write(dir.resolve("model.onnx"), good.graph());
        Path schema = Files.writeString(dir.resolve("schema.json"), good.schemaJson());
        CommandRun in = importModel(onnx, schema, store, "--json");
        assertThat(in.exit()).as(in.err()).isZero();
        assertThat(in.json().get("version").asText()).isEqualTo("1");
        assertThat(in.json().get("sample").get("rows").asInt()).isEqualTo(256);
        // no campaign at all gives sigmoid(bias); campaign c1 sigmoid(bias + 1)
        assertThat(in.json().get("sample").get("maxResponse").asDouble())
                .isCloseTo(1 / (1 + Math.exp(-(LinearOnnx.BIAS + 1))), org.assertj.core.data.Offset.offset(1e-6));
        CommandRun promoted = run("models", "promote", "imported", "1", "--store", store, "--json");
        assertThat(promoted.exit()).as(promoted.err()).isZero();

        var margins = LinearOnnx.of(java.util.Map.of("c1", 5f, "c2", 0.2f), false);
        Files.write(onnx, margins.graph());
        CommandRun refused = importModel(onnx, schema, store);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("not a probability");

        Files.writeString(
                schema,
                LinearOnnx.of(java.util.Map.of("c1", 1f, "c2", 1f, "c3", 1f), true)
                        .schemaJson());
        Files.write(onnx, good.graph());
        CommandRun wrongWidth = importModel(onnx, schema, store);
        assertThat(wrongWidth.exit()).isEqualTo(2);
        assertThat(wrongWidth.err()).contains("width 4");
        CommandRun list = run("models", "list", "--store", store, "--json");
        assertThat(list.json().get("models").size()).isEqualTo(1);
    }

    @Test
    void trainsLifecycleAndDemandModelsIntoTheStore() throws Exception {
        String store = dir.resolve("models").toString();
        CommandRun bg = run(
                "train",
                "bgnbd",
                "--store",
                store,
                "--summary",
                SharedData.file("lifecycle/cdnow_customers_summary.csv").toString(),
                "--promote",
                "--json");
        assertThat(bg.exit()).as(bg.err()).isZero();
        assertThat(bg.json().get("name").asText()).isEqualTo("lifecycle");
        assertThat(bg.json().get("promoted").asBoolean()).isTrue();
        CommandRun el = runOn(
                List.of("train", "elasticity"),
                orangeJuice(),
                "--store",
                store,
                "--name",
                "oj-demand",
                "--version",
                "2025w01",
                "--json");
        assertThat(el.exit()).as(el.err()).isZero();
        assertThat(el.json().get("metrics").get("elasticity").asDouble()).isBetween(-3.2, -3.0);
        JsonNode models =
                run("models", "list", "--store", store, "--json").json().get("models");
        assertThat(models.size()).isEqualTo(2);
        assertThat(models.get(0).get("name").asText()).isEqualTo("lifecycle");
        assertThat(models.get(1).get("version").asText()).isEqualTo("2025w01");
        assertThat(models.get(1).get("training").get("rows").asInt()).isEqualTo(28_947);
    }

    @Test
    void preferenceEvalSaysWhereTheDataIsMissing() {
        CommandRun r = run("preference-eval", "--data", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no starbucks_transcript.json in " + dir);
    }

    @Test
    void subcommandsAreFreshInstancesEachCall() {
        assertThat(ModelsCli.subcommands()).hasSize(6);
        assertThat(ModelsCli.subcommands().get(0))
                .isNotSameAs(ModelsCli.subcommands().get(0));
    }
}
