package io.kairos.devcassandra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The last lines of a log, for error messages of the dev launchers (Cassandra, the Kafka broker); reads at most the
 * last 64 KiB whatever the file's size.
 */
public final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {}

    public static String of(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "--- " + file + " (missing)\n";
        }
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int size = (int) Math.min(length, MAX_BYTES);
            var bytes = new byte[size];
            in.seek(length - size);
            in.readFully(bytes);
            var all = new String(bytes, StandardCharsets.UTF_8).split("\n");
            var last = Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length);
            return "--- last " + last.length + " lines of " + file + "\n" + String.join("\n", last) + "\n";
        } catch (IOException e) {
            return "--- " + file + " (unreadable: " + e.getMessage() + ")\n";
        }
    }
}
