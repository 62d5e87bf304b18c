package io.kairos.tools.models;

import io.kairos.models.registry.ModelMetadata;
import io.kairos.models.registry.ModelStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code models list|promote|rollback}: inspect the model store and choose what nodes serve. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "List, promote and roll back stored models.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Promote.class, ModelsCommand.Rollback.class})
final class ModelsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "name a subcommand: list, promote or rollback");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List stored model versions.")
    static final class ListModels extends ToolCommand {
        @Mixin
        StoreOption store;

        @Override
        int run() {
            try (var opened = store.open()) {
                ModelStore s = opened.store();
                List<ModelMetadata> all = s.list();
                var promoted = new LinkedHashMap<String, String>();
                all.forEach(m ->
                        promoted.computeIfAbsent(m.name(), n -> s.promoted(n).orElse(null)));
                if (json) {
                    var models = new ArrayList<Map<String, Object>>();
                    for (ModelMetadata m : all) {
                        var o = new LinkedHashMap<String, Object>();
                        o.put("name", m.name());
                        o.put("version", m.version());
                        o.put("kind", m.kind().name());
                        o.put("promoted", m.version().equals(promoted.get(m.name())));
                        o.put("createdAt", m.createdAt().toString());
                        o.put("training", m.training());
                        o.put("metrics", m.metrics());
                        models.add(o);
                    }
                    printJson(Map.of("models", models));
                } else {
                    if (all.isEmpty()) {
                        out().println("no models in " + opened.description());
                    }
                    for (ModelMetadata m : all) {
                        boolean isPromoted = m.version().equals(promoted.get(m.name()));
                        out().printf(
                                        "%s %-20s %-8s %-9s %s rows=%d %s%n",
                                        isPromoted ? "*" : " ",
                                        m.name(),
                                        m.version(),
                                        m.kind(),
                                        m.createdAt(),
                                        m.training().rows(),
                                        new java.util.TreeMap<>(m.metrics()));
                    }
                    out().flush();
                }
                return 0;
            }
        }
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description = "Make VERSION the promoted version of NAME (nodes switch to it without restart).")
    static final class Promote extends ToolCommand {
        @Mixin
        StoreOption store;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        String version;

        @Override
        int run() {
            try (var opened = store.open()) {
                ModelStore s = opened.store();
                String previous = s.promoted(name).orElse(null);
                s.promote(name, version);
                report(this, name, version, previous);
                return 0;
            }
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Return NAME to the version promoted before the current one.")
    static final class Rollback extends ToolCommand {
        @Mixin
        StoreOption store;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run() {
            try (var opened = store.open()) {
                ModelStore s = opened.store();
                String previous = s.promoted(name).orElse(null);
                String now = s.rollback(name);
                report(this, name, now, previous);
                return 0;
            }
        }
    }

    static void report(ToolCommand cmd, String name, String version, String previous) {
        if (cmd.json) {
            var o = new LinkedHashMap<String, Object>();
            o.put("name", name);
            o.put("version", version);
            o.put("previous", previous);
            cmd.printJson(o);
        } else {
            cmd.out().printf("%s: promoted version %s (was %s)%n", name, version, previous == null ? "none" : previous);
            cmd.out().flush();
        }
    }
}
