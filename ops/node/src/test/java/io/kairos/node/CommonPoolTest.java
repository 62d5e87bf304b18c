package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * On a machine of two cores the JDK sizes its common pool at one thread, and then runs every asynchronous
 * {@code CompletableFuture} stage on a new thread; {@link KairosMain#useCommonPool} keeps them on the common pool. Each
 * case runs in a JVM of its own that sees two processors, as the CI box and a small pod do.
 */
class CommonPoolTest {

    /** Run by the test in a fresh JVM: uses the pool as the node's main would (if asked), then names the threads. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("use")) KairosMain.useCommonPool();
        var first = CompletableFuture.supplyAsync(() -> Thread.currentThread().getName());
        var second = first.thenApplyAsync(n -> n + " " + Thread.currentThread().getName());
        System.out.println(second.get(10, TimeUnit.SECONDS));
    }

    private static String threadsOfAsyncStages(String... args) throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new java.util.ArrayList<>(List.of(
                java,
                "-XX:ActiveProcessorCount=2",
                "-cp",
                System.getProperty("java.class.path"),
                CommonPoolTest.class.getName()));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void onTwoCoresAsyncStagesRunOnTheCommonPoolOnlyOnceTheNodeSizesIt() throws Exception {
        // the JDK's own choice: a thread per stage ("Thread-0 Thread-1")
        assertThat(threadsOfAsyncStages()).doesNotContain("ForkJoinPool.commonPool");
        assertThat(threadsOfAsyncStages("use"))
                .matches("ForkJoinPool\\.commonPool-worker-\\d+ ForkJoinPool\\.commonPool-worker-\\d+");
    }
}
