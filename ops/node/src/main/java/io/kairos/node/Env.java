package io.kairos.node;

import java.util.Optional;

/** The {@code KAIROS_*} environment, read in one place so commands and tests agree on names and defaults. */
final class Env {
  private Env() {}

  static Optional<String> get(String name) {
    return Optional.ofNullable(System.getenv(name)).map(String::trim).filter(s -> !s.isEmpty());
  }

  static int intValue(String name, int fallback) {
    var value = get(name);
    if (value.isEmpty()) return fallback;
    try {
      return Integer.parseInt(value.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not '" + value.get() + "'");
    }
  }
}
