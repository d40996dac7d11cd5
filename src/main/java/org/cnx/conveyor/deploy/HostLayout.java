package org.cnx.conveyor.deploy;

import static org.cnx.conveyor.transport.Shell.quote;

import java.util.regex.Pattern;

/**
 * The Capistrano-style folders of one host and the shell commands that act on them:
 * {@code <root>/<component>/releases/<id>}, {@code <root>/<component>/current -> releases/<id>},
 * {@code <root>/<component>/shared}, and a checksum-addressed artifact cache {@code <root>/.conveyor/cache}.
 */
final class HostLayout {

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
        return "mkdir -p " + quote(root + "/.conveyor") + " && if command -v flock >/dev/null 2>&1; then flock -o -w 900 "
                + quote(lock) + " sh -c " + quote(command) + "; else sh -c " + quote(command) + "; fi";
    }

    String ensureFolders(String component) {
        return "mkdir -p " + quote(componentDir(component) + "/releases") + " " + quote(sharedDir(component)) + " "
                + quote(root + "/.conveyor/cache");
    }

    /**
     * Prints {@code prepared}, {@code cached} or {@code missing}: what prepare still has to do. A folder counts as
     * prepared only if its marker names the same version and artifact (a reused release number is not trusted).
     */
    String probe(String component, String release, String version, String sha256OrNull) {
        String marker = releaseDir(component, release) + "/" + PREPARED_MARKER;
        String prepared = "if [ \"$(cat " + quote(marker) + " 2>/dev/null)\" = " + quote(stamp(version, sha256OrNull))
                + " ]; then echo prepared; ";
        if (sha256OrNull == null) {
            return prepared + "else echo missing; fi";
        }
        return prepared + "elif [ -f " + quote(cachedArtifact(sha256OrNull)) + " ]; then echo cached; else echo missing; fi";
    }

    /** Moves an uploaded file into the cache only if its checksum is right. */
    String verifyUpload(String uploaded, String sha256) {
        String target = cachedArtifact(sha256);
        return "if echo " + quote(checkSha(sha256) + "  " + uploaded) + " | sha256sum -c --status; then mv -f " + quote(uploaded)
                + " " + quote(target) + "; else rm -f " + quote(uploaded)
                + "; echo 'artifact checksum mismatch after transfer' >&2; exit 1; fi";
    }

    /** Unpacks a cached artifact into a fresh release folder (via a temporary folder, so a half-unpacked one never exists). */
    String unpack(String component, String release, String sha256OrNull) {
        String dir = releaseDir(component, release);
        String tmp = dir + ".unpacking";
        String fill = sha256OrNull == null ? "" : " && tar -xzf " + quote(cachedArtifact(sha256OrNull)) + " -C " + quote(tmp);
        return "rm -rf " + quote(tmp) + " " + quote(dir) + " && mkdir -p " + quote(tmp) + fill + " && mv " + quote(tmp) + " " + quote(dir);
    }

    String markPrepared(String component, String release, String version, String sha256OrNull) {
        return "printf '%s' " + quote(stamp(version, sha256OrNull)) + " > " + quote(releaseDir(component, release) + "/" + PREPARED_MARKER);
    }

    private static String stamp(String version, String sha256OrNull) {
        return version + " " + (sha256OrNull == null ? "no-artifact" : sha256OrNull);
    }

    /** Prints where {@code current} points, or nothing when it does not exist. */
    String readCurrent(String component) {
        return "readlink " + quote(currentDir(component)) + " || true";
    }

    /** Atomically repoints {@code current}: a new symlink renamed over the old one. */
    String pointCurrent(String component, String target) {
        String next = componentDir(component) + "/.current.next";
        return "ln -sfn " + quote(target) + " " + quote(next) + " && mv -T " + quote(next) + " " + quote(currentDir(component));
    }

    String removeCurrent(String component) {
        return "rm -f " + quote(currentDir(component));
    }

    String removeRelease(String component, String release) {
        return "rm -rf " + quote(releaseDir(component, release)) + " " + quote(releaseDir(component, release) + ".unpacking");
    }

    /** The release a {@code current} link target ({@code releases/<id>}) names, if it names one. */
    static java.util.Optional<String> releaseOfLink(String target) {
        String id = target.strip().replaceFirst("^releases/", "");
        return RELEASE.matcher(id).matches() && target.strip().startsWith("releases/") ? java.util.Optional.of(id)
                : java.util.Optional.empty();
    }

    String listReleases(String component) {
        return "ls -1 " + quote(componentDir(component) + "/releases") + " 2>/dev/null || true";
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
