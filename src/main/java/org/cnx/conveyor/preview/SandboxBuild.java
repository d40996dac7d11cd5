package org.cnx.conveyor.preview;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.job.JobLog;
import org.cnx.conveyor.release.ArtifactList;
import org.cnx.conveyor.release.ReleaseValidator;
import org.cnx.conveyor.release.ReleaseViews.Artifact;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.transport.Connectors;
import org.cnx.conveyor.transport.Endpoint;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.OutputSink;
import org.cnx.conveyor.transport.Shell;
import org.cnx.conveyor.transport.TransportException;

/**
 * Runs the build command ({@code conveyor.github.build.command}) of one build job in a sandbox of its own, as an
 * unprivileged uid that sees none of Conveyor's files, and brings the artifacts it printed back into Conveyor's
 * artifact store. The artifacts are read by the sandbox's uid ({@code base64} inside the sandbox), never opened by
 * Conveyor in a folder the build controls, so a symbolic link planted by the build reaches nothing the uid cannot read.
 */
@ApplicationScoped
class SandboxBuild {

    static final String HOST = "build";
    private static final Pattern FILE_WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,63}");
    /** Standard output kept for the artifact lines; the log gets every line anyway. */
    private static final int MAX_STDOUT = 1 << 20;

    /** The build did not produce its artifacts; the message says why. */
    static final class BuildFailed extends Exception {
        BuildFailed(String message) {
            super(message);
        }
    }

    private final GitHubConfig config;
    private final Connectors connectors;

    SandboxBuild(GitHubConfig config, Connectors connectors) {
        this.config = config;
        this.connectors = connectors;
    }

    /** The sandbox root of a build job: a folder of its own beside the environments' roots, as the sandbox requires. */
    static Path root(long jobId) {
        return DataDirectory.resolve().resolve("hosts").resolve("build-" + jobId);
    }

    /** Builds and returns the pins of the components {@code build} takes, their artifacts in Conveyor's store. */
    Map<String, ComponentPin> run(long jobId, Build build, JobLog log) throws BuildFailed {
        Path root = root(jobId);
        try (HostConnection sandbox = connectors.connect(new Endpoint.Sandbox(HOST, root), name -> Optional.empty())) {
            try {
                seed(sandbox, root, jobId);
                String stdout = command(sandbox, root, build, log);
                Map<String, ComponentPin> printed = take(ArtifactList.parse(stdout), build);
                return fetch(
                        sandbox,
                        root,
                        printed,
                        DataDirectory.resolve()
                                .resolve("artifacts")
                                .resolve("builds")
                                .resolve("job-" + jobId));
            } finally {
                // Whatever the build left running stops here, and its files go.
                sandbox.removeRoot(root.toString(), Duration.ofMinutes(1), OutputSink.DISCARD);
            }
        } catch (TransportException e) {
            throw new BuildFailed(e.getMessage());
        }
    }

    /** Stops and removes what a build job that did not finish left behind (its holder died). */
    void discard(long jobId) throws TransportException {
        Path root = root(jobId);
        if (Files.exists(root)) {
            try (HostConnection sandbox =
                    connectors.connect(new Endpoint.Sandbox(HOST, root), name -> Optional.empty())) {
                sandbox.removeRoot(root.toString(), Duration.ofMinutes(1), OutputSink.DISCARD);
            }
        }
    }

    /** Copies the configured workspace into the sandbox (as the sandbox's uid, from a tar Conveyor made). */
    private void seed(HostConnection sandbox, Path root, long jobId) throws TransportException, BuildFailed {
        Path workspace = Path.of(config.build().workspace()).toAbsolutePath();
        String unpack = "mkdir -p workspace out";
        if (Files.isDirectory(workspace)) {
            Path tar = tar(workspace, jobId);
            try {
                sandbox.upload(tar, root.resolve("workspace.tar").toString());
            } finally {
                tar.toFile().delete();
            }
            unpack += " && tar -xf workspace.tar -C workspace && rm workspace.tar";
        }
        sandbox.run(unpack, Duration.ofMinutes(5), OutputSink.DISCARD);
    }

    private static Path tar(Path workspace, long jobId) throws BuildFailed {
        try {
            Path dir = Files.createDirectories(DataDirectory.resolve().resolve("builds"));
            Path tar = dir.resolve("workspace-" + jobId + ".tar");
            Process process = new ProcessBuilder("tar", "-C", workspace.toString(), "-cf", tar.toString(), ".")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (process.waitFor() != 0) {
                throw new BuildFailed("cannot pack the build workspace " + workspace);
            }
            return tar;
        } catch (IOException e) {
            throw new BuildFailed("cannot pack the build workspace " + workspace + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailed("interrupted while packing the build workspace");
        }
    }

    private String command(HostConnection sandbox, Path root, Build build, JobLog log)
            throws TransportException, BuildFailed {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CONVEYOR_COMMIT", build.commit);
        env.put("CONVEYOR_BRANCH", build.branch);
        env.put("CONVEYOR_PULL_REQUEST", build.pullRequest == null ? "" : build.pullRequest.toString());
        env.put("CONVEYOR_REPOSITORY", build.repository);
        env.put("CONVEYOR_COMPONENTS", String.join(",", build.componentList()));
        env.put("CONVEYOR_BUILD_DIR", root.resolve("out").toString());
        StringBuilder stdout = new StringBuilder();
        int exit = sandbox.exec(
                Shell.inDirectory(
                        root.resolve("workspace").toString(),
                        env,
                        config.build().command()),
                config.build().timeout(),
                (stream, line) -> {
                    log.append(HOST, null, stream == OutputSink.Stream.STDOUT ? "stdout" : "stderr", line);
                    if (stream == OutputSink.Stream.STDOUT && stdout.length() + line.length() < MAX_STDOUT) {
                        stdout.append(line).append('\n');
                    }
                });
        if (exit != 0) {
            throw new BuildFailed("the build command exited with status " + exit + " (its output is in the log)");
        }
        return stdout.toString();
    }

    /** The printed pins the build takes: all of them, or exactly its components. */
    private static Map<String, ComponentPin> take(Map<String, ComponentPin> printed, Build build) throws BuildFailed {
        if (printed.isEmpty()) {
            throw new BuildFailed("the build printed no \"<component> <version> <sha256> <file>\" line");
        }
        List<String> wanted = build.componentList();
        if (wanted.isEmpty()) {
            return printed;
        }
        Map<String, ComponentPin> taken = new LinkedHashMap<>();
        for (String component : wanted) {
            ComponentPin pin = printed.get(component);
            if (pin == null) {
                throw new BuildFailed("the build printed no artifact line for component " + component + " (it printed "
                        + String.join(", ", printed.keySet()) + ")");
            }
            taken.put(component, pin);
        }
        return taken;
    }

    private static Map<String, ComponentPin> fetch(
            HostConnection sandbox, Path root, Map<String, ComponentPin> printed, Path store)
            throws TransportException, BuildFailed {
        Map<String, ComponentPin> fetched = new LinkedHashMap<>();
        for (Map.Entry<String, ComponentPin> entry : printed.entrySet()) {
            String component = entry.getKey();
            ComponentPin pin = entry.getValue();
            if (!FILE_WORD.matcher(component).matches()
                    || !ReleaseValidator.VERSION.matcher(pin.version()).matches()) {
                throw new BuildFailed("the build printed an artifact line with an invalid component or version: "
                        + component + " " + pin.version());
            }
            Path file = Path.of(pin.artifact().path());
            Path inside = (file.isAbsolute() ? file : root.resolve("workspace").resolve(file)).normalize();
            if (!inside.startsWith(root)) {
                throw new BuildFailed("the artifact of " + component + " ("
                        + pin.artifact().path() + ") is outside the build's folder");
            }
            Path local = store.resolve(component + "-" + pin.version() + ".tar.gz");
            copyOut(sandbox, inside, local);
            String actual = ReleaseValidator.sha256(local);
            if (!actual.equals(pin.artifact().sha256())) {
                throw new BuildFailed("the artifact of " + component + " has checksum " + actual
                        + ", the build printed " + pin.artifact().sha256());
            }
            fetched.put(component, new ComponentPin(pin.version(), new Artifact(null, local.toString(), actual)));
        }
        return fetched;
    }

    /** Reads {@code inside} as the sandbox's uid and writes it to {@code local}. */
    private static void copyOut(HostConnection sandbox, Path inside, Path local)
            throws TransportException, BuildFailed {
        StringBuilder errors = new StringBuilder();
        int exit;
        try {
            Files.createDirectories(local.getParent());
            try (OutputStream out = Files.newOutputStream(local)) {
                Base64.Decoder decoder = Base64.getDecoder();
                exit = sandbox.exec(
                        "base64 -- " + Shell.quote(inside.toString()), Duration.ofMinutes(10), (s, line) -> {
                            if (s == OutputSink.Stream.STDERR) {
                                errors.append(line).append(' ');
                                return;
                            }
                            try {
                                out.write(decoder.decode(line.strip()));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            } catch (IllegalArgumentException e) {
                                errors.append("unreadable output ");
                            }
                        });
            }
        } catch (IOException | UncheckedIOException e) {
            throw new BuildFailed("cannot store the artifact " + inside.getFileName() + ": " + e.getMessage());
        }
        if (exit != 0 || !errors.isEmpty()) {
            throw new BuildFailed("cannot read the artifact " + inside + ": "
                    + errors.toString().strip());
        }
    }
}
