package io.kairos.models.cli;

import io.kairos.models.registry.ModelStores;
import picocli.CommandLine.Option;

/** The {@code --store} option shared by the registry commands (a mixin). */
final class StoreOption {
  @Option(names = "--store", paramLabel = "STORE", defaultValue = "${env:KAIROS_MODELS_STORE:-.kairos/models}",
      description = "Model store: a directory, or cassandra://host:port/keyspace for the store a cluster shares "
          + "(default: $KAIROS_MODELS_STORE or ${DEFAULT-VALUE}).")
  String spec;

  ModelStores.Opened open() {
    return ModelStores.open(spec);
  }
}
