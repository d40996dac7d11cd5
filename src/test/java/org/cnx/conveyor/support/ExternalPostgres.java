package org.cnx.conveyor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's PostgreSQL 15 server (package postgresql-15) as an external database several Conveyors share: a cluster of
 * its own in a temporary folder, on a free port, run as the {@code postgres} OS user, with a password login.
 */
public final class ExternalPostgres implements AutoCloseable {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final int port;

    private ExternalPostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Initialises and starts a cluster under {@code parent}, with database {@code conveyor} owned by {@code conveyor}. */
    public static ExternalPostgres start(Path parent, String password) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = Files.createDirectories(parent.resolve("pg15"));
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ExternalPostgres pg = new ExternalPostgres(dir, port);
        pg.asPostgres(
                BIN.resolve("initdb").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-A",
                "peer",
                "--auth-host=scram-sha-256",
                "-U",
                "postgres");
        pg.asPostgres(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-l",
                dir.resolve("log").toString(),
                "-w",
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200",
                "start");
        pg.psql("CREATE ROLE conveyor LOGIN CREATEDB PASSWORD '" + password + "'");
        pg.psql("CREATE DATABASE conveyor OWNER conveyor");
        return pg;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/conveyor";
    }

    /** Runs one SQL statement as the {@code postgres} superuser over the cluster's socket. */
    public void psql(String sql) throws IOException, InterruptedException {
        asPostgres(
                BIN.resolve("psql").toString(),
                "-h",
                dir.toString(),
                "-p",
                Integer.toString(port),
                "-d",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-qc",
                sql);
    }

    private void asPostgres(String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        argv.addAll(List.of(command));
        Process process = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolveSibling("pg15-commands.log").toFile()))
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed; see " + dir.resolveSibling("pg15-commands.log"));
        }
    }

    @Override
    public void close() {
        try {
            asPostgres(
                    BIN.resolve("pg_ctl").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-m",
                    "immediate",
                    "-w",
                    "stop");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
