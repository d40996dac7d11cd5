package org.cnx.conveyor.preview;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.release.ArtifactList;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.release.ReleaseViews.NewRelease;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;
import org.cnx.conveyor.release.ReleaseViews.Source;

/** Makes a release of a commit by running the configured build command ({@code conveyor.github.build.command}). */
@ApplicationScoped
public class CommitBuilds {

    /** The build could not produce a release; the message says why (the command's last output lines). */
    public static class BuildFailed extends Exception {
        BuildFailed(String message) {
            super(message);
        }
    }

    private final GitHubConfig config;
    private final ReleaseService releases;

    CommitBuilds(GitHubConfig config, ReleaseService releases) {
        this.config = config;
        this.releases = releases;
    }

    /** Builds the commit and creates its release, created by {@code by}. */
    public ReleaseView build(Source source, String repository, String notes, String by) throws BuildFailed {
        Path dir = DataDirectory.resolve()
                .resolve("artifacts")
                .resolve("builds")
                .resolve(source.commit() + "-" + System.nanoTime());
        Map<String, ComponentPin> pins = run(source, repository, dir);
        return releases.create(new NewRelease(pins, notes, source), by);
    }

    private Map<String, ComponentPin> run(Source source, String repository, Path dir) throws BuildFailed {
        try {
            Files.createDirectories(dir);
            Path out = dir.resolve(".build.out");
            Path err = dir.resolve(".build.err");
            ProcessBuilder builder = new ProcessBuilder(
                            "sh", "-c", config.build().command())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            // Values reach the command as environment variables, never spliced into its text.
            builder.environment().put("CONVEYOR_COMMIT", source.commit());
            builder.environment().put("CONVEYOR_BRANCH", source.branch() == null ? "" : source.branch());
            builder.environment()
                    .put(
                            "CONVEYOR_PULL_REQUEST",
                            source.pullRequest() == null
                                    ? ""
                                    : source.pullRequest().toString());
            builder.environment().put("CONVEYOR_REPOSITORY", repository);
            builder.environment().put("CONVEYOR_BUILD_DIR", dir.toString());
            Process process = builder.start();
            if (!process.waitFor(config.build().timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new BuildFailed("the build of " + source.commit() + " ran longer than "
                        + config.build().timeout());
            }
            if (process.exitValue() != 0) {
                throw new BuildFailed("the build of " + source.commit() + " exited with status " + process.exitValue()
                        + ": " + tail(Files.readString(err)));
            }
            return pins(Files.readString(out), source.commit());
        } catch (IOException e) {
            throw new BuildFailed("cannot run the build of " + source.commit() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailed("the build of " + source.commit() + " was interrupted");
        }
    }

    private static Map<String, ComponentPin> pins(String stdout, String commit) throws BuildFailed {
        Map<String, ComponentPin> pins = ArtifactList.parse(stdout);
        if (pins.isEmpty()) {
            throw new BuildFailed(
                    "the build of " + commit + " printed no \"<component> <version> <sha256> <file>\" line");
        }
        return pins;
    }

    private static String tail(String text) {
        String stripped = text.strip();
        return stripped.length() <= 500 ? stripped : "…" + stripped.substring(stripped.length() - 500);
    }
}
