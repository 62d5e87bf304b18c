package io.kairos.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.netcrusher.core.filter.TransformFilter;
import org.netcrusher.core.filter.TransformFilterFactory;

/**
 * Cuts one node process off the others in both directions, for a clean network partition on loopback.
 *
 * <p>Closing the TCP proxy in front of a node's remoting port only stops what the others send to it: the node's own
 * connections to the other nodes' proxies still deliver its gossip, including its observation that the others are
 * unreachable. That is a one-way link failure, not a partition, and Akka's split brain resolver treats the nodes on
 * such links as "indirectly connected" and may down more than the cut node, depending on which side noticed first. The
 * filter installed here in every proxy therefore also drops every byte, both ways, of each connection the isolated
 * process opened to another node. A connection's owner is found once per connection, after a cut begins, by matching
 * its client port against the sockets the process holds ({@code /proc/<pid>/fd} and {@code /proc/<pid>/net/tcp[6]}), so
 * the tests that use it need Linux.
 */
final class NodeIsolation {
    private volatile long isolatedPid = -1;

    /** Every connection through a proxy gets one filter per direction from this factory. */
    TransformFilterFactory filters() {
        return client -> new DropIfIsolated(client.getPort());
    }

    /** From now on nothing flows on the connections the process {@code pid} opened. */
    void isolate(long pid) {
        isolatedPid = pid;
    }

    void clear() {
        isolatedPid = -1;
    }

    private final class DropIfIsolated implements TransformFilter {
        private final int clientPort;
        private long decidedFor = -1;
        private boolean drop;

        DropIfIsolated(int clientPort) {
            this.clientPort = clientPort;
        }

        @Override
        public void transform(ByteBuffer buffer) {
            long pid = isolatedPid;
            if (pid < 0) return;
            if (decidedFor != pid) {
                drop = ownsLocalPort(pid, clientPort);
                decidedFor = pid;
            }
            if (drop) buffer.position(buffer.limit());
        }
    }

    /** Whether process {@code pid} holds a TCP socket whose local port is {@code port}. */
    static boolean ownsLocalPort(long pid, int port) {
        var proc = Path.of("/proc", Long.toString(pid));
        var inodes = new HashSet<String>();
        try (var fds = Files.list(proc.resolve("fd"))) {
            for (var fd : (Iterable<Path>) fds::iterator) {
                try {
                    var target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            }
            for (var table : List.of("tcp", "tcp6")) {
                var lines = Files.readAllLines(proc.resolve("net").resolve(table));
                for (var line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    var fields = line.trim().split("\\s+");
                    var local = fields[1];
                    int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                    if (localPort == port && inodes.contains(fields[9])) return true;
                }
            }
            return false;
        } catch (IOException processGone) {
            return false;
        }
    }
}
