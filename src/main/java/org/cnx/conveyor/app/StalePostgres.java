package org.cnx.conveyor.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * After Conveyor was killed hard, its embedded PostgreSQL may still run on the data directory; stop it
 * cleanly so the new start can open the same data.
 */
final class StalePostgres {

    private static final Logger LOG = Logger.getLogger(StalePostgres.class);

    private StalePostgres() {}

    static void stopIfRunning(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String firstLine =
                Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(firstLine);
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        LOG.infof("Stopping the embedded PostgreSQL (pid %d) left running by a previous Conveyor", pid);
        // SIGINT is PostgreSQL's "fast" shutdown: it ends the dead Conveyor's sessions (a migration may still be
        // running
        // in one, and would hold a "smart" SIGTERM shutdown for as long as it runs), rolls them back, and stops
        // cleanly.
        fastShutdown(process.get());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (process.get().isAlive() && Instant.now().isBefore(deadline)) {
            process.get()
                    .onExit()
                    .completeOnTimeout(null, 200, TimeUnit.MILLISECONDS)
                    .join();
        }
        if (process.get().isAlive()) {
            process.get().destroyForcibly();
        }
    }

    private static void fastShutdown(ProcessHandle postmaster) throws IOException {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                postmaster.destroy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            postmaster.destroy();
        }
    }
}
