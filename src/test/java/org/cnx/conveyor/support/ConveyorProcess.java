package org.cnx.conveyor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Conveyor as an operator runs it: the packaged jar in its own JVM, which a test can stop or kill. */
public final class ConveyorProcess implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final Map<String, String> extraEnv;
    private final Path log;
    private final boolean serverScript;
    private Process process;

    /** Started with a plain {@code java -jar}. */
    public ConveyorProcess(Path dataDir, Map<String, String> extraEnv) {
        this(dataDir, extraEnv, false);
    }

    private ConveyorProcess(Path dataDir, Map<String, String> extraEnv, boolean serverScript) {
        this.dataDir = dataDir;
        this.port = freePort();
        this.extraEnv = extraEnv;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-" + System.nanoTime() + ".log");
        this.serverScript = serverScript;
    }

    /** Started as README's command starts it: {@code bin/conveyor-server}, with its class archive in {@code cdsDir}. */
    public static ConveyorProcess viaServerScript(Path dataDir, Path cdsDir) {
        return new ConveyorProcess(dataDir, Map.of("CONVEYOR_CDS_DIR", cdsDir.toString()), true);
    }

    /** The JVM's command-line arguments (the script execs the JVM once its archive exists). */
    public java.util.List<String> jvmArguments() {
        return java.util.List.of(process.toHandle().info().arguments().orElse(new String[0]));
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public Path log() {
        return log;
    }

    public ConveyorProcess start() {
        String jar = System.getProperty("conveyor.jar", "target/quarkus-app/quarkus-run.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = serverScript
                ? new ProcessBuilder(
                        Path.of("bin", "conveyor-server").toAbsolutePath().toString())
                : new ProcessBuilder(java, "-Xmx512m", "-jar", jar);
        if (serverScript) {
            builder.environment()
                    .put("CONVEYOR_JAR", Path.of(jar).toAbsolutePath().toString());
            builder.environment().put("CONVEYOR_JAVA_OPTS", "-Xmx512m");
            builder.environment().put("PATH", Path.of(java).getParent() + ":" + System.getenv("PATH"));
        }
        builder.environment().put("CONVEYOR_DATA_DIR", dataDir.toString());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment()
                .put(
                        "CONVEYOR_ENVIRONMENTS_DIR",
                        Path.of("environments").toAbsolutePath().toString());
        builder.environment().putAll(extraEnv);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady(Duration.ofSeconds(90));
        return this;
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Conveyor exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpURLConnection connection = (HttpURLConnection)
                        URI.create(baseUrl() + "/q/health/ready").toURL().openConnection();
                connection.setConnectTimeout(500);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            process.onExit()
                    .completeOnTimeout(null, 250, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .join();
        }
        throw new IllegalStateException("Conveyor not ready after " + timeout + "; see " + log);
    }

    /** SIGTERM and wait: an orderly shutdown. */
    public void stop() {
        process.destroy();
        process.onExit().join();
    }

    /** SIGKILL: Conveyor gets no chance to clean up (nor does the JVM under a start script). */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().join();
    }

    public String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
