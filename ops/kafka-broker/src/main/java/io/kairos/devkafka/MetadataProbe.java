package io.kairos.devkafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Asks a broker for its cluster metadata over the Kafka protocol itself (a Metadata v4 request for no topics), so that
 * readiness is judged the way a client sees it without kafka-clients on this JVM's classpath.
 *
 * <p>A KRaft broker lists only unfenced brokers in a Metadata response: the broker is in its own answer once it has
 * caught up with the metadata log and its controller has let it take partitions, which is when producers and consumers
 * work. Metadata v4 has every field this probe reads, and Kafka 4.x brokers still serve it.
 */
final class MetadataProbe {

    /** What a broker said about its cluster. */
    record Answer(String clusterId, Set<Integer> brokerIds) {}

    private static final short METADATA = 3;
    private static final short VERSION = 4;
    private static final byte[] CLIENT_ID = "kairos-dev-kafka".getBytes(StandardCharsets.UTF_8);
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final int READ_TIMEOUT_MILLIS = 3_000;
    private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private MetadataProbe() {}

    /** The broker's answer at 127.0.0.1:port; empty when nothing listens or what listens does not answer Metadata. */
    static Optional<Answer> query(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            var out = new DataOutputStream(socket.getOutputStream());
            int correlationId = (int) System.nanoTime();
            // Request header v1 (api key, version, correlation id, client id), then the body: topics = null (all of
            // them: the answer's size grows with the topic count, which a dev broker keeps small) and no
            // auto-creation.
            out.writeInt(2 + 2 + 4 + 2 + CLIENT_ID.length + 4 + 1);
            out.writeShort(METADATA);
            out.writeShort(VERSION);
            out.writeInt(correlationId);
            out.writeShort(CLIENT_ID.length);
            out.write(CLIENT_ID);
            out.writeInt(-1);
            out.writeByte(0);
            out.flush();
            var in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            if (size < 16 || size > MAX_RESPONSE_BYTES || in.readInt() != correlationId) {
                return Optional.empty();
            }
            in.readInt(); // throttle_time_ms
            int brokers = in.readInt();
            var ids = new HashSet<Integer>();
            for (int i = 0; i < brokers; i++) {
                ids.add(in.readInt());
                readString(in); // host
                in.readInt(); // port
                readString(in); // rack
            }
            var clusterId = readString(in);
            return clusterId == null ? Optional.empty() : Optional.of(new Answer(clusterId, Set.copyOf(ids)));
        } catch (IOException e) {
            // Refused, reset, timed out, or not the Kafka protocol: not a broker that answers.
            return Optional.empty();
        }
    }

    /** A Kafka (nullable) STRING: int16 length, -1 for null, then UTF-8 bytes. */
    private static String readString(DataInputStream in) throws IOException {
        int length = in.readShort();
        if (length < 0) {
            return null;
        }
        var bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
