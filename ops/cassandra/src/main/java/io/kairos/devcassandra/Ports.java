package io.kairos.devcassandra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Ports on this machine: free ones for a dev node, and the check that the ones a node needs are free. */
final class Ports {
    private static final int FREE_PORT_FIRST = 20_000;
    private static final int FREE_PORT_LAST = 32_000;

    private Ports() {}

    static int[] free(int count) {
        var ports = new int[count];
        var random = ThreadLocalRandom.current();
        for (int found = 0, attempts = 0; found < count; attempts++) {
            if (attempts > 1_000) {
                throw new IllegalStateException("No free port between " + FREE_PORT_FIRST + " and " + FREE_PORT_LAST);
            }
            int candidate = random.nextInt(FREE_PORT_FIRST, FREE_PORT_LAST);
            boolean taken = false;
            for (int i = 0; i < found; i++) {
                taken |= ports[i] == candidate;
            }
            if (!taken && bindable(InetAddress.getLoopbackAddress(), candidate)) {
                ports[found++] = candidate;
            }
        }
        return ports;
    }

    static void requireFree(DevCassandraSettings settings) {
        InetAddress address;
        try {
            address = InetAddress.getByName(settings.host());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot resolve host " + settings.host(), e);
        }
        for (var port : new int[] {settings.nativePort(), settings.storagePort(), settings.jmxPort()}) {
            if (!bindable(address, port)) {
                throw new DevCassandra.PortInUseException(
                        "Port " + port + " on " + settings.host() + " is in use; Cassandra "
                                + "needs native " + settings.nativePort() + ", storage " + settings.storagePort()
                                + " and JMX " + settings.jmxPort());
            }
        }
    }
    /**
     * True when a server could listen on the port now. SO_REUSEADDR as Cassandra's own listeners use it: a port whose
     * only leftovers are TIME_WAIT connections (e.g. right after a kill -9) is free; one with a listener is not.
     */
    static boolean bindable(InetAddress address, int port) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
