package org.cnx.conveyor.migrate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.common.MigrationFormat;
import org.junit.jupiter.api.Test;

/** cnx-db-shaped db-migrator migrations run by real Python with psycopg2 against a real PostgreSQL. */
class DbMigratorTest {

    private static final MigrationSet.Source DB_MIGRATOR =
            new MigrationSet.Source(MigrationFormat.DB_MIGRATOR, List.of("sql/*.sql"));

    private final TargetDatabase superuserDb = ScratchPostgres.freshDatabase();
    private final TargetDatabase db = ownedByPlainRole(superuserDb);
    private final Map<String, String> superuser = Map.of("user", "postgres", "password", "postgres");
    private final List<String> output = new ArrayList<>();
    private final MigrationListener listener = new MigrationListener() {
        @Override
        public void before(Step step, Connection connection) {
            output.add("before " + step.label());
        }

        @Override
        public void after(Step step, Connection connection) {
            output.add("after " + step.label());
        }

        @Override
        public void output(Step step, String line) {
            output.add(line);
        }
    };

    private DbMigrator engine(Optional<Map<String, String>> superuser) {
        return new DbMigrator(db, DatabaseAddress.of(db), superuser, new LocalPython(DbMigratorSets.PYTHON), "test");
    }

    private static MigrationSet set(Map<String, String> files) throws MigrationSetException {
        return MigrationSet.parse("migrations", files, DB_MIGRATOR);
    }

    @Test
    void thePlanReadsDeferredRepeatAndIrreversibleMigrationsFromThePythonWithoutRunningIt() throws Exception {
        MigrationSet set = set(DbMigratorSets.files());

        MigrationPlan plan = engine(Optional.of(superuser)).plan(set, v -> Optional.empty());

        assertThat(plan.pending())
                .extracting(MigrationScript::version)
                .containsExactly("20170101000000", "20170102000000", "20170103000000", "20170105000000");
        assertThat(plan.deferredPending()).extracting(MigrationScript::version).containsExactly("20170104000000");
        assertThat(plan.deferredPending().get(0).repeat()).isTrue();
        assertThat(plan.irreversible())
                .extracting(MigrationScript::fileName)
                .containsExactly("20170103000000_seed_in_batches.py");
        assertThat(plan.blockers()).isEmpty();
        assertThat(set.support()).containsOnlyKeys("sql/shout.sql");
    }

    @Test
    void aFileTheEngineDoesNotRunBlocksThePlanUnlessTheRecipeListsItAsSupport() throws Exception {
        Map<String, String> files = new LinkedHashMap<>(DbMigratorSets.files());
        files.put("README.txt", "how to write migrations");
        files.put("helpers.py", "def helper(): pass\n");

        MigrationPlan plan = engine(Optional.empty()).plan(set(files), v -> Optional.empty());

        assertThat(plan.blockers())
                .anySatisfy(
                        b -> assertThat(b).startsWith("README.txt is not run").contains("migrations.support"))
                .anySatisfy(b -> assertThat(b).startsWith("helpers.py is not run"));
    }

    @Test
    void migratesRecordsInSchemaMigrationsRunsDeferredOnlyWhileShouldRunSaysSoAndUndoesWithDown() throws Exception {
        MigrationSet set = set(DbMigratorSets.files());
        DbMigrator engine = engine(Optional.of(superuser));

        List<AppliedMigration> applied = engine.migrate(set, listener);

        assertThat(applied)
                .extracting(AppliedMigration::version)
                .containsExactly("20170101000000", "20170102000000", "20170103000000", "20170105000000");
        assertThat(query("SELECT count(*), count(canonical) FROM modules")).isEqualTo("250 0");
        assertThat(query("SELECT shout('cnx')")).isEqualTo("CNX!");
        assertThat(query("SELECT flag FROM superuser_seen"))
                .as("super_user() connected as the superuser")
                .isEqualTo("t");
        assertThat(query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
                .as("every other statement ran as the database's own, plain role")
                .isEqualTo("f");
        assertThat(output).contains("inserted 100 modules", "inserted 50 modules");
        assertThat(query("SELECT string_agg(version, ',' ORDER BY version) FROM schema_migrations"
                        + " WHERE applied IS NOT NULL"))
                .isEqualTo("20170101000000,20170102000000,20170103000000,20170105000000");

        assertThat(engine.migrateDeferred(set, listener))
                .extracting(AppliedMigration::version)
                .containsExactly("20170104000000");
        assertThat(query("SELECT count(canonical) FROM modules")).isEqualTo("250");
        output.clear();
        assertThat(engine.migrateDeferred(set, listener)).isEmpty();
        assertThat(output)
                .as("should_run said no: nothing journaled")
                .noneMatch(line -> line.startsWith("before"))
                .anyMatch(line -> line.contains("should_run says nothing to do"));
        assertThat(engine.plan(set, v -> Optional.empty()).blockers()).isEmpty();

        AppliedMigration function = engine.history().stream()
                .filter(r -> r.version().equals("20170102000000"))
                .findFirst()
                .orElseThrow();
        engine.undo(function, DbMigratorSets.LOAD_FUNCTION, listener);
        assertThat(query("SELECT count(*) FROM pg_proc WHERE proname = 'shout'"))
                .isEqualTo("0");
        assertThat(query("SELECT count(*) FROM schema_migrations WHERE version = '20170102000000'"))
                .isEqualTo("0");
    }

    @Test
    void superUserWithoutCredentialsInTheDefinitionFailsNamingWhatIsMissingAndKeepsTheEarlierMigrations()
            throws Exception {
        MigrationSet set = set(DbMigratorSets.files());

        assertThatThrownBy(() -> engine(Optional.empty()).migrate(set, listener))
                .isInstanceOf(MigrationFailed.class)
                .hasMessageContaining("20170105000000")
                .hasMessageContaining("database.superuser");

        assertThat(query("SELECT count(*) FROM schema_migrations WHERE applied IS NOT NULL"))
                .isEqualTo("3");
        assertThat(query("SELECT to_regclass('superuser_seen') IS NULL")).isEqualTo("t");
    }

    @Test
    void aPythonErrorFailsTheStepWithItsOwnWordsAndRecordsNothing() throws Exception {
        MigrationSet set = set(
                Map.of(
                        "20170101000000_broken.py",
                        "def up(cursor):\n    cursor.execute('CREATE TABLE t (id int)')\n    raise ValueError('no such book')\n"));

        assertThatThrownBy(() -> engine(Optional.empty()).migrate(set, listener))
                .isInstanceOf(MigrationFailed.class)
                .hasMessageContaining("ValueError: no such book");
        assertThat(query("SELECT to_regclass('t') IS NULL"))
                .as("its transaction rolled back")
                .isEqualTo("t");
    }

    @Test
    void anExistingDatabaseWithoutHistoryIsABlockerNamingTheBaselineAndDbMigratorsInitTakesItOver() throws Exception {
        execute("CREATE TABLE modules (module_ident SERIAL PRIMARY KEY, name TEXT NOT NULL, canonical TEXT)");
        MigrationSet set = set(DbMigratorSets.files());
        DbMigrator engine = engine(Optional.of(superuser));

        assertThat(engine.plan(set, v -> Optional.empty()).blockers())
                .singleElement()
                .satisfies(b -> assertThat(b).contains("public.modules").contains("Baseline"));

        engine.baseline(set, "20170101000000", "taken over");

        assertThat(engine.plan(set, v -> Optional.empty()).blockers()).isEmpty();
        assertThat(engine.plan(set, v -> Optional.empty()).pending())
                .extracting(MigrationScript::version)
                .containsExactly("20170102000000", "20170103000000", "20170105000000");
    }

    @Test
    void anExistingCnxHistoryIsPickedUpAsItIsAndADeferredRowWithoutAppliedStaysPending() throws Exception {
        execute("CREATE TABLE modules (module_ident SERIAL PRIMARY KEY, name TEXT NOT NULL, canonical TEXT)");
        execute("CREATE TABLE schema_migrations (version TEXT NOT NULL, applied TIMESTAMPTZ)");
        execute("INSERT INTO schema_migrations VALUES ('20170101000000', now()), ('20170104000000', NULL)");
        MigrationSet set = set(DbMigratorSets.files());

        MigrationPlan plan = engine(Optional.of(superuser)).plan(set, v -> Optional.empty());

        assertThat(plan.blockers()).isEmpty();
        assertThat(plan.pending())
                .extracting(MigrationScript::version)
                .containsExactly("20170102000000", "20170103000000", "20170105000000");
        assertThat(plan.deferredPending()).extracting(MigrationScript::version).containsExactly("20170104000000");
    }

    @Test
    void aFlywayBaselineFromSchemaMigrationsRecordsWhatRanAndLeavesNeverRunDeferredOnesPending() throws Exception {
        execute("CREATE TABLE modules (module_ident SERIAL PRIMARY KEY, name TEXT NOT NULL, canonical TEXT)");
        execute("CREATE TABLE schema_migrations (version TEXT NOT NULL, applied TIMESTAMPTZ)");
        execute("INSERT INTO schema_migrations VALUES ('20170101000000', now()), ('20170104000000', NULL),"
                + " ('20160101000000', now())");
        MigrationSet converted = MigrationSet.parse(
                "migrations",
                Map.of(
                        "V20170101000000__create_modules.sql", "CREATE TABLE modules (id int);",
                        "U20170101000000__create_modules.sql", "DROP TABLE modules;",
                        "V20170106000000__add_title.sql", "ALTER TABLE modules ADD COLUMN title TEXT;",
                        "deferred/V20170104000000__fill_canonical.sql", "UPDATE modules SET canonical = name;"));
        Migrator flyway = new Migrator(db, "test");
        assertThat(flyway.plan(converted, v -> Optional.empty()).blockers())
                .singleElement()
                .satisfies(b -> assertThat(b).contains("schema_migrations").contains("baseline from it"));

        List<String> left = flyway.baselineFromSchemaMigrations(converted);

        assertThat(left).containsExactly("20160101000000");
        MigrationPlan plan = flyway.plan(converted, v -> Optional.empty());
        assertThat(plan.blockers()).isEmpty();
        assertThat(plan.pending()).extracting(MigrationScript::version).containsExactly("20170106000000");
        assertThat(plan.deferredPending()).extracting(MigrationScript::version).containsExactly("20170104000000");
    }

    @Test
    void undoingAMigrationForgetsTheDeferredBackfillsThatRanAfterIt() throws Exception {
        MigrationSet set = set(DbMigratorSets.files());
        DbMigrator engine = engine(Optional.of(superuser));
        engine.migrate(set, listener);
        engine.migrateDeferred(set, listener);
        AppliedMigration modules = engine.history().get(0);

        assertThat(engine.forgetDeferredAfter(modules, set)).containsExactly("20170104000000");

        assertThat(engine.plan(set, v -> Optional.empty()).deferredPending())
                .extracting(MigrationScript::version)
                .containsExactly("20170104000000");
    }

    private static TargetDatabase ownedByPlainRole(TargetDatabase superuserDb) {
        String name = superuserDb.label().substring(superuserDb.label().lastIndexOf('/') + 1);
        String role = name + "_owner";
        try (Connection c = superuserDb.open();
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'owner-secret'");
            s.execute("ALTER DATABASE " + name + " OWNER TO " + role);
            s.execute("ALTER SCHEMA public OWNER TO " + role);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        // Without the URL's own ?user=postgres, which would win over the role given here.
        return new TargetDatabase(superuserDb.label(), role, "owner-secret");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.open();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private String query(String sql) throws SQLException {
        try (Connection c = db.open();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            rs.next();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getString(i));
            }
            return String.join(" ", values);
        }
    }
}
