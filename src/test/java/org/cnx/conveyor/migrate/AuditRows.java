package org.cnx.conveyor.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.cnx.conveyor.support.MigrationStack;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads Conveyor's audit log straight from its database (there is deliberately no API to change it). */
final class AuditRows {

    private AuditRows() {
    }

    static List<String> actions(String subject) {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        String database = url.replaceFirst("jdbc:postgresql://[^/]+/([^?]*).*", "$1");
        try (Connection c = MigrationStack.connect(database);
                PreparedStatement query = c.prepareStatement("SELECT action FROM audit_log WHERE subject = ? ORDER BY id")) {
            query.setString(1, subject);
            List<String> actions = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    actions.add(rs.getString(1));
                }
            }
            return actions;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
