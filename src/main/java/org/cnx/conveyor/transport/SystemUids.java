package org.cnx.conveyor.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Reads the machine's identity facts a sandbox depends on: Conveyor's own uid and the uids already named. */
final class SystemUids {

    private SystemUids() {}

    /** Conveyor's effective uid, from {@code /proc/self/status}; -1 when it cannot be read. */
    static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is not mounted: the sandbox cannot work anyway.
        }
        return -1;
    }

    /** Uids and gids named in /etc/passwd and /etc/group: they belong to someone, so a sandbox never takes them. */
    static Set<Integer> inPasswdOrGroup() {
        Set<Integer> ids = new HashSet<>();
        for (String file : new String[] {"/etc/passwd", "/etc/group"}) {
            try {
                for (String line : Files.readAllLines(Path.of(file))) {
                    String[] fields = line.split(":");
                    if (fields.length > 2 && fields[2].matches("[0-9]{1,10}")) {
                        ids.add(Integer.parseInt(fields[2]));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // A missing file names nobody.
            }
        }
        return ids;
    }
}
