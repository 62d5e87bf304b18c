package io.kairos.devkafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a dev broker in the foreground until interrupted (Ctrl-C stops it gracefully): {@code java -cp <this module's
 * classpath> io.kairos.devkafka.DevKafkaMain <dataDir> [port]}, the port defaulting to {@code $KAIROS_DEV_KAFKA_PORT}
 * or 9092 (0 picks a free one).
 *
 * <p>Prints one line {@code bootstrap=127.0.0.1:<port>} once the broker answers, for scripts and kcat demos
 * ({@code kcat -b 127.0.0.1:9092 -L}).
 */
public final class DevKafkaMain {

    private DevKafkaMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1 && args.length != 2) {
            System.err.println("usage: DevKafkaMain <dataDir> [port]");
            System.exit(2);
        }
        var settings = DevKafkaSettings.fromEnvironment(Path.of(args[0]));
        if (args.length == 2) {
            settings = settings.withPort(Integer.parseInt(args[1]));
        }
        var broker = DevKafka.start(settings);
        System.out.println("bootstrap=" + broker.bootstrapServers());
        System.out.flush();
        // The broker's shutdown hook stops it when this JVM is interrupted or terminated.
        new CountDownLatch(1).await();
    }
}
