package org.cnx.conveyor.deploy;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.release.ArtifactList;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.release.ReleaseViews.NewRelease;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * At start-up, packages the sample stack in {@code examples/} and makes releases of it, so the demo has something to
 * deploy: first the stack with the db component before its newest migrations, then the whole stack, so deploying the
 * second after the first runs a migration and a rollback undoes it.
 */
@ApplicationScoped
class DemoRelease {

    private static final Logger LOG = Logger.getLogger(DemoRelease.class);

    void onStart(
            @Observes @Priority(30) StartupEvent event,
            DeployConfig config,
            ReleaseService releases,
            @ConfigProperty(name = "conveyor.examples-dir", defaultValue = "examples") String examplesDir) {
        Path script = Path.of(examplesDir, "package.sh").toAbsolutePath();
        if (!config.demoRelease() || !Files.isRegularFile(script)) {
            return;
        }
        try {
            Map<String, ComponentPin> pins = packageExamples(
                    script, DataDirectory.resolve().resolve("artifacts").resolve("examples"));
            ComponentPin previousDb = pins.remove(PREVIOUS_DB);
            if (previousDb != null) {
                Map<String, ComponentPin> previous = new LinkedHashMap<>(pins);
                previous.put("db", previousDb);
                create(
                        releases,
                        previous,
                        "The sample stack from examples/, with the db component before its newest migration");
            }
            create(releases, pins, "The sample stack from examples/, packaged at start-up");
        } catch (IOException | RuntimeException e) {
            LOG.warnf(
                    "Cannot package the sample stack in %s (the demo environment has nothing to deploy): %s",
                    examplesDir, e.getMessage());
        }
    }

    private static final String PREVIOUS_DB = "db-previous";

    private static void create(ReleaseService releases, Map<String, ComponentPin> pins, String notes) {
        if (releases.findIdentical(pins).isEmpty()) {
            long id = releases.create(new NewRelease(pins, notes, null), "conveyor")
                    .id();
            LOG.infof("Created release %d of the sample stack for the demo environment", id);
        }
    }

    /** Runs {@code package.sh OUT}; each line it prints is {@code <component> <version> <sha256> <path>}. */
    private static Map<String, ComponentPin> packageExamples(Path script, Path out) throws IOException {
        Files.createDirectories(out);
        Process process = new ProcessBuilder("sh", script.toString(), out.toString())
                .redirectErrorStream(false)
                .start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException("package.sh failed: " + stderr.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Map<String, ComponentPin> pins = ArtifactList.parse(stdout);
        if (pins.isEmpty()) {
            throw new IOException("package.sh printed no artifact");
        }
        return pins;
    }
}
