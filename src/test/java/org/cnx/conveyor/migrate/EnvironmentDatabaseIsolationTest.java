package org.cnx.conveyor.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.cnx.conveyor.support.Fleet;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.MigrationStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A developer's migrations run as their environment database's own role, which has no server privilege: each attack
 * on Conveyor's server, files or database fails, and so does the job, saying why.
 */
@QuarkusTest
class EnvironmentDatabaseIsolationTest {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static final String BOOKS = "CREATE TABLE books (id SERIAL PRIMARY KEY, title TEXT NOT NULL);";
    private static Fleet fleet;

    @Inject
    ConveyorServer server;

    @Inject
    JobService jobs;

    @BeforeEach
    void startHosts() {
        if (fleet == null) {
            fleet = Fleet.start("isolate", 1, 0);
        }
    }

    @AfterAll
    static void stopHosts() {
        if (fleet != null) {
            fleet.close();
            fleet = null;
        }
    }

    /** An environment whose first release's V1 creates books; returns that release. */
    private static long environmentWithBooks(String env) {
        fleet.defineWithDatabase(env, fleet.hosts(), "  embedded: " + env.replace('-', '_') + "\n");
        long first = MigrationStack.release(
                "1.0.0", MigrationStack.files("V1__books.sql", BOOKS, "U1__books.sql", "DROP TABLE books;"));
        JsonPath job = Jobs.awaitFinished(Jobs.deploy(env, first), JOB_TIMEOUT);
        assertThat(job.getString("job.status"))
                .as(Jobs.rawLog(job.getLong("job.id")))
                .isEqualTo("succeeded");
        return first;
    }

    /** Deploys a release whose V2 is {@code attack}; returns the failed job's error. */
    private static String deployAttack(String env, String attack) {
        long release = MigrationStack.release(
                "1.0.1",
                MigrationStack.files(
                        "V1__books.sql",
                        BOOKS,
                        "U1__books.sql",
                        "DROP TABLE books;",
                        "V2__attack.sql",
                        attack,
                        "U2__attack.sql",
                        "SELECT 1;"));
        JsonPath job = Jobs.awaitFinished(Jobs.deploy(env, release), JOB_TIMEOUT);
        assertThat(job.getString("job.status"))
                .as(Jobs.rawLog(job.getLong("job.id")))
                .isIn("failed", "rolled_back");
        return job.getString("job.error");
    }

    @Test
    void aMigrationCannotRunAProgramReadConveyorsFilesLoadCodeOrChangeTheServer() throws Exception {
        String env = "isolate-attacks";
        environmentWithBooks(env);
        Path marker = Files.createTempFile("attack-", ".out");
        Files.delete(marker);
        Path masterKey = DataDirectory.resolve().resolve("master.key");
        assertThat(masterKey).exists();

        assertThat(deployAttack(env, "COPY (SELECT 1) TO PROGRAM 'id > " + marker + "';"))
                .contains("V2 attack")
                .contains("must be superuser or")
                .contains("pg_execute_server_program role");
        assertThat(marker).doesNotExist();

        assertThat(deployAttack(env, "SELECT pg_read_file('" + masterKey + "');"))
                .contains("V2 attack")
                .contains("permission denied for function pg_read_file");
        assertThat(deployAttack(env, "CREATE TABLE stolen (key text); COPY stolen FROM '" + masterKey + "';"))
                .contains("must be superuser or")
                .contains("pg_read_server_files role");
        assertThat(deployAttack(env, "COPY (SELECT 'planted') TO '" + marker + "';"))
                .contains("must be superuser or")
                .contains("pg_write_server_files role");
        assertThat(marker).doesNotExist();
        assertThat(deployAttack(env, "SELECT lo_import('" + masterKey + "');"))
                .contains("permission denied for function lo_import");

        assertThat(deployAttack(env, "CREATE EXTENSION plpython3u;"))
                // An external server may not ship the language at all; the embedded one does, and refuses it.
                .containsAnyOf(
                        "permission denied to create extension \"plpython3u\"",
                        "extension \"plpython3u\" is not available");
        assertThat(deployAttack(env, "CREATE FUNCTION evil() RETURNS int AS 'libc.so.6', 'getpid' LANGUAGE c;"))
                .contains("permission denied for language c");
        assertThat(deployAttack(env, "ALTER SYSTEM SET log_statement = 'all';"))
                .containsAnyOf(
                        "must be superuser to execute ALTER SYSTEM",
                        "permission denied to set parameter \"log_statement\"");
        assertThat(deployAttack(env, "CREATE EXTENSION dblink;"))
                .contains("permission denied to create extension \"dblink\"");
        assertThat(deployAttack(env, "ALTER ROLE CURRENT_USER SUPERUSER;"))
                .containsAnyOf("must be superuser to alter superuser roles", "permission denied to alter role");

        // The environment still works: its first release's schema is untouched.
        assertThat(MigrationStack.snapshot("isolate_attacks").objects())
                .containsKey("column public.books.title")
                .doesNotContainKey("table public.stolen");
    }

    @Test
    void theOwnerRoleHasNoServerPrivilegeAndCannotConnectToConveyorsDatabaseOrAnotherEnvironments() throws Exception {
        environmentWithBooks("isolate-one");
        environmentWithBooks("isolate-two");
        TargetDatabase one = server.embedded("isolate_one");
        assertThat(one.user()).isEqualTo("isolate_one");
        assertThat(one.password()).isNotEqualTo(MigrationStack.serverPassword());

        try (Connection c = MigrationStack.connect(MigrationStack.databaseName());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls,
                               (SELECT count(*) FROM pg_auth_members WHERE member = r.oid),
                               (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'isolate_one'),
                               (SELECT tableowner FROM pg_tables WHERE tablename = 'books' LIMIT 1)
                        FROM pg_roles r WHERE rolname = 'isolate_one'""")) {
            assertThat(rs.next()).isTrue();
            assertThat(new Object[] {
                        rs.getBoolean(1),
                        rs.getBoolean(2),
                        rs.getBoolean(3),
                        rs.getBoolean(4),
                        rs.getBoolean(5),
                        rs.getLong(6)
                    })
                    .containsExactly(false, false, false, false, false, 0L);
            assertThat(rs.getString(7)).isEqualTo("isolate_one");
        }
        try (Connection c = MigrationStack.connect("isolate_one");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT tableowner FROM pg_tables WHERE tablename = 'books'")) {
            rs.next();
            assertThat(rs.getString(1))
                    .as("the migration ran as the owner role")
                    .isEqualTo("isolate_one");
        }

        String conveyorDb = MigrationStack.databaseName();
        assertThatThrownBy(() -> DriverManager.getConnection(onDatabase(one, conveyorDb), one.user(), one.password())
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for database \"" + conveyorDb + "\"");
        assertThatThrownBy(() -> DriverManager.getConnection(onDatabase(one, "isolate_two"), one.user(), one.password())
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for database \"isolate_two\"");
        if (conveyorIsSuperuser()) {
            // On an external server a user with CREATEROLE and CREATEDB cannot change template1's grants
            // (docs/configuration.md).
            assertThatThrownBy(
                            () -> DriverManager.getConnection(onDatabase(one, "template1"), one.user(), one.password())
                                    .close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied for database \"template1\"");
        }
        try (Connection c = one.open();
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("SELECT * FROM " + conveyorDb + ".public.users"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("cross-database references are not implemented");
        }
    }

    @Test
    void aResetRecreatesTheDatabaseForTheSameOwnerRoleAndDriftScratchDatabasesLeaveNoRoleBehind() throws Exception {
        environmentWithBooks("isolate-reset");
        MigrationStack.execute("isolate_reset", "INSERT INTO books (title) VALUES ('to be reset')");
        long reset = jobs.submit(JobOrder.of(JobType.RESET_DATA, "isolate-reset", "admin"))
                .id();
        JsonPath job = Jobs.awaitFinished(reset, JOB_TIMEOUT);
        assertThat(job.getString("job.status")).as(Jobs.rawLog(reset)).isEqualTo("succeeded");
        try (Connection c = MigrationStack.connect("isolate_reset");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT tableowner, (SELECT count(*) FROM books) FROM pg_tables WHERE tablename = 'books'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("isolate_reset");
            assertThat(rs.getLong(2)).isZero();
        }

        server.dropEmbedded("isolate_reset");
        assertThat(countOf("pg_roles WHERE rolname = 'isolate_reset'")
                        + countOf("pg_database WHERE datname = 'isolate_reset'"))
                .as("a torn-down environment leaves neither its database nor its role")
                .isZero();

        TargetDatabase scratch = server.newScratch();
        assertThat(scratch.user()).startsWith("conveyor_scratch_");
        try (Connection c = scratch.open();
                Statement s = c.createStatement()) {
            s.execute(BOOKS);
            assertThatThrownBy(() -> s.execute("SELECT pg_read_file('postgresql.conf')"))
                    .hasMessageContaining("permission denied for function pg_read_file");
        }
        server.dropScratch(scratch);
        assertThat(countOf("pg_roles WHERE rolname = '" + scratch.user() + "'")
                        + countOf("pg_database WHERE datname = '" + scratch.user() + "'"))
                .isZero();
    }

    private static long countOf(String fromWhere) throws SQLException {
        try (Connection c = MigrationStack.connect(MigrationStack.databaseName());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + fromWhere)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aDatabaseMadeByTheOlderReleaseAsTheSuperuserIsHandedToItsOwnerRoleWithEveryObject() throws Exception {
        MigrationStack.execute(MigrationStack.databaseName(), "CREATE DATABASE isolate_legacy");
        MigrationStack.execute("isolate_legacy", """
                CREATE TABLE books (id SERIAL PRIMARY KEY, title TEXT NOT NULL);
                CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY);
                CREATE SEQUENCE loose_seq;
                CREATE VIEW titles AS SELECT title FROM books;
                CREATE TYPE mood AS ENUM ('ok');
                CREATE DOMAIN positive AS int CHECK (VALUE > 0);
                CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42';
                CREATE SCHEMA archive;
                CREATE TABLE archive.old (id int);""");

        TargetDatabase legacy = server.embedded("isolate_legacy");

        try (Connection c = legacy.open();
                Statement s = c.createStatement()) {
            // Only an owner may alter or drop: each statement proves the role owns that object now.
            s.execute("ALTER TABLE books ADD COLUMN isbn text; INSERT INTO books (title) VALUES ('x')");
            s.execute(
                    "DROP VIEW titles; DROP SEQUENCE loose_seq; DROP TYPE mood; DROP DOMAIN positive; DROP FUNCTION answer()");
            s.execute(
                    "DROP TABLE flyway_schema_history; DROP SCHEMA archive CASCADE; ALTER SCHEMA public RENAME TO public2;"
                            + " ALTER SCHEMA public2 RENAME TO public");
        }
    }

    private static boolean conveyorIsSuperuser() throws SQLException {
        try (Connection c = MigrationStack.connect(MigrationStack.databaseName());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String onDatabase(TargetDatabase db, String name) {
        return db.url().replaceFirst("(jdbc:postgresql://[^/]+)/[^?]*", "$1/" + name);
    }
}
