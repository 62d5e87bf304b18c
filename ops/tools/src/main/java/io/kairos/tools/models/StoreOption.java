package io.kairos.tools.models;

import io.kairos.models.registry.ModelStores;
import picocli.CommandLine.Option;

/** The {@code --store} option shared by the registry commands (a mixin). */
final class StoreOption {
    @Option(
            names = "--store",
            paramLabel = "STORE",
            defaultValue = "${env:KAIROS_MODELS_STORE:-cassandra}",
            description =
                    "Model store: `cassandra` (the store the nodes serve from, at KAIROS_CASSANDRA_CONTACT_POINTS), "
                            + "cassandra://host:port/keyspace, or a directory (default: $KAIROS_MODELS_STORE or ${DEFAULT-VALUE}).")
    String spec;

    ModelStores.Opened open() {
        return ModelStores.open(spec);
    }

    /**
     * Who a promotion or rollback from the command line is recorded as made by: {@code cli:USER}, the operating-system
     * user (the command line reaches the store directly, with no API key).
     */
    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }
}
