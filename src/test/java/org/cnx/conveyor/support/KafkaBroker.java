package org.cnx.conveyor.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka broker (org.apache.kafka:kafka_2.13 from Maven Central) in a separate JVM, started
 * once for the whole test run (like the test database), so Conveyor's Kafka relay is on in every test and the Kafka
 * test needs no restart of the application. Its classpath is resolved once by Maven from src/test/kafka/pom.xml
 * into target/kafka-broker.classpath. It can be stopped and started again on the same port with its data kept,
 * like a broker outage.
 */
public class KafkaBroker implements QuarkusTestResourceLifecycleManager {

    public static final String TOPIC = "conveyor.test.events";
    private static final Path CLASSPATH_FILE =
            Path.of("target", "kafka-broker.classpath").toAbsolutePath();
    private static KafkaBroker current;

    private Path dir;
    private int port;
    private Process process;

    /** The broker of the running test class. */
    public static KafkaBroker current() {
        return current;
    }

    @Override
    public synchronized Map<String, String> start() {
        synchronized (KafkaBroker.class) {
            if (current == null) {
                launch();
                current = this;
                Runtime.getRuntime().addShutdownHook(new Thread(this::stopBroker));
            }
            return Map.of(
                    "conveyor.events.kafka.bootstrap-servers",
                    current.bootstrapServers(),
                    "conveyor.events.kafka.topic",
                    TOPIC,
                    "conveyor.events.kafka.retry-interval",
                    "500ms");
        }
    }

    private void launch() {
        try {
            dir = Files.createTempDirectory("conveyor-kafka");
            port = freePort();
            int controllerPort = freePort();
            Files.writeString(
                    dir.resolve("server.properties"),
                    String.join(
                            "\n",
                            "process.roles=broker,controller",
                            "node.id=1",
                            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                            "controller.listener.names=CONTROLLER",
                            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                            "inter.broker.listener.name=PLAINTEXT",
                            "log.dirs=" + dir.resolve("data"),
                            "offsets.topic.replication.factor=1",
                            "transaction.state.log.replication.factor=1",
                            "transaction.state.log.min.isr=1",
                            "share.coordinator.state.topic.replication.factor=1",
                            "share.coordinator.state.topic.min.isr=1",
                            "group.initial.rebalance.delay.ms=0",
                            "num.partitions=1",
                            ""));
            String classpath = classpath();
            run(
                    List.of(
                            java(),
                            "-cp",
                            classpath,
                            "kafka.tools.StorageTool",
                            "format",
                            "-t",
                            clusterId(),
                            "-c",
                            dir.resolve("server.properties").toString()),
                    dir.resolve("format.log"));
            startBroker();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (again) and waits until it accepts connections. */
    public synchronized void startBroker() {
        try {
            ProcessBuilder builder = new ProcessBuilder(
                    java(),
                    "-Xms128m",
                    "-Xmx512m",
                    "-cp",
                    classpath(),
                    "kafka.Kafka",
                    dir.resolve("server.properties").toString());
            builder.redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("broker.log").toFile()));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Wait.until(
                "the Kafka broker on port " + port + " (log: " + dir.resolve("broker.log") + ")",
                Duration.ofSeconds(90),
                () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the Kafka broker exited; see " + dir.resolve("broker.log"));
                    }
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                        return true;
                    } catch (IOException e) {
                        return null;
                    }
                });
    }

    /** Stops the broker as an outage would (its data stays for the restart). */
    public synchronized void stopBroker() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void stop() {
        // Kept running across test classes and application restarts; stopped when the test JVM exits.
    }

    private static String classpath() throws IOException {
        if (!Files.exists(CLASSPATH_FILE)) {
            Path mvnw = Path.of("mvnw").toAbsolutePath();
            run(
                    List.of(
                            mvnw.toString(),
                            "-q",
                            "-B",
                            "-ntp",
                            "-f",
                            Path.of("src", "test", "kafka", "pom.xml")
                                    .toAbsolutePath()
                                    .toString(),
                            "dependency:build-classpath",
                            "-Dmdep.outputFile=" + CLASSPATH_FILE),
                    CLASSPATH_FILE.resolveSibling("kafka-broker-resolve.log"));
        }
        return Files.readString(CLASSPATH_FILE).trim();
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("failed: " + String.join(" ", command) + "; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command));
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A random Kafka cluster id; one that starts with '-' would be read as an option by the storage tool. */
    private static String clusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16)
                    .putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
