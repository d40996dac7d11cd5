package org.cnx.conveyor.deploy;

import static org.cnx.conveyor.transport.Shell.quote;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.cnx.conveyor.transport.TransportException;

/**
 * The Capistrano-style folders of one host and the shell commands that act on them:
 * {@code <root>/<component>/releases/<id>}, {@code <root>/<component>/current -> releases/<id>},
 * {@code <root>/<component>/shared}, and a checksum-addressed artifact cache {@code <root>/.conveyor/cache}.
 * Commands whose output matters are {@link Query queries}: the script and the reading of its answer, together.
 */
final class HostLayout {

    /**
     * Whether a prepare step found its release folder ready ({@code existing}) or made it ({@code new}); journaled as
     * the step's before-value, so only folders this job made are removed when it fails.
     */
    enum Folder {
        NEW,
        EXISTING;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Folder> of(String beforeValue) {
            return Arrays.stream(values())
                    .filter(f -> f.word().equals(beforeValue))
                    .findFirst();
        }
    }

    /**
     * Where {@code current} points ({@code releases/<id>}), or {@link #NONE} when a host has no release of the component
     * yet. Journaled as a switch step's before-value, so a rollback can put it back.
     */
    record Current(String target) {

        static final Current NONE = new Current("");

        /** Reads a journaled before-value ({@code null} or empty: nothing was there). */
        static Current of(String beforeValue) {
            return beforeValue == null || beforeValue.isEmpty() ? NONE : new Current(beforeValue);
        }

        static Current parse(String answer) {
            String target = answer.strip();
            if (target.contains("\n")) {
                throw new UnexpectedAnswer("read current", answer, "one link target or nothing");
            }
            return of(target);
        }

        boolean isNone() {
            return target.isEmpty();
        }

        /** The release folder's name, the last part of the target (empty for {@link #NONE}). */
        String release() {
            return target.substring(target.lastIndexOf('/') + 1);
        }
    }

    /** A command whose standard output is the answer, with the reading of that answer. */
    record Query<T>(String script, Function<String, T> reader) {

        /** Reads a host's answer; an answer the script cannot give fails the step like a failed command. */
        T read(String host, String output) throws TransportException.CommandFailed {
            try {
                return reader.apply(output);
            } catch (UnexpectedAnswer e) {
                throw new TransportException.CommandFailed(host, 0, e.getMessage());
            }
        }
    }

    /** A host answered something its command cannot print: the host's files are not what this layout made. */
    static final class UnexpectedAnswer extends IllegalStateException {
        UnexpectedAnswer(String query, String answer, String expected) {
            super("unexpected answer to " + query + ": \"" + abbreviate(answer.strip()) + "\" (expected " + expected
                    + ")");
        }

        private static String abbreviate(String answer) {
            return answer.length() <= 80 ? answer : answer.substring(0, 80) + "…";
        }
    }

    static final String PREPARED_MARKER = ".conveyor-prepared";
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,31}$");
    private static final Pattern RELEASE = Pattern.compile("^[0-9]{1,18}$");
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    private final String root;

    HostLayout(String root) {
        if (!root.startsWith("/") || root.contains("\n")) {
            throw new IllegalArgumentException("host root must be an absolute path: " + root);
        }
        this.root = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
    }

    String root() {
        return root;
    }

    String componentDir(String component) {
        return root + "/" + checkName(component);
    }

    String releaseDir(String component, String release) {
        return componentDir(component) + "/releases/" + checkRelease(release);
    }

    /** The value {@code current} points at for a release: relative, so the whole root can move. */
    static String linkTarget(String release) {
        return "releases/" + checkRelease(release);
    }

    String currentDir(String component) {
        return componentDir(component) + "/current";
    }

    String sharedDir(String component) {
        return componentDir(component) + "/shared";
    }

    String cachedArtifact(String sha256) {
        return root + "/.conveyor/cache/" + checkSha(sha256) + ".tar.gz";
    }

    /**
     * Runs a command under this root's lock ({@code flock}, where installed). A command left running by a Conveyor
     * that died keeps the lock until it ends, so the recovery's own commands wait for it instead of racing it.
     */
    String locked(String command) {
        String lock = root + "/.conveyor/lock";
        return "mkdir -p " + quote(root + "/.conveyor")
                + " && if command -v flock >/dev/null 2>&1; then flock -o -w 900 " + quote(lock) + " sh -c "
                + quote(command) + "; else sh -c " + quote(command) + "; fi";
    }

    String ensureFolders(String component) {
        return "mkdir -p " + quote(componentDir(component) + "/releases") + " " + quote(sharedDir(component)) + " "
                + quote(root + "/.conveyor/cache");
    }

    /**
     * A test that succeeds when the release folder is ready: its marker names the same version and artifact (a reused
     * release number is not trusted).
     */
    String isPrepared(String component, String release, String version, String sha256OrNull) {
        return "[ \"$(cat " + quote(releaseDir(component, release) + "/" + PREPARED_MARKER) + " 2>/dev/null)\" = "
                + quote(stamp(version, sha256OrNull)) + " ]";
    }

    /** Moves an uploaded file into the cache only if its checksum is right. */
    String verifyUpload(String uploaded, String sha256) {
        String target = cachedArtifact(sha256);
        return "if echo " + quote(checkSha(sha256) + "  " + uploaded) + " | sha256sum -c --status; then mv -f "
                + quote(uploaded)
                + " " + quote(target) + "; else rm -f " + quote(uploaded)
                + "; echo 'artifact checksum mismatch after transfer' >&2; exit 1; fi";
    }

    /** Unpacks a cached artifact into a fresh release folder (via a temporary folder, so a half-unpacked one never exists). */
    String unpack(String component, String release, String sha256OrNull) {
        String dir = releaseDir(component, release);
        String tmp = dir + ".unpacking";
        String fill =
                sha256OrNull == null ? "" : " && tar -xzf " + quote(cachedArtifact(sha256OrNull)) + " -C " + quote(tmp);
        return "rm -rf " + quote(tmp) + " " + quote(dir) + " && mkdir -p " + quote(tmp) + fill + " && mv " + quote(tmp)
                + " " + quote(dir);
    }

    String markPrepared(String component, String release, String version, String sha256OrNull) {
        return "printf '%s' " + quote(stamp(version, sha256OrNull)) + " > "
                + quote(releaseDir(component, release) + "/" + PREPARED_MARKER);
    }

    private static String stamp(String version, String sha256OrNull) {
        return version + " " + (sha256OrNull == null ? "no-artifact" : sha256OrNull);
    }

    /** Where {@code current} points. */
    Query<Current> readCurrent(String component) {
        return new Query<>("readlink " + quote(currentDir(component)) + " || true", Current::parse);
    }

    /** Atomically repoints {@code current}: a new symlink renamed over the old one. */
    String pointCurrent(String component, String target) {
        String next = componentDir(component) + "/.current.next";
        return "ln -sfn " + quote(target) + " " + quote(next) + " && mv -T " + quote(next) + " "
                + quote(currentDir(component));
    }

    String removeCurrent(String component) {
        return "rm -f " + quote(currentDir(component));
    }

    String removeRelease(String component, String release) {
        return "rm -rf " + quote(releaseDir(component, release)) + " "
                + quote(releaseDir(component, release) + ".unpacking");
    }

    /** The release a {@code current} link target ({@code releases/<id>}) names, if it names one. */
    static Optional<String> releaseOfLink(String target) {
        String id = target.strip().replaceFirst("^releases/", "");
        return RELEASE.matcher(id).matches() && target.strip().startsWith("releases/")
                ? Optional.of(id)
                : Optional.empty();
    }

    static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a component name: " + name);
        }
        return name;
    }

    static String checkRelease(String release) {
        if (!RELEASE.matcher(release).matches()) {
            throw new IllegalArgumentException("not a release id: " + release);
        }
        return release;
    }

    static String checkSha(String sha) {
        if (!SHA256.matcher(sha).matches()) {
            throw new IllegalArgumentException("not a sha256: " + sha);
        }
        return sha;
    }
}
