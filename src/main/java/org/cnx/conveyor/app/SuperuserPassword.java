package org.cnx.conveyor.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The embedded PostgreSQL's superuser password: generated once, kept readable by Conveyor's OS user alone. */
final class SuperuserPassword {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SuperuserPassword() {}

    /** The password in {@code file}, written there first (mode 0600) when the file does not exist. */
    static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            // A copied data directory may have lost its modes; the password must not become readable by others.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            String password = Files.readString(file).trim();
            if (password.isEmpty()) {
                throw new IOException(file + " is empty; delete it only together with the pg/ folder next to it");
            }
            return password;
        }
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        // Hex: no character that needs quoting in a connection string, a pgpass line or a shell.
        String password = HexFormat.of().formatHex(random);
        Files.createDirectories(file.getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password + "\n");
        return password;
    }
}
