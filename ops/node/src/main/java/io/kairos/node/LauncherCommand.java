package io.kairos.node;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Base of the launcher's public commands ({@code dev}, {@code cluster}, {@code node}, {@code schema}): each has the
 * standard {@code --help} and {@code --version} options, declared here once and inherited by the command's own
 * {@code @Command}. The hidden {@code cluster-member} has none.
 */
@Command(mixinStandardHelpOptions = true)
abstract class LauncherCommand implements Callable<Integer> {}
