package org.cnx.conveyor.transport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Gives each sandboxed root an OS uid of its own from a configured range (as systemd's DynamicUser does), remembered
 * in {@code <data dir>/sandbox/uids/<uid>} (holding the root's path) until the root is torn down.
 */
final class SandboxUsers {

    private final Path registry;
    private final int firstUid;
    private final int lastUid;
    private final SecureRandom random = new SecureRandom();

    SandboxUsers(Path registry, int firstUid, int lastUid) {
        if (firstUid < 1000 || lastUid < firstUid) {
            throw new IllegalArgumentException(
                    "conveyor.sandbox.first-uid/last-uid must be a range of uids from 1000 up, found " + firstUid + "-"
                            + lastUid);
        }
        this.registry = registry;
        this.firstUid = firstUid;
        this.lastUid = lastUid;
    }

    /** The root's uid; a new one (free: unregistered, unknown to /etc/passwd, owning no process) the first time. */
    synchronized Allocation uidFor(Path root) throws IOException {
        try (FileChannel channel = lockFile();
                FileLock ignored = channel.lock()) {
            Map<Path, Integer> known = registered();
            Integer existing = known.get(root);
            if (existing != null) {
                return new Allocation(existing, false);
            }
            Set<Integer> taken = new HashSet<>(known.values());
            taken.addAll(SystemUids.inPasswdOrGroup());
            List<Integer> free = new ArrayList<>();
            for (int uid = firstUid; uid <= lastUid; uid++) {
                if (!taken.contains(uid)) {
                    free.add(uid);
                }
            }
            // A random free uid, so that two Conveyors sharing a machine by mistake rarely pick the same one.
            while (!free.isEmpty()) {
                int uid = free.remove(random.nextInt(free.size()));
                if (UidProcesses.of(uid).isEmpty()) {
                    Path entry = registry.resolve(Integer.toString(uid));
                    Files.writeString(entry, root.toString());
                    return new Allocation(uid, true);
                }
            }
            throw new IOException("every uid of conveyor.sandbox.first-uid.." + "last-uid (" + firstUid + "-" + lastUid
                    + ") is in use: tear down environments or widen the range");
        }
    }

    /** Forgets the root's uid (its processes are stopped and its folder removed). */
    synchronized void release(Path root) throws IOException {
        try (FileChannel channel = lockFile();
                FileLock ignored = channel.lock()) {
            Integer uid = registered().get(root);
            if (uid != null) {
                Files.deleteIfExists(registry.resolve(Integer.toString(uid)));
            }
        }
    }

    /** The uid given to the root, if any. */
    synchronized Optional<Integer> find(Path root) throws IOException {
        return Optional.ofNullable(registered().get(root));
    }

    private Map<Path, Integer> registered() throws IOException {
        Map<Path, Integer> known = new HashMap<>();
        try (Stream<Path> entries = Files.list(registry)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (name.matches("[0-9]{1,10}")) {
                    known.put(Path.of(Files.readString(entry).trim()), Integer.parseInt(name));
                }
            }
        }
        return known;
    }

    private FileChannel lockFile() throws IOException {
        if (!Files.isDirectory(registry)) {
            Files.createDirectories(
                    registry, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return FileChannel.open(registry.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /** A root's uid, and whether it was given just now (then the root's existing files are handed over to it). */
    record Allocation(int uid, boolean fresh) {}
}
