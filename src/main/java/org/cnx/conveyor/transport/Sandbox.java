package org.cnx.conveyor.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line that runs one shell command for a sandboxed root: bubblewrap builds a mount namespace (the whole
 * file system read-only, Conveyor's folders replaced by empty ones, a private {@code /tmp}, the root writable at its own
 * path), then util-linux {@code setpriv} switches to the root's uid with no capabilities and no way to gain any.
 */
final class Sandbox {

    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Folders a command cannot run without: never hidden, whatever the configuration says. */
    private static final List<Path> ESSENTIAL =
            List.of("/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc", "/dev", "/proc").stream()
                    .map(Path::of)
                    .toList();

    private final List<Path> hidden;

    /** {@code hidden}: folders and files the command must not see (missing ones and essential folders are skipped). */
    Sandbox(List<Path> hidden) {
        this.hidden = hidden.stream()
                .map(path -> path.toAbsolutePath().normalize())
                .filter(path -> ESSENTIAL.stream().noneMatch(essential -> essential.startsWith(path)))
                .distinct()
                .toList();
    }

    List<Path> hidden() {
        return hidden;
    }

    /** {@code bwrap … setpriv … sh -c command}, run in {@code root} as {@code uid}. */
    List<String> argv(int uid, Path root, String command) {
        List<String> argv = new ArrayList<>(List.of(
                "bwrap",
                "--ro-bind",
                "/",
                "/",
                "--dev",
                "/dev",
                "--proc",
                "/proc",
                // No pid namespace: daemons a start script leaves running must outlive the command.
                "--unshare-ipc",
                "--new-session"));
        List<Path> covers = new ArrayList<>(hidden);
        covers.add(Path.of("/tmp"));
        covers.sort(Comparator.comparingInt(Path::getNameCount));
        List<Path> mounted = new ArrayList<>();
        for (Path cover : covers) {
            if (mounted.stream().anyMatch(cover::startsWith) || !Files.exists(cover)) {
                continue;
            }
            mounted.add(cover);
            if (cover.equals(Path.of("/tmp"))) {
                argv.addAll(List.of("--perms", "1777", "--tmpfs", "/tmp"));
            } else if (Files.isDirectory(cover)) {
                argv.addAll(List.of("--perms", "0755", "--tmpfs", cover.toString()));
            } else {
                argv.addAll(List.of("--ro-bind", "/dev/null", cover.toString()));
            }
        }
        // The root's parents inside an emptied folder must exist and be searchable for the uid to reach its root.
        mounted.stream()
                .filter(root::startsWith)
                .findFirst()
                .filter(top -> !top.equals(root.getParent()))
                .ifPresent(top -> {
                    Path dir = top;
                    for (Path name : top.relativize(root.getParent())) {
                        dir = dir.resolve(name);
                        argv.addAll(List.of("--perms", "0755", "--dir", dir.toString()));
                    }
                });
        argv.addAll(List.of(
                "--bind",
                root.toString(),
                root.toString(),
                "--chdir",
                root.toString(),
                "--cap-add",
                "CAP_SETUID,CAP_SETGID,CAP_SETPCAP",
                "--",
                "setpriv",
                "--reuid=" + uid,
                "--regid=" + uid,
                "--clear-groups",
                "--inh-caps=-all",
                "--bounding-set=-all",
                "--no-new-privs",
                "--",
                "sh",
                "-c",
                command));
        return argv;
    }

    /** The whole environment a sandboxed command starts with: nothing of Conveyor's own environment is passed on. */
    static Map<String, String> environment(Path root) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", root.toString());
        env.put("LANG", "C.UTF-8");
        env.put("TMPDIR", "/tmp");
        return env;
    }
}
