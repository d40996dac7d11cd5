package org.cnx.conveyor.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.cnx.conveyor.common.ConveyorConfig;
import org.cnx.conveyor.common.DataDirectory;
import org.jboss.logging.Logger;

/** On the very first start, creates the {@code admin} user and tells the operator its password once. */
@ApplicationScoped
class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    void onStart(@Observes StartupEvent event, UserService users, ConveyorConfig config) {
        boolean generated = config.adminPassword().isEmpty();
        String password = config.adminPassword().orElseGet(Tokens::randomPassword);
        if (!users.createFirstAdmin(password)) {
            return;
        }
        if (!generated) {
            LOG.info("Created user \"admin\" with the password from conveyor.admin-password (CONVEYOR_ADMIN_PASSWORD)");
            return;
        }
        Path file = DataDirectory.resolve().resolve("initial-admin-password");
        writeOwnerOnly(file, password + "\n");
        LOG.infof(
                "Created user \"admin\" with password %s (also written to %s; change it after logging in)",
                password, file);
    }

    private static void writeOwnerOnly(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
