package org.cnx.conveyor.migrate.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database as a process on a host connects to it with libpq (psycopg2): host, port, name and credentials. Conveyor
 * itself may reach the same database another way (through a tunnel's local end).
 */
public record DatabaseAddress(String host, int port, String name, String user, String password) {

    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::([0-9]+))?/([^?]+)(?:\\?.*)?");

    /** The address in a JDBC URL, with the same credentials. */
    public static DatabaseAddress of(TargetDatabase db) {
        Matcher m = JDBC.matcher(db.url());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "expected a JDBC URL like jdbc:postgresql://HOST:5432/NAME, found " + db.label());
        }
        return new DatabaseAddress(
                m.group(1),
                m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)),
                m.group(3),
                db.user(),
                db.password());
    }

    /** psycopg2's {@code connect(**kwargs)}. */
    Map<String, Object> connectArguments() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("host", host);
        args.put("port", port);
        args.put("dbname", name);
        args.put("user", user);
        args.put("password", password);
        return args;
    }

    @Override
    public String toString() {
        return host + ":" + port + "/" + name;
    }
}
