package org.cnx.conveyor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Folders and ports for fake hosts: each host gets its own folder under {@code target/test-hosts}. */
final class HostDirs {

    private static final Path BASE = Path.of("target", "test-hosts").toAbsolutePath();

    private HostDirs() {}

    /** A new, empty folder for the named host. */
    static Path create(String hostName) {
        try {
            Files.createDirectories(BASE);
            return Files.createTempDirectory(BASE, hostName + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for test host " + hostName, e);
        }
    }

    /** A port on 127.0.0.1 that nothing listened on a moment ago. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
