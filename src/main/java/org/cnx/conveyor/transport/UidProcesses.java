package org.cnx.conveyor.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The live processes of one uid, read from {@code /proc}; a sandbox's teardown stops them all. */
final class UidProcesses {

    private UidProcesses() {}

    /** Pids of the non-zombie processes whose real, effective, saved or file-system uid is {@code uid}. */
    static List<Long> of(int uid) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (name.matches("[0-9]+") && belongsTo(entry.resolve("status"), uid)) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            // No /proc: nothing can be found (and no sandbox runs).
        }
        return pids;
    }

    private static boolean belongsTo(Path status, int uid) {
        try {
            boolean ours = false;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("State:") && (line.contains("Z") || line.contains("X"))) {
                    return false;
                }
                if (line.startsWith("Uid:")) {
                    for (String field : line.substring(4).trim().split("\\s+")) {
                        ours |= field.equals(Integer.toString(uid));
                    }
                }
            }
            return ours;
        } catch (IOException | RuntimeException e) {
            return false; // the process ended while being read
        }
    }
}
