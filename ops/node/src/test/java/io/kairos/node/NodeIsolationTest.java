package io.kairos.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class NodeIsolationTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void findsTheProcessThatOpenedAConnectionByItsClientPort() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            assertThat(NodeIsolation.ownsLocalPort(SELF, client.getLocalPort())).isTrue();
            assertThat(NodeIsolation.ownsLocalPort(SELF, freePortNobodyHolds())).isFalse();
            assertThat(NodeIsolation.ownsLocalPort(Long.MAX_VALUE, client.getLocalPort()))
                    .as("no such process")
                    .isFalse();
        }
    }

    @Test
    void dropsBothWaysOnlyTheConnectionsOfTheIsolatedProcessAndOnlyWhileItIsIsolated() throws Exception {
        var isolation = new NodeIsolation();
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            var ours = isolation.filters().allocate(new InetSocketAddress("127.0.0.1", client.getLocalPort()));
            var someoneElses = isolation.filters().allocate(new InetSocketAddress("127.0.0.1", freePortNobodyHolds()));

            assertThat(passes(ours)).as("before the cut").isTrue();
            isolation.isolate(SELF);
            assertThat(passes(ours))
                    .as("a connection the isolated process opened")
                    .isFalse();
            assertThat(passes(someoneElses)).as("another process's connection").isTrue();
            isolation.clear();
            assertThat(passes(ours)).as("after healing").isTrue();
        }
    }

    private static boolean passes(org.netcrusher.core.filter.TransformFilter filter) {
        var buffer = ByteBuffer.wrap("gossip".getBytes(StandardCharsets.US_ASCII));
        filter.transform(buffer);
        return buffer.remaining() == 6;
    }

    private static int freePortNobodyHolds() throws Exception {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
