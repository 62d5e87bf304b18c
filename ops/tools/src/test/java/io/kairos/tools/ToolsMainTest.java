package io.kairos.tools;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import io.kairos.models.registry.DirectoryModelStore;
import io.kairos.models.registry.ModelRegistry;
import io.kairos.pricing.DemandPrior;
import io.kairos.pricing.ModelDemandPriors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The data tools mounted in the launcher, run through {@code ToolsMain.commandLine()} with the tools' own logging
 * configuration: {@code --json} prints exactly one JSON object and nothing else reaches stdout (logs go to stderr). The
 * demand model trained with {@code train elasticity} is the one the node's pricing priors then use.
 */
class ToolsMainTest {
    @TempDir
    Path dir;

    /** The tools' logback.xml: what the launcher runs them with. */
    @BeforeAll
    static void useTheToolsLogging() throws Exception {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        var configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(ToolsMainTest.class.getResource("/logback.xml"));
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(ToolsMain::commandLine, args);
    }

    /** The run's JSON object, checked to be all that reached stdout. */
    private static JsonNode json(CommandRun run) throws Exception {
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.rawStdout())
                .as("nothing but the command's output reaches stdout")
                .isEmpty();
        return run.json();
    }

    @Test
    void aToolThatRefusesSaysWhyInOneLineWithoutAStackTrace() {
        var missing = dir.resolve("no-such-draft.json");
        var refused = run("campaign-sim", missing.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).doesNotContain("\tat ");
        assertThat(refused.err().strip().lines().reduce((first, last) -> last)).hasValue("error: " + missing);
        assertThat(refused.out()).isEmpty();
    }

    @Test
    void theModelAndPricingToolsAreMountedAndPrintOneJsonObject() throws Exception {
        // weekly sales of three SKUs at varying prices, elasticity -2.5 with noise
        var rnd = new Random(5);
        var csv = new StringBuilder("sku,price,units\n");
        for (int i = 0; i < 300; i++) {
            int sku = i % 3;
            double price = 2 + rnd.nextDouble() * 3;
            double units = Math.exp(6 + sku * 0.5 - 2.5 * Math.log(price) + rnd.nextGaussian() * 0.1);
            csv.append("sku-")
                    .append(sku)
                    .append(',')
                    .append(price)
                    .append(',')
                    .append(Math.round(units))
                    .append('\n');
        }
        var sales = Files.writeString(dir.resolve("sales.csv"), csv);
        var store = dir.resolve("models");

        var trained = json(run(
                "train",
                "elasticity",
                "--csv",
                sales.toString(),
                "--price-col",
                "price",
                "--qty-col",
                "units",
                "--group-col",
                "sku",
                "--store",
                store.toString(),
                "--promote",
                "--json"));
        assertThat(trained.path("name").asText()).isEqualTo("demand");
        assertThat(trained.path("promoted").asBoolean()).isTrue();
        double elasticity = trained.path("metrics").path("elasticity").asDouble();
        assertThat(elasticity).isBetween(-2.6, -2.4);

        var listed = json(run("models", "list", "--store", store.toString(), "--json"));
        assertThat(listed.path("models").findValuesAsText("name")).containsExactly("demand");

        var sim = json(run("pricing-sim", "--skus", "2", "--days", "1", "--seed", "7", "--json"));
        assertThat(sim.path("skus").asInt()).isEqualTo(2);
        assertThat(sim.path("seed").asInt()).isEqualTo(7);
        assertThat(sim.path("policies").path("thompson").path("ratioToOracle").isNumber())
                .isTrue();

        // what the node's pricing starts new SKUs from, given this store (kairos.models.store)
        var registry = new ModelRegistry(new DirectoryModelStore(store));
        registry.syncWithStore();
        var fallback = new DemandPrior(-2.0, 0.03, 1.0, 1.0, "settings");
        var prior = new ModelDemandPriors(registry::active, "demand", fallback).priorFor("sku-0", null);
        assertThat(prior.elasticity()).isEqualTo(elasticity);
        assertThat(prior.source()).isEqualTo("model demand v1");
    }

    @Test
    void badInputIsAOneLineErrorWithExitCode2() {
        var r = run(
                "elasticity",
                "--csv",
                dir.resolve("missing.csv").toString(),
                "--price-col",
                "p",
                "--qty-col",
                "q",
                "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).anyMatch(l -> l.startsWith("error: "));
    }
}
