package io.kairos.models.cli;

import io.kairos.models.registry.DirectoryModelStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --store} option shared by the registry commands (a mixin). */
final class StoreOption {
  @Option(names = "--store", paramLabel = "DIR", defaultValue = "${env:KAIROS_MODELS_DIR:-.kairos/models}",
      description = "Model store directory (default: $KAIROS_MODELS_DIR or ${DEFAULT-VALUE}).")
  Path dir;

  DirectoryModelStore open() {
    return new DirectoryModelStore(dir);
  }
}
