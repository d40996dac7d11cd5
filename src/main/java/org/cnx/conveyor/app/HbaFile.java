package org.cnx.conveyor.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded PostgreSQL's {@code pg_hba.conf}: every connection, local socket or loopback TCP, authenticates with
 * {@code scram-sha-256}; nothing is trusted and nothing from other machines is accepted.
 */
final class HbaFile {

    static final String METHOD = "scram-sha-256";

    static final String CONTENT = """
            # Written by Conveyor, which rewrites it when a rule would let a connection in without a password.
            # TYPE  DATABASE        USER            ADDRESS                 METHOD
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            local   replication     all                                     scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            host    replication     all             ::1/128                 scram-sha-256
            """;

    private HbaFile() {}

    /** Whether every rule of the file asks for {@code scram-sha-256} (an older Conveyor wrote {@code trust} lines). */
    static boolean isHardened(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        List<String> rules = Files.readAllLines(file).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        return !rules.isEmpty() && rules.stream().allMatch(HbaFile::asksForScram);
    }

    private static boolean asksForScram(String rule) {
        String[] fields = rule.split("\\s+");
        // local DATABASE USER METHOD [options] | host DATABASE USER ADDRESS METHOD [options]
        int method = fields[0].equals("local") ? 3 : 4;
        return fields.length > method && fields[method].equals(METHOD);
    }

    static void write(Path file) throws IOException {
        Files.writeString(file, CONTENT);
    }
}
