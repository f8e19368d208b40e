package dev.queuebench.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A stand-in server process for the tests: listens on the loopback port it is given until killed. */
final class BindPort {
    private BindPort() {}

    public static void main(String[] args) throws IOException {
        try (ServerSocket socket = new ServerSocket(Integer.parseInt(args[0]), 50, InetAddress.getLoopbackAddress())) {
            while (true) {
                socket.accept().close();
            }
        }
    }
}
