package org.cnx.conveyor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A local process logging in as {@code postgres} without a password, over TCP and over the unix socket, as psql. */
final class PasswordlessLogin {

    private PasswordlessLogin() {}

    /** Asserts that the server on {@code port} refuses it both ways, asking for a password. */
    static void assertRefused(String port) throws IOException, InterruptedException {
        for (String host : new String[] {"127.0.0.1", "/tmp"}) {
            Process psql = new ProcessBuilder(
                            "psql", "-w", "-h", host, "-p", port, "-U", "postgres", "-d", "postgres", "-c", "SELECT 1")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(psql.waitFor()).as(output).isNotZero();
            assertThat(output).as(host).contains("no password supplied");
        }
    }
}
