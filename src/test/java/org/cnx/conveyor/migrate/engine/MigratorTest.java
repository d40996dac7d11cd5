package org.cnx.conveyor.migrate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.common.MigrationFormat;
import org.junit.jupiter.api.Test;

class MigratorTest {

    private static final String API_KEYS =
            "CREATE TABLE api_keys (id SERIAL PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL, groups TEXT[]);";

    private final TargetDatabase db = ScratchPostgres.freshDatabase();
    private final Migrator migrator = new Migrator(db, "test");

    static MigrationSet set(String... nameThenSql) throws MigrationSetException {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSql.length; i += 2) {
            files.put(nameThenSql[i], nameThenSql[i + 1]);
        }
        return MigrationSet.parse("migrations", files);
    }

    @Test
    void appliesTimestampVersionedMigrationsInOrderAndRecordsThem() throws Exception {
        MigrationSet set = set(
                "V20160104115058__add_api_keys.sql", API_KEYS,
                "U20160104115058__add_api_keys.sql", "DROP TABLE api_keys;",
                "V20160201000000__add_index.sql", "CREATE INDEX api_keys_name ON api_keys (name);");
        assertThat(migrator.plan(set, v -> Optional.empty()).pending())
                .extracting(MigrationScript::version)
                .containsExactly("20160104115058", "20160201000000");

        List<AppliedMigration> applied = migrator.migrate(set, MigrationListener.NONE);

        assertThat(applied).extracting(AppliedMigration::version).containsExactly("20160104115058", "20160201000000");
        assertThat(applied.get(0).checksum()).isEqualTo(Migrator.checksum(API_KEYS));
        assertThat(tables()).contains("api_keys");
        assertThat(migrator.plan(set, v -> Optional.empty()).isEmpty()).isTrue();
    }

    @Test
    void aFailingMigrationKeepsTheEarlierOnesAndNamesTheFileAndTheDatabaseError() throws Exception {
        MigrationSet set = set(
                "V1__one.sql", "CREATE TABLE one (id int);",
                "V2__two.sql", "CREATE TABLE two (id int); INSERT INTO nowhere VALUES (1);");

        assertThatThrownBy(() -> migrator.migrate(set, MigrationListener.NONE))
                .isInstanceOf(MigrationFailed.class)
                .hasMessageContaining("V2 two")
                .hasMessageContaining("relation \"nowhere\" does not exist");

        assertThat(tables()).contains("one").doesNotContain("two");
        assertThat(migrator.history(Migrator.HISTORY))
                .filteredOn(AppliedMigration::success)
                .extracting(AppliedMigration::version)
                .containsExactly("1");
    }

    @Test
    void undoRunsTheScriptAndForgetsTheMigrationAndReapplyPutsItBack() throws Exception {
        MigrationSet set = set("V1__api_keys.sql", API_KEYS, "U1__api_keys.sql", "DROP TABLE api_keys;");
        AppliedMigration applied = migrator.migrate(set, MigrationListener.NONE).get(0);

        AppliedMigration removed = migrator.undo(applied, set.versioned().get(0).undo(), MigrationListener.NONE);

        assertThat(tables()).doesNotContain("api_keys");
        assertThat(migrator.history(Migrator.HISTORY)).isEmpty();
        migrator.reapply(removed, set.versioned().get(0).sql(), MigrationListener.NONE);
        assertThat(tables()).contains("api_keys");
        assertThat(migrator.plan(set, v -> Optional.empty()).problems()).isEmpty();
        assertThat(migrator.plan(set, v -> Optional.empty()).pending()).isEmpty();
    }

    @Test
    void aChangedAppliedScriptIsAProblemNamingTheFile() throws Exception {
        migrator.migrate(set("V1__api_keys.sql", API_KEYS), MigrationListener.NONE);

        MigrationPlan plan = migrator.plan(set("V1__api_keys.sql", API_KEYS + "\n-- edited"), v -> Optional.empty());

        assertThat(plan.problems())
                .singleElement()
                .asString()
                .contains("V1__api_keys.sql was changed after it was applied");
    }

    @Test
    void appliedMigrationsMissingFromTheSetAreUndoneNewestFirstOrBlockWithoutAScript() throws Exception {
        migrator.migrate(
                set(
                        "V1__a.sql",
                        "CREATE TABLE a (id int);",
                        "V2__b.sql",
                        "CREATE TABLE b (id int);",
                        "V3__c.sql",
                        "CREATE TABLE c (id int);"),
                MigrationListener.NONE);

        MigrationPlan plan = migrator.plan(
                set("V1__a.sql", "CREATE TABLE a (id int);"),
                v -> v.equals("3") ? Optional.of("DROP TABLE c;") : Optional.empty());

        assertThat(plan.undo()).extracting(u -> u.applied().version()).containsExactly("3", "2");
        assertThat(plan.blockers()).singleElement().asString().contains("V2 b").contains("no undo script");
    }

    @Test
    void repeatablesRunAgainWhenChangedAndDeferredOnesKeepTheirOwnHistory() throws Exception {
        MigrationSet first = set(
                "V1__t.sql",
                "CREATE TABLE t (id int);",
                "R__view.sql",
                "CREATE OR REPLACE VIEW v AS SELECT 1 AS x;",
                "deferred/V5__backfill.sql",
                "INSERT INTO t VALUES (5);");
        migrator.migrate(first, MigrationListener.NONE);
        assertThat(migrator.plan(first, v -> Optional.empty()).deferredPending())
                .extracting(MigrationScript::version)
                .containsExactly("5");
        migrator.migrateDeferred(first, MigrationListener.NONE);
        assertThat(migrator.plan(first, v -> Optional.empty()).isEmpty()).isTrue();

        MigrationSet second = set(
                "V1__t.sql",
                "CREATE TABLE t (id int);",
                "R__view.sql",
                "CREATE OR REPLACE VIEW v AS SELECT 2 AS x;",
                "deferred/V5__backfill.sql",
                "INSERT INTO t VALUES (5);");
        assertThat(migrator.plan(second, v -> Optional.empty()).pending())
                .extracting(MigrationScript::fileName)
                .containsExactly("R__view.sql");
        migrator.migrate(second, MigrationListener.NONE);
        assertThat(query("SELECT x FROM v")).isEqualTo("2");
        assertThat(query("SELECT count(*) FROM t")).isEqualTo("1");
    }

    @Test
    void baselineSkipsOlderMigrationsAndMarkingRepairsTheHistory() throws Exception {
        migrator.baseline("2", "existing cnx database");
        MigrationSet set = set(
                "V1__a.sql",
                "CREATE TABLE a (id int);",
                "V2__b.sql",
                "CREATE TABLE b (id int);",
                "V3__c.sql",
                "CREATE TABLE c (id int);");
        assertThat(migrator.plan(set, v -> Optional.empty()).pending())
                .extracting(MigrationScript::version)
                .containsExactly("3");

        migrator.markApplied(set.versioned("3").orElseThrow());
        assertThat(migrator.plan(set, v -> Optional.empty()).pending()).isEmpty();
        assertThat(tables()).doesNotContain("c");
        assertThat(migrator.markNotApplied("3", false)).isTrue();
        assertThat(migrator.plan(set, v -> Optional.empty()).pending()).hasSize(1);
    }

    @Test
    void clashingVersionsAndOrphanUndoScriptsAreRefusedWithTheFileName() {
        assertThatThrownBy(() -> set("U7__orphan.sql", "", "V2__x.sql", "", "V2__y.sql", ""))
                .isInstanceOf(MigrationSetException.class)
                .satisfies(e -> assertThat(((MigrationSetException) e).problems())
                        .containsExactlyInAnyOrder(
                                "migrations/V2__y.sql: version 2 is also used by V2__x.sql",
                                "migrations/U7__orphan.sql: undo script without a V7__*.sql to undo"));
    }

    @Test
    void everyFileTheEngineDoesNotRunIsAPlanBlockerNamingItUnlessTheRecipeListsItAsSupport() throws Exception {
        Map<String, String> files = Map.of(
                "V1_missing_underscore.sql", "",
                "V2__x.sql", "CREATE TABLE x (id int);",
                "helpers/functions.sql", "CREATE FUNCTION f() RETURNS int AS 'SELECT 1' LANGUAGE SQL;",
                "20170101000000_add_table.py", "def up(cursor):\n    pass\n");

        MigrationPlan plan = migrator.plan(MigrationSet.parse("migrations", files), v -> Optional.empty());

        assertThat(plan.blockers())
                .hasSize(3)
                .anySatisfy(b -> assertThat(b)
                        .startsWith(
                                "V1_missing_underscore.sql is not run: the flyway format runs only files named so:"))
                .anySatisfy(b -> assertThat(b).startsWith("helpers/functions.sql is not run"))
                .anySatisfy(b -> assertThat(b).startsWith("20170101000000_add_table.py is not run"));
        MigrationSet withSupport = MigrationSet.parse(
                "migrations",
                files,
                new MigrationSet.Source(MigrationFormat.FLYWAY, List.of("helpers/*.sql", "*.py", "V1_*")));
        assertThat(migrator.plan(withSupport, v -> Optional.empty()).blockers()).isEmpty();
        assertThat(withSupport.support())
                .containsOnlyKeys("helpers/functions.sql", "20170101000000_add_table.py", "V1_missing_underscore.sql");
    }

    private List<String> tables() throws SQLException {
        try (Connection c = db.open();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
            List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    private String query(String sql) throws SQLException {
        try (Connection c = db.open();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
